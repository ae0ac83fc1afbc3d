import { stringifyEntityRef } from '@backstage/catalog-model';
import { component, group } from '@cnmaturity/plugin-maturity-rules/testUtils';
import {
  ChildInstance,
  Instance,
  runsOf,
  SharedPostgres,
  waitUntil,
  shardCycles,
  TASKS_TABLE,
} from './__testUtils__/backendInstances';
import { FakeGitHubApi } from './__testUtils__/fakeGitHubApi';
import { utcDay } from './database/days';
import { shardOf } from './engine/shards';

/**
 * One instance killed mid-cycle loses nothing. Instance A runs in a child
 * process and is killed with SIGKILL inside a shard task: it has stored
 * its share of the first catalog page and waits on GitHub for the second.
 * What it stored stays; its scheduler lock stays held, as nothing
 * releases it.
 *
 * The scheduler frees a dead instance's lock only through its janitor,
 * which ends the runs past `current_run_expires_at` (claim + the task's
 * timeout). Backstage runs it as a plugin's scheduler starts and then once
 * a minute on every instance. So instance B starts once A's lock has
 * expired, as a replacement would, and must finish both shards.
 */

jest.setTimeout(60_000);

const SHARD_TASKS = [
  'maturity-evaluate-shard-1-of-2',
  'maturity-evaluate-shard-2-of-2',
];
const HOST = 'github.example.test';
const TOKEN = 'ghp_test-token';

// The first catalog page (the evaluator's 200) has no repositories, so A
// stores it at once; the second page's entities share one repository,
// which the fake GitHub leaves unanswered until A is dead.
const quick = Array.from({ length: 200 }, (_, i) =>
  component(`quick-${i}`, { owner: 'team-a' }),
);
const slow = Array.from({ length: 20 }, (_, i) =>
  component(
    `slow-${i}`,
    { owner: 'team-a' },
    {
      annotations: {
        'backstage.io/source-location': `url:https://${HOST}/acme/payments/tree/main/`,
      },
    },
  ),
);
const components = [...quick, ...slow];
const entities = [...components, group('team-a', ['ada'])];
const refs = components.map(e => stringifyEntityRef(e).toLocaleLowerCase());

const maturity = {
  shards: 2,
  extractionWorkers: 0,
  schedule: {
    frequency: { seconds: 1 },
    timeout: { seconds: 10 },
    initialDelay: { milliseconds: 500 },
  },
};

/** The refs of a shard (1-based, as in the task ids) among `list`. */
const inShard = (list: string[], shard: number) =>
  list.filter(ref => shardOf(ref, 2) === shard - 1);

