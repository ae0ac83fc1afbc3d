import { component, group } from '@cnmaturity/plugin-maturity-rules/testUtils';
import {
  Instance,
  runsOf,
  SharedPostgres,
  waitUntil,
  shardCycles,
  TASKS_TABLE,
} from './__testUtils__/backendInstances';

/**
 * Two backend instances on one PostgreSQL database with `maturity.shards: 2`:
 * the real scheduler hands out one global task per shard, so a cycle is
 * shared between the instances, each entity in exactly one shard.
 */

jest.setTimeout(90_000);

const SHARD_TASKS = [
  'maturity-evaluate-shard-1-of-2',
  'maturity-evaluate-shard-2-of-2',
];
const names = Array.from({ length: 20 }, (_, i) => `svc-${i}`);
const entities = [
  ...names.map(name => component(name, { owner: 'team-a' })),
  group('team-a', ['ada']),
];

const waitFor = <T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 45_000,
) => waitUntil(what, probe, { timeoutMs });

describe('two instances sharing a sharded cycle on one PostgreSQL database', () => {
  let pg: SharedPostgres;
  const instances: Instance[] = [];

  beforeAll(async () => {
    pg = await SharedPostgres.create('shards');
    for (const name of ['A', 'B']) {
      instances.push(
        await pg.startInstance(name, {
          entities,
          maturity: {
            shards: 2,
            schedule: {
              frequency: { seconds: 1 },
              timeout: { seconds: 30 },
              initialDelay: { milliseconds: 500 },
            },
          },
        }),
      );
    }
  });

  afterAll(async () => {
    await pg?.close();
  });

  it('splits a cycle into two shard tasks that evaluate every entity exactly once between them', async () => {
    const locks = await pg
      .observer(TASKS_TABLE)
      .whereIn('id', SHARD_TASKS)
      .select('id');
    expect(locks.map((l: { id: string }) => l.id).sort()).toEqual(SHARD_TASKS);

    // The first cycle of each shard, whichever instance ran it.
    const first = await waitFor('a first cycle of each shard', () => {
      const cycles = instances.flatMap(i => shardCycles(i.logs));
      const one = cycles.find(c => c[0] === 1);
      const two = cycles.find(c => c[0] === 2);
      return one && two ? [one, two] : undefined;
    });
    expect(first[0][1]).toBeGreaterThan(0);
    expect(first[1][1]).toBeGreaterThan(0);
    // Disjoint: together they evaluated each entity once.
    expect(first[0][1] + first[1][1]).toBe(names.length);
    const [{ n }] = await pg.observer('maturity_results').count({ n: '*' });
    expect(Number(n)).toBe(names.length);
  });

  it('runs every shard on the other instance once one stops', async () => {
    const [a, b] = instances;
    await a.backend.stop();
    const stoppedAt = Date.now();
    for (const task of SHARD_TASKS) {
      const run = await waitFor(`instance B to run ${task}`, () =>
        runsOf(b, task).find(r => r.start > stoppedAt),
      );
      expect(run).toMatchObject({ scope: 'global', result: 'completed' });
    }
    // Nothing was lost: every entity still has its result.
    const [{ n }] = await pg.observer('maturity_results').count({ n: '*' });
    expect(Number(n)).toBe(names.length);
  });
});
