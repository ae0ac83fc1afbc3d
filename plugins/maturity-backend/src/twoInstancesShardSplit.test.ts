import { component, group } from '@cnmaturity/plugin-maturity-rules/testUtils';
import {
  Instance,
  SharedPostgres,
  waitUntil,
  shardCycles,
} from './__testUtils__/backendInstances';
import { FakeGitHubApi } from './__testUtils__/fakeGitHubApi';

/**
 * Backstage's scheduler claims every due task an instance finds when it
 * polls, so with shards alone the first instance to poll runs all of them
 * and the others idle. Here instance A starts alone and claims both shards
 * while GitHub keeps its first shard busy; the second must be given back,
 * and run by instance B once B starts.
 */

jest.setTimeout(60_000);

const HOST = 'github.example.test';
const TOKEN = 'ghp_test-token';
const components = Array.from({ length: 20 }, (_, i) =>
  component(
    `svc-${i}`,
    { owner: 'team-a' },
    {
      annotations: {
        'backstage.io/source-location': `url:https://${HOST}/acme/payments/tree/main/`,
      },
    },
  ),
);
const entities = [...components, group('team-a', ['ada'])];

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

const waitFor = <T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs?: number,
) => waitUntil(what, probe, { timeoutMs });

describe('two instances and two shards', () => {
  let pg: SharedPostgres;
  let github: FakeGitHubApi;

  beforeAll(async () => {
    pg = await SharedPostgres.create('split');
    github = await FakeGitHubApi.start({
      owner: 'acme',
      repo: 'payments',
      files: { 'README.md': '# payments' },
      token: TOKEN,
    });
  });

  afterAll(async () => {
    github?.release();
    await pg?.close();
    await github?.close();
  });

  it('a busy instance gives a claimed shard back, and the other runs it', async () => {
    const options = {
      entities,
      maturity: {
        shards: 2,
        extractionWorkers: 0,
        schedule: {
          frequency: { minutes: 10 },
          timeout: { seconds: 30 },
          initialDelay: { milliseconds: 500 },
        },
      },
      config: {
        integrations: {
          github: [{ host: HOST, apiBaseUrl: github.apiBaseUrl, token: TOKEN }],
        },
      },
    };
    github.hold();
    const a: Instance = await pg.startInstance('A', options);
    // A has claimed both due shards: one waits on GitHub, the other it
    // gave back rather than read too.
    await waitFor('A to claim both shards', () => {
      const started = new Set(
        a.taskEvents.filter(e => e.result === 'started').map(e => e.taskId),
      );
      return started.size === 2 && github.heldCount > 0 ? true : undefined;
    });
    await sleep(500);
    expect(github.heldCount).toBe(1);

    const b: Instance = await pg.startInstance('B', options);
    await waitFor('B to read the shard A gave back', () =>
      github.heldCount === 2 ? true : undefined,
    );
    github.release();

    const [ranByA, ranByB] = await waitFor('both shard cycles', () => {
      const runs = [
        shardCycles(a.logs).map(c => c[0]),
        shardCycles(b.logs).map(c => c[0]),
      ];
      return runs.flat().length === 2 ? runs : undefined;
    });
    expect(ranByA).toHaveLength(1);
    expect(ranByB).toHaveLength(1);
    expect([...ranByA, ...ranByB].sort()).toEqual([1, 2]);
  });
});
