import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { RepoExtraction } from '@cnmaturity/plugin-maturity-node';
import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { packJson, unpackJson } from './packedJson';

/** A cached repository read. */
export interface CachedRepository {
  etag?: string;
  extractionVersion: number;
  extraction: RepoExtraction;
  readAt: Date;
}

/** Where the collector keeps the last good read of each repository. */
export interface RepoCache {
  get(url: string): Promise<CachedRepository | undefined>;
  put(url: string, entry: CachedRepository): Promise<void>;
}

/** A row of `maturity_repo_cache`. */
export interface RawRepoCacheRow {
  url_hash: string;
  url: string;
  etag: string | null;
  extraction_version: number;
  extraction: string;
  read_at: Date | string | number;
}

const hashUrl = (url: string) => createHash('sha256').update(url).digest('hex');

/** Knex-backed repository cache, surviving restarts. */
export class DatabaseRepoCache implements RepoCache {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseRepoCache> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({
        directory: resolvePackagePath(
          '@cnmaturity/plugin-maturity-backend',
          'migrations',
        ),
      });
    }
    return new DatabaseRepoCache(client);
  }

  private constructor(private readonly db: Knex) {}

  async get(url: string): Promise<CachedRepository | undefined> {
    const row = await this.db<RawRepoCacheRow>('maturity_repo_cache')
      .where({ url_hash: hashUrl(url) })
      .first();
    if (!row) return undefined;
    return {
      ...(row.etag ? { etag: row.etag } : {}),
      extractionVersion: row.extraction_version,
      extraction: unpackJson(row.extraction),
      readAt: new Date(row.read_at),
    };
  }

  async put(url: string, entry: CachedRepository): Promise<void> {
    await this.db('maturity_repo_cache')
      .insert({
        url_hash: hashUrl(url),
        url,
        etag: entry.etag ?? null,
        extraction_version: entry.extractionVersion,
        extraction: packJson(entry.extraction),
        read_at: entry.readAt,
      })
      .onConflict(['url_hash'])
      .merge();
  }
}
