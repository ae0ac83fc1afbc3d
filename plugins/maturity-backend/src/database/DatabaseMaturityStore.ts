import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  CheckResult,
  countStatuses,
  EntityMaturityResult,
  MaturityLevelNumber,
} from '@cnmaturity/plugin-maturity-common';
import { Knex } from 'knex';
import {
  EntityResultRecord,
  MaturityStore,
  ResultDetails,
} from './MaturityStore';

const migrationsDir = resolvePackagePath(
  '@cnmaturity/plugin-maturity-backend',
  'migrations',
);

/** A row of `maturity_results` as the drivers return it. */
export interface RawResultRow {
  entity_ref: string;
  kind: string;
  namespace: string;
  name: string;
  owner: string | null;
  system: string | null;
  domain: string | null;
  type: string | null;
  lifecycle: string | null;
  level: number;
  target_level: number | null;
  target_date: string | null;
  passed: number;
  failed: number;
  unknown: number;
  // SQLite gives a number, PostgreSQL and MySQL a Date.
  evaluated_at: Date | string | number;
  // SQLite and MySQL give 0/1.
  stale: boolean | number;
  stale_reason: string | null;
  checks: string;
  score: number;
  details: string | null;
}

/** Knex-backed store on SQLite, PostgreSQL or MySQL. */
export class DatabaseMaturityStore implements MaturityStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseMaturityStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseMaturityStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async upsertResults(records: EntityResultRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map(r => {
      const counts = countStatuses(r.checks);
      return {
        entity_ref: r.entityRef,
        kind: r.kind,
        namespace: r.namespace,
        name: r.name,
        owner: r.owner ?? null,
        system: r.system ?? null,
        domain: r.domain ?? null,
        type: r.type ?? null,
        lifecycle: r.lifecycle ?? null,
        level: r.level,
        target_level: r.targetLevel ?? null,
        target_date: r.targetDate ?? null,
        passed: counts.pass,
        failed: counts.fail,
        unknown: counts.unknown,
        evaluated_at: r.evaluatedAt,
        stale: Boolean(r.staleReason),
        stale_reason: r.staleReason ?? null,
        checks: JSON.stringify(r.checks),
        score: r.details?.scorePercent ?? 0,
        details: r.details ? JSON.stringify(r.details) : null,
      };
    });
    await this.db.transaction(async tx => {
      // Chunks keep each statement under every engine's bind-parameter limit.
      for (let i = 0; i < rows.length; i += 50) {
        await tx('maturity_results')
          .insert(rows.slice(i, i + 50))
          .onConflict(['entity_ref'])
          .merge();
      }
    });
  }

  async getResult(
    entityRef: string,
  ): Promise<EntityMaturityResult | undefined> {
    const row = await this.db<RawResultRow>('maturity_results')
      .where({ entity_ref: entityRef })
      .first();
    return row ? toResult(row) : undefined;
  }
}

function toResult(row: RawResultRow): EntityMaturityResult {
  const checks: CheckResult[] = JSON.parse(row.checks);
  const details: ResultDetails = row.details ? JSON.parse(row.details) : {};
  return {
    entityRef: row.entity_ref,
    evaluatedAt: new Date(row.evaluated_at).toISOString(),
    stale: Boolean(row.stale),
    ...(row.stale_reason ? { staleReason: row.stale_reason } : {}),
    level: row.level as MaturityLevelNumber,
    ...details,
    counts: countStatuses(checks),
    checks,
  };
}
