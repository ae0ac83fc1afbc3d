import { mockServices } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { RepositorySignal } from '@cnmaturity/plugin-maturity-node';
import { component } from '../__testUtils__/entities';
import { RepositoryCollector, sourceLocationUrl } from './RepositoryCollector';

const located = (name: string, url: string) =>
  component(
    name,
    {},
    {
      annotations: { 'backstage.io/source-location': `url:${url}` },
    },
  );

/** A reader serving one in-memory repository, counting its reads. */
function fakeReader(files: Record<string, string>, fail?: Error) {
  const calls: string[] = [];
  const reader: UrlReaderService = {
    readUrl: jest.fn(),
    search: jest.fn(),
    readTree: async (url, options) => {
      calls.push(url);
      if (fail) throw fail;
      const kept = Object.entries(files).filter(([path, content]) =>
        options?.filter ? options.filter(path, { size: content.length }) : true,
      );
      return {
        etag: 'e1',
        files: async () =>
          kept.map(([path, content]) => ({
            path,
            content: async () => Buffer.from(content),
          })),
        archive: jest.fn(),
        dir: jest.fn(),
      } as any;
    },
  };
  return { reader, calls };
}

function extractionOf(signal: RepositorySignal) {
  if (signal.status !== 'ok') throw new Error(`unavailable: ${signal.reason}`);
  return signal.extraction;
}

const workflow = [
  'on: pull_request',
  'jobs:',
  '  test:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: npm test',
].join('\n');

describe('RepositoryCollector', () => {
  it('reads the source location once per cycle for entities that share it', async () => {
    const { reader, calls } = fakeReader({
      '.github/workflows/ci.yml': workflow,
      'src/index.ts': 'not relevant',
    });
    const collector = new RepositoryCollector({
      urlReader: reader,
      logger: mockServices.logger.mock(),
    });
    const read = collector.startCycle();
    const [a, b] = await Promise.all([
      read(located('a', 'https://github.com/acme/mono/tree/main/')),
      read(located('b', 'https://github.com/acme/mono/tree/main/')),
    ]);
    expect(calls).toEqual(['https://github.com/acme/mono/tree/main/']);
    expect(a).toBe(b);
    expect(extractionOf(a).files).toEqual(['.github/workflows/ci.yml']);
    expect(extractionOf(a).ci[0].tests[0].tool).toBe('npm test');
    // A new cycle reads again.
    await collector.startCycle()(
      located('a', 'https://github.com/acme/mono/tree/main/'),
    );
    expect(calls).toHaveLength(2);
  });

  it('turns a failed SCM read into "unavailable" with the reason, never a throw', async () => {
    const logger = mockServices.logger.mock();
    const { reader } = fakeReader(
      {},
      new Error('API rate limit exceeded (403)'),
    );
    const collector = new RepositoryCollector({ urlReader: reader, logger });
    const signal = await collector.startCycle()(
      located('a', 'https://github.com/acme/a'),
    );
    expect(signal).toEqual({
      status: 'unavailable',
      url: 'https://github.com/acme/a',
      reason:
        'reading https://github.com/acme/a failed: API rate limit exceeded (403)',
    });
    expect(logger.warn).toHaveBeenCalled();
  });

  it('skips files over the size limit with a note instead of downloading them', async () => {
    const { reader } = fakeReader({
      '.github/workflows/ci.yml': workflow,
      'deploy/huge.yaml': 'x'.repeat(2000),
    });
    const collector = new RepositoryCollector({
      urlReader: reader,
      logger: mockServices.logger.mock(),
      maxFileBytes: 1000,
    });
    const signal = await collector.startCycle()(
      located('a', 'https://x.example.com/r'),
    );
    expect(extractionOf(signal).files).not.toContain('deploy/huge.yaml');
    expect(extractionOf(signal).notes).toContainEqual({
      file: 'deploy/huge.yaml',
      message: 'skipped: 2000 bytes is over the 1000 byte limit',
    });
  });

  it('explains entities without a readable source location', () => {
    expect(sourceLocationUrl(component('a'))).toEqual({
      reason: expect.stringContaining(
        'no backstage.io/source-location annotation',
      ),
    });
    expect(
      sourceLocationUrl(
        component(
          'a',
          {},
          { annotations: { 'backstage.io/source-location': 'file:/tmp/x' } },
        ),
      ),
    ).toEqual({
      reason:
        'the source location type "file" cannot be read (only url locations)',
    });
  });
});
