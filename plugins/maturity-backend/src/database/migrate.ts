import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const MIGRATIONS = resolvePackagePath(
  '@cnmaturity/plugin-maturity-backend',
  'migrations',
);

/**
 * Another instance got there first: it created knex's bookkeeping tables or
 * row a moment before this one, or it holds knex's migration lock (knex
 * does not wait for it, it fails at once).
 */
const ANOTHER_INSTANCE =
  /already exists|ER_TABLE_EXISTS_ERROR|duplicate key|ER_DUP_ENTRY|UNIQUE constraint|MigrationLocked|already locked/i;

/**
 * Brings the plugin's tables up to date, unless the backend skips
 * migrations. Instances that start together on an empty database race to
 * create knex's own tables, and one that finds the migration lock taken
 * fails at once; so on either it tries again, for as long as another
 * instance's migration may take, then gives up with the last error.
 */
export async function migrateLatest(
  client: Knex,
  database: Pick<DatabaseService, 'migrations'>,
  waitMs = 120_000,
): Promise<void> {
  if (database.migrations?.skip) return;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await client.migrate.latest({ directory: MIGRATIONS });
      return;
    } catch (e) {
      if (Date.now() > deadline || !ANOTHER_INSTANCE.test(String(e))) throw e;
      await new Promise(r => setTimeout(r, 100 + Math.random() * 400));
    }
  }
}
