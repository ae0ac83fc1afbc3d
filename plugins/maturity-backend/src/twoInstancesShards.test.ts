import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { component, group } from '@cnmaturity/plugin-maturity-rules/testUtils';
import { knex as createKnex, Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { maturityPlugin } from './plugin';
import {
  CapturingLogger,
  Instance,
  LogEntry,
  runsOf,
  TaskEvent,
  taskRunRecorder,
} from './__testUtils__/backendInstances';

/**
 * Two backend instances on one PostgreSQL database with `maturity.shards: 2`:
 * the real scheduler hands out one global task per shard, so a cycle is
 * shared between the instances, each entity in exactly one shard.
 */

jest.setTimeout(90_000);

const CONNECTION_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const TASKS_TABLE = 'backstage_backend_tasks__tasks';
const SHARD_TASKS = [
  'maturity-evaluate-shard-1-of-2',
  'maturity-evaluate-shard-2-of-2',
];
const names = Array.from({ length: 20 }, (_, i) => `svc-${i}`);
const entities = [
  ...names.map(name => component(name, { owner: 'team-a' })),
  group('team-a', ['ada']),
];

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** `[shard, evaluated]` of each finished shard cycle an instance logged. */
function shardCycles(logs: LogEntry[]): Array<[number, number, number]> {
  return logs.flatMap(e => {
    const m = e.message.match(
      /^Maturity cycle \(shard (\d+) of 2\): (\d+) evaluated, (\d+) unchanged/,
    );
    return m ? [[Number(m[1]), Number(m[2]), Number(m[3])]] : [];
  });
}

describe('two instances sharing a sharded cycle on one PostgreSQL database', () => {
  const connectionString = process.env[CONNECTION_ENV];
  const prefix = `maturity_shards_${randomBytes(4).toString('hex')}_`;
  const databaseName = `${prefix}maturity`;
  let admin: Knex | undefined;
  let observer: Knex | undefined;
  let databaseCreated = false;
  const instances: Instance[] = [];

  async function startInstance(name: string): Promise<Instance> {
    const logs: LogEntry[] = [];
    const taskEvents: TaskEvent[] = [];
    const backend = await startTestBackend({
      features: [
        maturityPlugin,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: { client: 'pg', connection: connectionString!, prefix },
            },
            maturity: {
              shards: 2,
              schedule: {
                frequency: { seconds: 1 },
                timeout: { seconds: 30 },
                initialDelay: { milliseconds: 500 },
              },
            },
          },
        }),
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => new CapturingLogger(logs),
        }),
        databaseServiceFactory,
        schedulerServiceFactory,
        taskRunRecorder(taskEvents),
        catalogServiceMock.factory({ entities }),
      ],
    });
    return { name, backend, logs, taskEvents };
  }

  beforeAll(async () => {
    if (!connectionString) {
      throw new Error(
        `${CONNECTION_ENV} is not set: this test needs a PostgreSQL server shared by two backend instances and must not be skipped`,
      );
    }
    admin = createKnex({ client: 'pg', connection: connectionString });
    await admin.raw('CREATE DATABASE ??', [databaseName]);
    databaseCreated = true;
    const url = new URL(connectionString);
    url.pathname = `/${databaseName}`;
    observer = createKnex({ client: 'pg', connection: url.toString() });
    instances.push(await startInstance('A'));
    instances.push(await startInstance('B'));
  });

  afterAll(async () => {
    await Promise.all(instances.map(i => i.backend.stop()));
    await observer?.destroy();
    if (databaseCreated) {
      await admin!.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [
        databaseName,
      ]);
    }
    await admin?.destroy();
  });

  it('splits a cycle into two shard tasks that evaluate every entity exactly once between them', async () => {
    const locks = await observer!(TASKS_TABLE)
      .whereIn('id', SHARD_TASKS)
      .select('id');
    expect(locks.map(l => l.id).sort()).toEqual(SHARD_TASKS);

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
    const [{ n }] = await observer!('maturity_results').count({ n: '*' });
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
    const [{ n }] = await observer!('maturity_results').count({ n: '*' });
    expect(Number(n)).toBe(names.length);
  });
});
