import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { CheckResult } from '@cnmaturity/plugin-maturity-common';
import {
  createTestDatabases,
  expectEveryEngine,
} from '../__testUtils__/databases';
import { DatabaseMaturityStore } from './DatabaseMaturityStore';
import { EntityResultRecord } from './MaturityStore';

const databases = createTestDatabases();

it('runs on every database engine (set BACKSTAGE_TEST_DATABASE_<ID>_CONNECTION_STRING)', () => {
  expectEveryEngine(databases);
});

const passing: CheckResult = {
  checkId: 'people.team-owner',
  status: 'pass',
  message: 'Owned by group:default/payments-team, a group with 2 members.',
  evidence: [
    {
      type: 'catalog',
      label: 'spec.owner',
      value: 'group:default/payments-team',
    },
  ],
};

function record(
  name: string,
  overrides: Partial<EntityResultRecord> = {},
): EntityResultRecord {
  return {
    entityRef: `component:default/${name}`,
    kind: 'component',
    namespace: 'default',
    name,
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
    type: 'service',
    lifecycle: 'production',
    level: 2,
    evaluatedAt: new Date('2026-11-25T10:00:00.000Z'),
    checks: [passing],
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseMaturityStore on %s',
  databaseId => {
    async function createStore(id: TestDatabaseId) {
      const knex = await databases.init(id);
      const store = await DatabaseMaturityStore.create({
        database: mockServices.database({ knex }),
      });
      return { knex, store };
    }

    it('stores a result and reads it back with checks, evidence and counts', async () => {
      const { store } = await createStore(databaseId);
      await store.upsertResults([record('checkout-service')]);
      await expect(
        store.getResult('component:default/checkout-service'),
      ).resolves.toEqual({
        entityRef: 'component:default/checkout-service',
        evaluatedAt: '2026-11-25T10:00:00.000Z',
        stale: false,
        level: 2,
        counts: {
          pass: 1,
          fail: 0,
          unknown: 0,
          exempt: 0,
          'not-applicable': 0,
        },
        checks: [passing],
      });
      await expect(
        store.getResult('component:default/nope'),
      ).resolves.toBeUndefined();
    });

    it('replaces the previous result of the same entity instead of adding a row', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.upsertResults([record('a'), record('b')]);
      const failing: CheckResult = {
        ...passing,
        status: 'fail',
        message: 'No owning team: spec.owner is not set.',
      };
      await store.upsertResults([
        record('a', {
          level: 0,
          checks: [failing],
          evaluatedAt: new Date('2026-11-25T11:00:00.000Z'),
        }),
      ]);
      const a = await store.getResult('component:default/a');
      expect(a).toMatchObject({
        level: 0,
        evaluatedAt: '2026-11-25T11:00:00.000Z',
      });
      expect(a?.counts.fail).toBe(1);
      expect(a?.checks[0].message).toBe(
        'No owning team: spec.owner is not set.',
      );
      expect((await store.getResult('component:default/b'))?.level).toBe(2);
      const [{ count }] = await knex('maturity_results').count({ count: '*' });
      expect(Number(count)).toBe(2);
    });

    it('writes a large batch in one go (chunked below bind limits)', async () => {
      const { knex, store } = await createStore(databaseId);
      await store.upsertResults(
        Array.from({ length: 420 }, (_, i) => record(`svc-${i}`)),
      );
      const [{ count }] = await knex('maturity_results').count({ count: '*' });
      expect(Number(count)).toBe(420);
    });

    it('keeps stored data when a batch fails part-way (one transaction)', async () => {
      const { store } = await createStore(databaseId);
      await store.upsertResults([record('kept')]);
      // NOT NULL is enforced by every engine; the bad row lands in the second chunk.
      const bad = record('bad', { level: null as any });
      // Compare outcomes rather than .rejects.toThrow(): a driver error from
      // another realm is not always recognised as an Error by jest.
      const outcome = await store
        .upsertResults([
          record('kept', { level: 0 }),
          ...Array.from({ length: 60 }, (_, i) => record(`n${i}`)),
          bad,
        ])
        .then(
          () => 'stored',
          () => 'rejected',
        );
      expect(outcome).toBe('rejected');
      expect((await store.getResult('component:default/kept'))?.level).toBe(2);
      await expect(
        store.getResult('component:default/n0'),
      ).resolves.toBeUndefined();
    });

    it('keeps the stale flag and its reason', async () => {
      const { store } = await createStore(databaseId);
      await store.upsertResults([
        record('svc', { staleReason: 'reading https://x failed: 429' }),
      ]);
      expect(await store.getResult('component:default/svc')).toMatchObject({
        stale: true,
        staleReason: 'reading https://x failed: 429',
      });
      await store.upsertResults([record('svc')]);
      const fresh = await store.getResult('component:default/svc');
      expect(fresh?.stale).toBe(false);
      expect(fresh?.staleReason).toBeUndefined();
    });

    it('migrates up and fully down', async () => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@cnmaturity/plugin-maturity-backend',
        'migrations',
      );
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable('maturity_results')).toBe(true);
      expect(await knex.schema.hasTable('maturity_repo_cache')).toBe(true);
      await knex.migrate.rollback({ directory }, true);
      expect(await knex.schema.hasTable('maturity_results')).toBe(false);
      expect(await knex.schema.hasTable('maturity_repo_cache')).toBe(false);
    });
  },
);
