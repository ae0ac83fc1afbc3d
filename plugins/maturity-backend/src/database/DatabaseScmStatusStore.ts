import { DatabaseService } from '@backstage/backend-plugin-api';
import { MaturityScmHostStatus } from '@cnmaturity/plugin-maturity-common';
import { Knex } from 'knex';

/**
 * The request budget's last word per SCM host (and shard), so every
 * instance can show it. Rows are written by whichever instance ran a cycle.
 */
export class DatabaseScmStatusStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseScmStatusStore> {
    // The tables come from the results store's migrations.
    return new DatabaseScmStatusStore(await options.database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  /** Replaces the status of the host as one shard (`key`) saw it. */
  async put(key: string, status: MaturityScmHostStatus): Promise<void> {
    await this.db('maturity_scm_status')
      .insert({
        host: key.slice(0, 255),
        status: JSON.stringify(status),
        updated_at: new Date(status.updatedAt),
      })
      .onConflict(['host'])
      .merge();
  }

  /** Every row, newest first. */
  async list(): Promise<MaturityScmHostStatus[]> {
    const rows: Array<{ status: string }> = await this.db('maturity_scm_status')
      .select('status')
      .orderBy('updated_at', 'desc');
    return rows.flatMap(r => {
      try {
        return [JSON.parse(r.status) as MaturityScmHostStatus];
      } catch {
        return [];
      }
    });
  }
}
