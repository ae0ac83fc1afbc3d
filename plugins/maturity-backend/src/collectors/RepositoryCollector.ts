import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity, getEntitySourceLocation } from '@backstage/catalog-model';
import {
  DEFAULT_MAX_FILE_BYTES,
  EXTRACTION_VERSION,
  RepositorySignal,
  ToolPatterns,
} from '@cnmaturity/plugin-maturity-rules';
import { CachedRepository, RepoCache } from '../database/DatabaseRepoCache';
import { lazyProperty } from '../lazyProperty';
import { Extractor, inlineExtractor } from './ExtractionPool';
import { FileNote, repoFileFilter } from './repoFiles';
import { readRepositorySource } from './repositorySource';
import { combinedEtag, SharedCiCycle, SharedCiReader } from './SharedCiReader';

/** A full download, an unchanged repository (no download), or a failure. */
export type RepositoryReadOutcome = 'downloaded' | 'not-modified' | 'failed';

/** The reads of one cycle. */
export interface RepositoryCycle {
  /** Loads the cached reads of these entities' repositories in one query. */
  prefetch(entities: readonly Entity[]): Promise<void>;
  read(entity: Entity): Promise<RepositorySignal>;
  /**
   * Caches the reads finished since the last flush, in one transaction.
   * Never throws: a read that is not cached is only read again.
   */
  flush(): Promise<void>;
  /** How the cycle's reads went so far. */
  readonly counts: Readonly<Record<RepositoryReadOutcome, number>>;
}

type CacheEntries = Array<{ url: string; entry: CachedRepository }>;

/** Where the entity's code lives, or why there is nothing to read. */
export function sourceLocationUrl(
  entity: Entity,
): { url: string } | { reason: string } {
  let location;
  try {
    location = getEntitySourceLocation(entity);
  } catch {
    return {
      reason:
        'the entity has no backstage.io/source-location annotation, so no repository can be read',
    };
  }
  if (location.type !== 'url') {
    return {
      reason: `the source location type "${location.type}" cannot be read (only url locations)`,
    };
  }
  return { url: location.target };
}

/**
 * Reads each repository once per cycle through the UrlReaderService (so
 * every SCM integration works) and turns it into the compact extraction the
 * checks read. Entities that share a repository share the read.
 */
export class RepositoryCollector {
  private readonly extractor: Extractor;

  constructor(
    private readonly options: {
      urlReader: UrlReaderService;
      logger: LoggerService;
      maxFileBytes?: number;
      /** The organisation's tools, added to the built-in detection. */
      tools?: Partial<ToolPatterns>;
      /** The last good read per repository; without it every read is full. */
      cache?: RepoCache;
      /** Told how each read went, for metrics. */
      onRead?: (outcome: RepositoryReadOutcome) => void;
      /** Follows shared CI definitions; without it they are not read. */
      sharedCi?: SharedCiReader;
      /** Where files are parsed; by default on the event loop with `tools`. */
      extractor?: Extractor;
    },
  ) {
    this.extractor = options.extractor ?? inlineExtractor(options.tools);
  }

  /** A per-cycle reader: one read per repository URL, shared by its entities. */
  startCycle(): RepositoryCycle {
    const { cache, logger } = this.options;
    const reads = new Map<string, Promise<RepositorySignal>>();
    const cached = new Map<string, Promise<CachedRepository | undefined>>();
    const toCache: CacheEntries = [];
    const counts: Record<RepositoryReadOutcome, number> = {
      downloaded: 0,
      'not-modified': 0,
      failed: 0,
    };
    const shared = this.options.sharedCi?.startCycle();
    const urlOf = (entity: Entity) => {
      const location = sourceLocationUrl(entity);
      return 'url' in location ? location.url : undefined;
    };
    const prefetch = async (entities: readonly Entity[]) => {
      const urls = [
        ...new Set(entities.map(urlOf).filter((u): u is string => !!u)),
      ].filter(url => !cached.has(url) && !reads.has(url));
      if (!cache || urls.length === 0) return;
      const found = cache.getMany(urls).catch(e => {
        logger.warn(`Could not read the repository cache: ${e}`);
        return new Map<string, CachedRepository>();
      });
      for (const url of urls)
        cached.set(
          url,
          found.then(m => m.get(url)),
        );
      await found;
    };
    const read = (entity: Entity): Promise<RepositorySignal> => {
      const location = sourceLocationUrl(entity);
      if ('reason' in location) {
        return Promise.resolve({
          status: 'unavailable',
          reason: location.reason,
        });
      }
      let pending = reads.get(location.url);
      if (!pending) {
        const url = location.url;
        const last =
          cached.get(url) ??
          cache?.getMany([url]).then(
            m => m.get(url),
            () => undefined,
          ) ??
          Promise.resolve(undefined);
        pending = last.then(entry =>
          this.read(url, entry, toCache, shared, outcome => {
            counts[outcome]++;
            this.options.onRead?.(outcome);
          }),
        );
        reads.set(url, pending);
        cached.delete(url);
      }
      return pending;
    };
    const flush = async () => {
      const entries = toCache.splice(0);
      if (!cache || entries.length === 0) return;
      await cache
        .putMany(entries)
        .catch((e: unknown) =>
          logger.warn(`Could not cache ${entries.length} repositories: ${e}`),
        );
    };
    return { prefetch, read, flush, counts };
  }

