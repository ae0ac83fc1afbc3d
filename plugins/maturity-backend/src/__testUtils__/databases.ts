import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/** Every engine the plugin supports; each must be present when tests run. */
export const DATABASE_IDS: TestDatabaseId[] = [
  'POSTGRES_15',
  'MYSQL_8',
  'SQLITE_3',
];

export function createTestDatabases(): TestDatabases {
  return TestDatabases.create({ ids: DATABASE_IDS });
}

/**
 * TestDatabases silently drops an engine whose connection string is unset;
 * this project wants a loud failure instead, so a missing engine is a red test.
 */
export function expectEveryEngine(databases: TestDatabases) {
  expect(databases.eachSupportedId().map(([id]) => id)).toEqual(DATABASE_IDS);
}