describe('an instance killed mid-cycle', () => {
  let pg: SharedPostgres;
  let github: FakeGitHubApi;
  let a: ChildInstance | undefined;
  let b: Instance | undefined;

  function diagnostics(): string {
    return [a, b]
      .flatMap(i =>
        (i?.logs ?? [])
          .filter(e => e.level !== 'debug')
          .slice(-8)
          .map(e => `  ${i!.name} ${e.level} ${e.message}`),
      )
      .join('\n');
  }

  const waitFor = <T>(
    what: string,
    probe: () => Promise<T | undefined> | T | undefined,
    timeoutMs?: number,
  ) => waitUntil(what, probe, { timeoutMs, diagnostics });

  const storedRefs = async (): Promise<string[]> =>
    (await pg.observer('maturity_results').select('entity_ref')).map(
      (r: { entity_ref: string }) => r.entity_ref,
    );

  /** A shard task's lock row, and whether it expired by the database's clock. */
  const lock = async (
    task: string,
  ): Promise<{ ticket: string | null; expired: boolean }> => {
    const [row] = await pg
      .observer(TASKS_TABLE)
      .where('id', task)
      .select(
        'current_run_ticket as ticket',
        pg.observer.raw(
          'coalesce(current_run_expires_at < now(), false) as expired',
        ),
      );
    return row;
  };

  beforeAll(async () => {
    pg = await SharedPostgres.create('kill');
    github = await FakeGitHubApi.start({
      owner: 'acme',
      repo: 'payments',
      files: { 'README.md': '# payments' },
      token: TOKEN,
    });
  });

  afterAll(async () => {
    await pg?.close();
    await github?.close();
  });

  it('leaves what it stored, and another instance finishes its shards', async () => {
    const quickRefs = refs.slice(0, quick.length);
    const slowRefs = refs.slice(quick.length);
    // Each shard has entities on both pages, so no cycle of A can finish.
    for (const shard of [1, 2]) {
      expect(inShard(quickRefs, shard).length).toBeGreaterThan(0);
      expect(inShard(slowRefs, shard).length).toBeGreaterThan(0);
    }
    const config = {
      integrations: {
        github: [{ host: HOST, apiBaseUrl: github.apiBaseUrl, token: TOKEN }],
      },
    };
    const day = utcDay(new Date());
    github.hold();
    a = await pg.forkInstance('A', { entities, maturity, config });

    // A is mid-cycle: a shard has stored its share of the first page (one
    // transaction) and waits on the repository of the second.
    const killedIn = await waitFor('A to store a first page', async () => {
      const stored = new Set(await storedRefs());
      const full = [1, 2].find(shard =>
        inShard(quickRefs, shard).every(ref => stored.has(ref)),
      );
      return full && github.heldCount > 0 ? full : undefined;
    });
    const killedTask = SHARD_TASKS[killedIn - 1];

    await a.kill();
    expect(shardCycles(a.logs)).toEqual([]);
    // What A left: results of the first page only, and its shard's lock,
    // which nothing released.
    const before = await storedRefs();
    expect(before.length).toBeGreaterThan(0);
    expect(before.filter(ref => slowRefs.includes(ref))).toEqual([]);
    expect((await lock(killedTask)).ticket).toBeTruthy();

    await waitFor('the locks to expire', async () => {
      const all = await Promise.all(SHARD_TASKS.map(lock));
      return all.every(l => !l.ticket || l.expired) ? true : undefined;
    });
    github.release();
    const startedAt = Date.now();
    const instanceB = await pg.startInstance('B', {
      entities,
      maturity,
      config,
      janitor: true,
    });
    b = instanceB;

    // B finishes a cycle of each shard, inside a run the scheduler records.
    const cycles = [];
    for (const [i, task] of SHARD_TASKS.entries()) {
      const [entry, cycle] = await waitFor(`B to finish ${task}`, () => {
        for (const e of instanceB.logs) {
          const [c] = shardCycles([e]);
          if (c?.[0] === i + 1) return [e, c] as const;
        }
        return undefined;
      });
      const run = await waitFor(`the scheduler to end B's run of ${task}`, () =>
        runsOf(instanceB, task).find(
          r => r.start <= entry.at && entry.at <= r.end,
        ),
      );
      expect(run).toMatchObject({ scope: 'global', result: 'completed' });
      expect(run.start).toBeGreaterThanOrEqual(startedAt);
      cycles.push(cycle);
    }
    // A's lock was freed by the janitor, which would do it on any instance.
    expect(instanceB.logs.map(e => e.message)).toContain(
      `Task timed out and was lost: ${killedTask}`,
    );

    // Every entity has a result, and what A stored is still there.
    const after = await storedRefs();
    expect([...after].sort()).toEqual([...refs].sort());
    expect(after).toEqual(expect.arrayContaining(before));

    // Each shard's cycle covered its entities once, and B evaluated just
    // what A had not stored: unchanged inputs are skipped.
    for (const [shard, evaluated, unchanged] of cycles) {
      expect(evaluated + unchanged).toBe(inShard(refs, shard).length);
    }
    // (The day is part of the inputs: past midnight UTC, all are new.)
    const unchanged = cycles.reduce((n, c) => n + c[2], 0);
    const sameDay = utcDay(new Date()) === day;
    expect(sameDay ? [before.length] : [before.length, 0]).toContain(unchanged);
  });
});
