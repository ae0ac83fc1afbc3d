import { mockServices } from '@backstage/backend-test-utils';
import { RepositoryPushHandler } from './RepositoryPushHandler';

const push = (repo: string, branch = 'main', files: string[] = ['a.ts']) => ({
  topic: 'github.push',
  eventPayload: {
    ref: `refs/heads/${branch}`,
    after: 'b'.repeat(40),
    repository: {
      html_url: `https://github.com/acme/${repo}`,
      default_branch: 'main',
    },
    commits: [{ added: [], modified: files, removed: [] }],
  },
});

function setup() {
  const logger = mockServices.logger.mock();
  const evaluate = jest.fn(async (refs: string[]) => ({
    records: refs,
    skipped: 0,
    failedRefs: [],
  }));
  const sources: Record<string, Array<{ entityRef: string; url: string }>> = {
    'github.com/acme/mono': [
      {
        entityRef: 'component:default/api',
        url: 'https://github.com/acme/mono/tree/main/api',
      },
      {
        entityRef: 'component:default/web',
        url: 'https://github.com/acme/mono/tree/main/web',
      },
      {
        entityRef: 'component:default/legacy',
        url: 'https://github.com/acme/mono/tree/release-1/legacy',
      },
    ],
  };
  const handler = new RepositoryPushHandler({
    store: { entitiesOfRepository: async repo => sources[repo] ?? [] },
    evaluate,
    logger,
    batchMs: 10,
    catalogSettleMs: 20,
  });
  return { handler, evaluate, logger };
}

describe('RepositoryPushHandler', () => {
  it('evaluates the entities that read the pushed branch, pushes close together as one batch', async () => {
    const { handler, evaluate } = setup();
    await handler.onEvent(push('mono'));
    await handler.onEvent(push('mono'));
    await handler.idle();
    expect(evaluate).toHaveBeenCalledTimes(1);
    expect(evaluate.mock.calls[0][0].sort()).toEqual([
      'component:default/api',
      'component:default/web',
    ]);

    await handler.onEvent(push('mono', 'release-1'));
    await handler.idle();
    expect(evaluate).toHaveBeenLastCalledWith(['component:default/legacy']);
    handler.close();
  });

  it('ignores an unknown repository and a malformed event with a log line each', async () => {
    const { handler, evaluate, logger } = setup();
    await handler.onEvent(push('unknown'));
    await handler.onEvent({ topic: 'github.push', eventPayload: 'nonsense' });
    await handler.onEvent({
      topic: 'github.push',
      eventPayload: {
        ref: 'refs/tags/v1',
        repository: { html_url: 'https://github.com/acme/mono' },
      },
    });
    await handler.idle();
    expect(evaluate).not.toHaveBeenCalled();
    expect(logger.info.mock.calls.map(c => c[0])).toEqual([
      'Maturity: ignored a push to github.com/acme/unknown (main): no evaluated entity reads that branch',
      'Maturity: ignored a github.push event: the payload is not an object',
      'Maturity: ignored a github.push event: github.com/acme/mono: refs/tags/v1 is not a branch',
    ]);
  });

  it('looks again once the catalog has taken in a changed catalog-info file', async () => {
    const { handler, evaluate } = setup();
    await handler.onEvent(push('mono', 'main', ['api/catalog-info.yaml']));
    await handler.idle();
    expect(evaluate).toHaveBeenCalledTimes(1);
    await new Promise(r => setTimeout(r, 60));
    await handler.idle();
    expect(evaluate).toHaveBeenCalledTimes(2);
    handler.close();
  });

  it('logs, and does not throw, when an evaluation fails', async () => {
    const { handler, evaluate, logger } = setup();
    evaluate.mockRejectedValueOnce(new Error('catalog unavailable'));
    await handler.onEvent(push('mono'));
    await handler.idle();
    expect(logger.warn).toHaveBeenCalledWith(
      'Maturity: could not evaluate 2 entities after a push: Error: catalog unavailable',
    );
  });
});
