import { mockCredentials } from '@backstage/backend-test-utils';
import { isDeepStrictEqual } from 'node:util';
import request from 'supertest';
import {
  Instance,
  Run,
  runsOf,
  SharedPostgres,
  waitUntil,
  TASKS_TABLE,
} from './__testUtils__/backendInstances';
import { component, group } from '@cnmaturity/plugin-maturity-rules/testUtils';

/**
 * Two backend instances of the maturity plugin on one PostgreSQL database,
 * as in a deployment with two replicas: the real database service and the
 * real scheduler, so the task lock row in the shared database decides which
 * instance runs each tick of the global `maturity-evaluate` task.
 */

jest.setTimeout(60_000);

const TASK_ID = 'maturity-evaluate';
const FREQUENCY_MS = 1000;
/** Cycles observed after both instances are up before judging the lock. */
const RUNS = 8;

const components = ['checkout-service', 'search-api', 'legacy-billing'];
const entities = [
  component('checkout-service', { owner: 'payments-team' }),
  component('search-api', { owner: 'payments-team' }),
  component('legacy-billing', { owner: 'legacy-ops' }),
  group('payments-team', ['ada', 'linus']),
  group('legacy-ops', []),
];

describe('two maturity backend instances on one PostgreSQL database', () => {
  // A unique prefix gives this file its own plugin database,
  // `<prefix>maturity`, which both instances share and afterAll drops.
  let pg: SharedPostgres;
  const instances: Instance[] = [];
  let bothUpAt = 0;

  function diagnostics(): string {
    return instances
      .map(i => {
        const lines = i.logs
          .filter(e => e.level === 'error' || e.level === 'warn')
          .slice(-5)
          .map(e => `  ${e.level} ${e.message} ${JSON.stringify(e.meta)}`);
        return `instance ${i.name}: ${runsOf(i, TASK_ID).length} cycles${
          lines.length ? `, last warnings:\n${lines.join('\n')}` : ''
        }`;
      })
      .join('\n');
  }

  const waitFor = <T>(
    what: string,
    probe: () => Promise<T | undefined> | T | undefined,
    timeoutMs?: number,
  ) => waitUntil(what, probe, { timeoutMs, diagnostics });

  const startInstance = (name: string) =>
    pg.startInstance(name, {
      entities,
      maturity: {
        schedule: {
          frequency: { milliseconds: FREQUENCY_MS },
          timeout: { seconds: 30 },
          initialDelay: { milliseconds: 500 },
        },
      },
    });

  function get(instance: Instance, path: string) {
    return request(instance.backend.server)
      .get(`/api/maturity${path}`)
      .set('Authorization', mockCredentials.user.header());
  }

  beforeAll(async () => {
    pg = await SharedPostgres.create('2inst');
    // One after the other, as a rolling deploy would: concurrent knex
    // migrations on a fresh database would fight over the migration lock.
    instances.push(await startInstance('A'));
    instances.push(await startInstance('B'));
    bothUpAt = Date.now();
  });

  afterAll(async () => {
    await pg?.close();
  });

  it('runs the global maturity-evaluate task on only one instance per tick', async () => {
    // Both instances scheduled the task as global, on one shared lock row.
    for (const instance of instances) {
      const res = await get(instance, '/.backstage/scheduler/v1/tasks');
      expect(res.status).toBe(200);
      expect(
        res.body.tasks.find((t: any) => t.taskId === TASK_ID),
      ).toMatchObject({ pluginId: 'maturity', scope: 'global' });
    }
    const lockRows = await pg.observer(TASKS_TABLE).where({ id: TASK_ID });
    expect(lockRows).toHaveLength(1);

    const runs = await waitFor(
      `${RUNS} maturity cycles after both instances were up`,
      () => {
        const all = instances
          .flatMap(i => runsOf(i, TASK_ID))
          .filter(r => r.start >= bothUpAt)
          .sort((x, y) => x.start - y.start);
        return all.length >= RUNS ? all.slice(0, RUNS) : undefined;
      },
    );

    for (const run of runs) {
      expect(run).toMatchObject({ scope: 'global', result: 'completed' });
    }

    // Never two runs at once, across instances: the next claim can only
    // succeed once the previous run released the lock row.
    for (let k = 1; k < runs.length; k++) {
      expect(runs[k].start).toBeGreaterThanOrEqual(runs[k - 1].end);
    }

    // One cycle per tick, not one per instance per tick. The lock row's
    // next start moves at least one period per run, and a claim lags its
    // tick by at most one poll period (also FREQUENCY_MS), so N runs on the
    // shared schedule span at least (N - 2) periods; one more period of
    // slack for a loaded machine. Both instances running every tick would
    // fit the same N runs into about N / 2 - 1 periods.
    const span = runs[runs.length - 1].start - runs[0].start;
    expect(span).toBeGreaterThanOrEqual((RUNS - 3) * FREQUENCY_MS);
  });

  it('serves the API from both instances', async () => {
    for (const instance of instances) {
      for (const name of components) {
        const body = await waitFor(
          `a result for ${name} from instance ${instance.name}`,
          async () => {
            const res = await get(
              instance,
              `/entities/component/default/${name}`,
            );
            if (res.status === 404) return undefined;
            expect(res.status).toBe(200);
            return res.body;
          },
        );
        expect(body).toMatchObject({
          entityRef: `component:default/${name}`,
          checks: expect.arrayContaining([
            expect.objectContaining({ checkId: 'people.team-owner' }),
          ]),
        });
      }
    }
  });

  it('returns identical results for the same entity from both instances', async () => {
    const [a, b] = instances;
    for (const name of components) {
      const path = `/entities/component/default/${name}`;
      // A cycle may rewrite the row on any tick, so read A, B, A: when both
      // reads of A agree, nothing changed in between and B must match.
      let consistent: { fromA: unknown; fromB: unknown } | undefined;
      for (let attempt = 0; attempt < 20 && !consistent; attempt++) {
        const before = await get(a, path);
        const other = await get(b, path);
        const after = await get(a, path);
        expect([before.status, other.status, after.status]).toEqual([
          200, 200, 200,
        ]);
        if (isDeepStrictEqual(before.body, after.body)) {
          consistent = { fromA: before.body, fromB: other.body };
        }
      }
      expect(consistent).toBeDefined();
      expect(consistent!.fromA).toMatchObject({
        entityRef: `component:default/${name}`,
      });
      expect(consistent!.fromB).toEqual(consistent!.fromA);
    }
  });

  // Last, as it stops an instance: the instance that did not get the ticks
  // above was a live candidate all along, not an idle scheduler.
  it('hands the task to the other instance once the one running it stops', async () => {
    const latest = () =>
      instances
        .flatMap(i => runsOf(i, TASK_ID))
        .reduce<Run | undefined>(
          (last, r) => (!last || r.end > last.end ? r : last),
          undefined,
        );
    const lockIsFree = async () => {
      const [lock] = await pg.observer(TASKS_TABLE).where({ id: TASK_ID });
      return lock.current_run_ticket === null ? true : undefined;
    };
    // Stop the instance that ran last right after it released the lock,
    // well before the next tick, so it takes no claim down with it.
    const previous = latest()!;
    const fresh = await waitFor('a fresh maturity-evaluate run', () => {
      const run = latest();
      return run && run.end > previous.end ? run : undefined;
    });
    await waitFor(`${TASK_ID} to release its lock`, lockIsFree);
    const running = instances.find(i => i.name === fresh.instance)!;
    const other = instances.find(i => i !== running)!;
    await running.backend.stop();
    const stoppedAt = Date.now();
    expect(await lockIsFree()).toBe(true);

    const takeover = await waitFor(
      `instance ${other.name} to run ${TASK_ID} after ${running.name} stopped`,
      () => runsOf(other, TASK_ID).find(r => r.start > stoppedAt),
      10_000,
    );
    expect(takeover).toMatchObject({ scope: 'global', result: 'completed' });
  });
});
