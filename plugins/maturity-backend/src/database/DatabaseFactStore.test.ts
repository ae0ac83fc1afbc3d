import { mockServices } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  expectEveryEngine,
} from '../__testUtils__/databases';
import { DatabaseFactStore } from './DatabaseFactStore';
import { DatabaseMaturityStore } from './DatabaseMaturityStore';

const databases = createTestDatabases();

it('runs on every database engine', () => {
  expectEveryEngine(databases);
});

describe.each(databases.eachSupportedId())(
  'DatabaseFactStore on %s',
  databaseId => {
    it('serves the latest fact per entity and source', async () => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      await DatabaseMaturityStore.create({ database }); // runs the migrations
      const facts = await DatabaseFactStore.create({ database });
      const pushedBy = 'plugin:ci';
      await facts.addFacts([
        {
          entityRef: 'component:default/a',
          source: 'dora',
          timestamp: '2026-11-20T00:00:00.000Z',
          values: { deploymentsPerWeek: 2 },
          pushedBy,
        },
        {
          entityRef: 'component:default/a',
          source: 'dora',
          timestamp: '2026-11-24T00:00:00.000Z',
          values: { deploymentsPerWeek: 6 },
          pushedBy,
        },
        {
          entityRef: 'component:default/a',
          source: 'container-scan',
          timestamp: '2026-11-23T00:00:00.000Z',
          values: { critical: 0 },
          pushedBy,
        },
        {
          entityRef: 'component:default/b',
          source: 'dora',
          timestamp: '2026-11-01T00:00:00.000Z',
          values: { deploymentsPerWeek: 1 },
          pushedBy,
        },
      ]);
      const latest = await facts.latestFacts([
        'component:default/a',
        'component:default/c',
      ]);
      expect(latest.get('component:default/a')).toEqual([
        {
          source: 'container-scan',
          timestamp: '2026-11-23T00:00:00.000Z',
          values: { critical: 0 },
        },
        {
          source: 'dora',
          timestamp: '2026-11-24T00:00:00.000Z',
          values: { deploymentsPerWeek: 6 },
        },
      ]);
      expect(latest.has('component:default/b')).toBe(false);
      expect(latest.has('component:default/c')).toBe(false);
    });
  },
);