  private async read(
    url: string,
    cached: CachedRepository | undefined,
    toCache: CacheEntries,
    shared: SharedCiCycle | undefined,
    report: (outcome: RepositoryReadOutcome) => void,
  ): Promise<RepositorySignal> {
    // An extraction of an older shape is recomputed, so its etag is not sent.
    const usable =
      cached?.extractionVersion === EXTRACTION_VERSION ? cached : undefined;
    // The cached extraction is unpacked only if a check reads it.
    const lastGood = (extra: { stale?: { reason: string; since: string } }) => {
      const etag = combinedEtag(usable!.etag, usable!.sharedFiles);
      return lazyProperty(
        {
          status: 'ok' as const,
          url,
          ...(etag ? { etag } : {}),
          ...extra,
        },
        'extraction',
        () => usable!.extraction,
      );
    };
    try {
      const signal = await this.readTree(url, usable?.etag, toCache, shared);
      report('downloaded');
      return signal;
    } catch (e) {
      if (e instanceof Error && e.name === 'NotModifiedError' && usable) {
        // The repository is unchanged; the shared CI files it calls may not be.
        const sharedNow =
          usable.sharedFiles?.length && shared
            ? await shared.compare(usable.sharedFiles)
            : 'unchanged';
        if (sharedNow === 'changed') {
          return this.read(url, undefined, toCache, shared, report);
        }
        if (sharedNow !== 'unchanged') {
          report('failed');
          return lastGood({
            stale: {
              reason: sharedNow.failed,
              since: usable.readAt.toISOString(),
            },
          });
        }
        report('not-modified');
        return lastGood({});
      }
      report('failed');
      const reason = e instanceof Error ? e.message : String(e);
      this.options.logger.warn(`Could not read repository ${url}: ${reason}`);
      if (usable) {
        // Keep the last good evidence rather than turning checks unknown.
        return lastGood({
          stale: {
            reason: `reading ${url} failed: ${reason}`,
            since: usable.readAt.toISOString(),
          },
        });
      }
      return {
        status: 'unavailable',
        url,
        reason: `reading ${url} failed: ${reason}`,
      };
    }
  }

  private async readTree(
    url: string,
    etag: string | undefined,
    toCache: CacheEntries,
    shared: SharedCiCycle | undefined,
  ): Promise<RepositorySignal> {
    const maxFileBytes = this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const skipped: FileNote[] = [];
    const filter = repoFileFilter(maxFileBytes, skipped);
    const tree = await this.options.urlReader.readTree(url, { etag, filter });
    const source = await readRepositorySource(tree, filter, skipped);
    const reader = this.options.sharedCi;
    const organizations =
      reader && shared ? reader.organizationsOf(url) : undefined;
    const { extraction, shared: resolved } = await this.extractor.extract({
      ...source,
      maxFileBytes,
      ...(organizations
        ? {
            organizations,
            resolveShared: references =>
              shared!.resolve(references, url, organizations),
          }
        : {}),
    });
    toCache.push({
      url,
      entry: {
        etag: tree.etag || undefined,
        extractionVersion: EXTRACTION_VERSION,
        extraction,
        readAt: new Date(),
        ...(resolved?.files.length ? { sharedFiles: resolved.files } : {}),
      },
    });
    const version = combinedEtag(tree.etag || undefined, resolved?.files);
    return {
      status: 'ok',
      url,
      extraction,
      ...(version ? { etag: version } : {}),
    };
  }
}
