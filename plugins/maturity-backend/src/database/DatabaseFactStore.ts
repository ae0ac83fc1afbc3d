import { DatabaseService } from '@backstage/backend-plugin-api';
import { MaturityFact } from '@cnmaturity/plugin-maturity-rules';
import { Knex } from 'knex';

/** A fact as pushed, with who pushed it. */
export interface PushedFact extends MaturityFact {
  entityRef: string;
  pushedBy: string;
}

/** Where pushed facts live. */
export interface FactStore {
  addFacts(facts: PushedFact[]): Promise<void>;
  /** The latest fact per source for each entity ref (lower case). */
  latestFacts(entityRefs: string[]): Promise<Map<string, MaturityFact[]>>;
}

/** A row of `maturity_facts`. */
export interface RawFactRow {
  id: number;
  entity_ref: string;
  source: string;
  timestamp: Date | string | number;
  values: string;
  pushed_by: string;
  received_at: Date | string | number;
}

/**
 * Knex-backed fact store. Migrations are run by DatabaseMaturityStore, which
 * the plugin creates first.
 */
export class DatabaseFactStore implements FactStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseFactStore> {
    return new DatabaseFactStore(await options.database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  async addFacts(facts: PushedFact[]): Promise<void> {
    if (facts.length === 0) return;
    const now = new Date();
    await this.db.transaction(async tx => {
      for (let i = 0; i < facts.length; i += 50) {
        await tx('maturity_facts').insert(
          facts.slice(i, i + 50).map(f => ({
            entity_ref: f.entityRef,
            source: f.source,
            timestamp: new Date(f.timestamp),
            values: JSON.stringify(f.values),
            pushed_by: f.pushedBy,
            received_at: now,
          })),
        );
      }
    });
  }

  async latestFacts(
    entityRefs: string[],
  ): Promise<Map<string, MaturityFact[]>> {
    const out = new Map<string, MaturityFact[]>();
    if (entityRefs.length === 0) return out;
    // Newest first; the first row per (entity, source) wins. The index on
    // (entity_ref, source, timestamp) serves this.
    const rows = await this.db<RawFactRow>('maturity_facts')
      .whereIn('entity_ref', entityRefs)
      .orderBy([
        { column: 'entity_ref' },
        { column: 'source' },
        { column: 'timestamp', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    const seen = new Set<string>();
    for (const row of rows) {
      const key = `${row.entity_ref}\0${row.source}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = out.get(row.entity_ref) ?? [];
      list.push({
        source: row.source,
        timestamp: new Date(row.timestamp).toISOString(),
        values: JSON.parse(row.values),
      });
      out.set(row.entity_ref, list);
    }
    return out;
  }
}
