import { DatabaseService } from '@backstage/backend-plugin-api';
import { RepoExtraction } from '@cnmaturity/plugin-maturity-rules';
import type { SharedFileVersion } from '../collectors/SharedCiReader';
import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { migrateLatest } from './migrate';
import { lazyProperty } from '../lazyProperty';
import { DeflateDictionaries } from './DeflateDictionaries';
import {
  Deflate,
  deflateOnThreadPool,
  dictionaryOf,
  packJson,
  unpackJson,
  withPackedSource,
} from './packedJson';

/** A cached repository read. */
export interface CachedRepository {
  etag?: string;
  extractionVersion: number;
  extraction: RepoExtraction;
  readAt: Date;
  /** The shared CI files the extraction followed, with their versions. */
  sharedFiles?: SharedFileVersion[];
}

/**
 * Where the collector keeps the last good read of each repository. Read and
 * written a page of repositories at a time: one query each way per page.
 */
export interface RepoCache {
  getMany(urls: readonly string[]): Promise<Map<string, CachedRepository>>;
  putMany(
    entries: ReadonlyArray<{ url: string; entry: CachedRepository }>,
  ): Promise<void>;
}

/** A row of `maturity_repo_cache`. */
export interface RawRepoCacheRow {
  url_hash: string;
  url: string;
  etag: string | null;
  extraction_version: number;
  extraction: string;
  read_at: Date | string | number;
  shared_files?: string | null;
}

/** Rows per statement: well under every engine's bound-variable limit. */
const BATCH = 100;

const hashUrl = (url: string) => createHash('sha256').update(url).digest('hex');

/** Knex-backed repository cache, surviving restarts. */
export class DatabaseRepoCache implements RepoCache {
  static async create(options: {
    database: DatabaseService;
    /** Where packed JSON is deflated; by default libuv's thread pool. */
    deflate?: Deflate;
  }): Promise<DatabaseRepoCache> {
    const client = await options.database.getClient();
    await migrateLatest(client, options.database);
    return new DatabaseRepoCache(client, options.deflate);
  }

  private readonly dictionaries: DeflateDictionaries;

  private constructor(
    private readonly db: Knex,
    private readonly deflate: Deflate = deflateOnThreadPool,
  ) {
    this.dictionaries = new DeflateDictionaries(db);
  }

  /**
   * The cached reads of these URLs. Extractions are unpacked on first use:
   * an unchanged entity is skipped on its repository's etag alone.
   */
  async getMany(
    urls: readonly string[],
  ): Promise<Map<string, CachedRepository>> {
    const found = new Map<string, CachedRepository>();
    for (let i = 0; i < urls.length; i += BATCH) {
      const rows = await this.db<RawRepoCacheRow>('maturity_repo_cache')
        .whereIn('url_hash', urls.slice(i, i + BATCH).map(hashUrl))
        .select();
      await this.dictionaries.load(rows.map(r => r.extraction));
      for (const row of rows) {
        const entry = lazyProperty(
          {
            ...(row.etag ? { etag: row.etag } : {}),
            extractionVersion: row.extraction_version,
            readAt: new Date(row.read_at),
            ...(row.shared_files
              ? { sharedFiles: JSON.parse(row.shared_files) }
              : {}),
          },
          'extraction',
          () =>
            unpackJson<RepoExtraction>(
              row.extraction,
              this.dictionaries.lookup,
            ),
        );
        found.set(
          row.url,
          withPackedSource(entry, {
            text: row.extraction,
            dictionary: dictionaryOf(row.extraction, this.dictionaries.lookup),
          }),
        );
      }
    }
    return found;
  }

  /** Stores reads in one transaction (the last one of a URL wins). */
  async putMany(
    entries: ReadonlyArray<{ url: string; entry: CachedRepository }>,
  ): Promise<void> {
    // One row per URL: PostgreSQL refuses to upsert a row twice in one statement.
    const latest = new Map(entries.map(({ url, entry }) => [url, entry]));
    const dictionary = await this.dictionaries.forWriting('extraction', () =>
      [...latest.values()].map(e => JSON.stringify(e.extraction)),
    );
    const rows = await Promise.all(
      [...latest].map(async ([url, entry]) => ({
        url_hash: hashUrl(url),
        url,
        etag: entry.etag ?? null,
        extraction_version: entry.extractionVersion,
        extraction: await packJson(entry.extraction, dictionary, this.deflate),
        read_at: entry.readAt,
        shared_files: entry.sharedFiles?.length
          ? JSON.stringify(entry.sharedFiles)
          : null,
      })),
    );
    if (rows.length === 0) return;
    await this.db.transaction(async tx => {
      for (let i = 0; i < rows.length; i += BATCH) {
        await tx('maturity_repo_cache')
          .insert(rows.slice(i, i + BATCH))
          .onConflict(['url_hash'])
          .merge();
      }
    });
  }
}
