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
import { packedSourceOf, withPackedSource } from '../database/packedJson';
import { HeadLookup } from '../scm/HeadLookup';
import { ReadTiming, ScmReadGate } from '../scm/ScmReadGate';
import { Extractor, inlineExtractor } from './ExtractionPool';
import { BackoffState, ReadBackoff } from './ReadBackoff';
import { FileNote, repoFileFilter } from './repoFiles';
import { readRepositorySource } from './repositorySource';
import { combinedEtag, SharedCiCycle, SharedCiReader } from './SharedCiReader';

/**
 * A full download, an unchanged repository (no download), a failure, or a
 * read held back by the SCM request budget.
 */
export type RepositoryReadOutcome =
  | 'downloaded'
  | 'not-modified'
  | 'failed'
  | 'held';

/**
 * A read the SCM request budget does not allow now: the entity keeps its
 * last result, marked stale with this reason, and is read in a later cycle.
 */
export class ReadHeldError extends Error {
  readonly name = 'ReadHeldError';
  constructor(
    readonly url: string,
    readonly host: string,
    readonly until: Date,
    readonly reason: string,
  ) {
    super(
      `reading ${url} is held back by the SCM request budget until ${until.toISOString()}: ${reason}`,
    );
  }
}

/** How one cycle's reads of a budgeted SCM host went. */
export interface HostReads {
  /** Repositories the cycle needed. */
  seen: number;
  /** Held back and never read: no result yet. */
  unread: number;
  /** Held back with an earlier read: the result is kept, stale. */
  held: number;
  /** The latest time a held read may go on, and why it was held. */
  heldUntil?: Date;
  heldReason?: string;
}

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
  /** Unchanged repositories known from a batched head lookup (no request each). */
  readonly headMatches: number;
  /** Per budgeted host: how its repositories' reads went. */
  readonly hosts: ReadonlyMap<string, HostReads>;
  /** The latest time a held read may be tried again, if any was held. */
  readonly heldUntil?: Date;
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
  private readonly backoff: ReadBackoff;

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
      /** Batched head lookups: an unchanged repository costs no request of its own. */
      heads?: HeadLookup;
      /** The SCM request budget; without it reads are not limited. */
      gate?: ScmReadGate;
      /** Spares repositories whose reads keep failing; by default one per collector. */
      backoff?: ReadBackoff;
    },
  ) {
    this.extractor = options.extractor ?? inlineExtractor(options.tools);
    this.backoff = options.backoff ?? new ReadBackoff();
  }

  /**
   * A per-cycle reader: one read per repository URL, shared by its
   * entities. `timing` says how long reads may wait for the budget's pace.
   */
  startCycle(timing: ReadTiming = {}): RepositoryCycle {
    const { cache, logger, heads, gate } = this.options;
    const headOf = new Map<string, string | null>();
    const hosts = new Map<string, HostReads>();
    const cycle = { headMatches: 0 };
    const reads = new Map<string, Promise<RepositorySignal>>();
    const cached = new Map<string, Promise<CachedRepository | undefined>>();
    const toCache: CacheEntries = [];
    const counts: Record<RepositoryReadOutcome, number> = {
      downloaded: 0,
      'not-modified': 0,
      failed: 0,
      held: 0,
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
      // The real limits and what others left of them, before spending any.
      await Promise.all([found, gate?.learnLimits(urls)]);
      // A push or a refresh expects a change: a head lookup would only add
      // a GraphQL point to the read.
      if (!heads || timing.urgent) return;
      // Every URL is looked up, not only the cached ones: a repository that
      // does not exist then costs no REST request either.
      for (const [url, sha] of await heads.heads(urls)) headOf.set(url, sha);
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
        const host = gate?.hostOf(url);
        pending = last.then(entry => {
          if (host) {
            const tally = hosts.get(host) ?? { seen: 0, unread: 0, held: 0 };
            tally.seen++;
            hosts.set(host, tally);
          }
          return this.read(
            url,
            entry,
            {
              toCache,
              shared,
              head: headOf.get(url),
              timing,
              onHeadMatch: () => cycle.headMatches++,
            },
            outcome => {
              counts[outcome]++;
              this.options.onRead?.(outcome);
            },
          ).catch(e => {
            if (e instanceof ReadHeldError) {
              const tally = hosts.get(e.host)!;
              if (entry) tally.held++;
              else tally.unread++;
              if (!tally.heldUntil || tally.heldUntil < e.until) {
                tally.heldUntil = e.until;
                tally.heldReason = e.reason;
              }
            }
            throw e;
          });
        });
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
    return {
      prefetch,
      read,
      flush,
      counts,
      hosts,
      get headMatches() {
        return cycle.headMatches;
      },
      get heldUntil() {
        let latest: Date | undefined;
        for (const { heldUntil } of hosts.values()) {
          if (heldUntil && (!latest || heldUntil > latest)) latest = heldUntil;
        }
        return latest;
      },
    };
  }

  private async read(
    url: string,
    cached: CachedRepository | undefined,
    context: {
      toCache: CacheEntries;
      shared: SharedCiCycle | undefined;
      /** The head commit a batched lookup found; null: no such repository. */
      head?: string | null;
      timing: ReadTiming;
      onHeadMatch?: () => void;
    },
    report: (outcome: RepositoryReadOutcome) => void,
  ): Promise<RepositorySignal> {
    const { toCache, shared, head, timing } = context;
    // An extraction of an older shape is recomputed, so its etag is not sent.
    const usable =
      cached?.extractionVersion === EXTRACTION_VERSION ? cached : undefined;
    // The cached extraction is unpacked only if a check reads it.
    const lastGood = (extra: { stale?: { reason: string; since: string } }) => {
      const etag = combinedEtag(usable!.etag, usable!.sharedFiles);
      const signal = lazyProperty(
        {
          status: 'ok' as const,
          url,
          ...(etag ? { etag } : {}),
          ...extra,
        },
        'extraction',
        () => usable!.extraction,
      );
      // A worker that evaluates the entity can unpack it instead.
      return withPackedSource(signal, packedSourceOf(usable!));
    };
    const unchanged = async (): Promise<RepositorySignal> => {
      // The repository is unchanged; the shared CI files it calls may not be.
      const sharedNow =
        usable!.sharedFiles?.length && shared
          ? await shared.compare(usable!.sharedFiles)
          : 'unchanged';
      if (sharedNow === 'changed') {
        return this.read(
          url,
          undefined,
          { ...context, head: undefined },
          report,
        );
      }
      if (sharedNow !== 'unchanged') {
        report('failed');
        return lastGood({
          stale: {
            reason: sharedNow.failed,
            since: usable!.readAt.toISOString(),
          },
        });
      }
      report('not-modified');
      return lastGood({});
    };
    const failed = (e: unknown, sparing?: BackoffState): RepositorySignal => {
      report('failed');
      let reason = e instanceof Error ? e.message : String(e);
      if (sparing) {
        reason += ` (${
          sparing.failures
        } reads in a row failed; the next is not before ${sparing.until.toISOString()})`;
      } else {
        this.backoff.failed(url, reason);
        this.options.logger.warn(`Could not read repository ${url}: ${reason}`);
      }
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
    };
    if (head === null) {
      // The batched lookup found no such repository: no request of its own.
      return failed(
        new Error(
          'GitHub has no such repository, or the integration cannot see it (GraphQL: NOT_FOUND)',
        ),
      );
    }
    if (usable?.etag && head === usable.etag) {
      // A batched head lookup found the commit that was read last time.
      context.onHeadMatch?.();
      this.backoff.succeeded(url);
      return unchanged();
    }
    // No request for a repository that keeps failing, unless someone waits.
    const sparing = timing.urgent ? undefined : this.backoff.waiting(url);
    if (sparing) return failed(sparing.reason, sparing);
    const gate = this.options.gate;
    const held = await gate?.beforeTree(url, timing);
    if (held) {
      report('held');
      throw new ReadHeldError(url, gate!.hostOf(url)!, held.until, held.reason);
    }
    try {
      const signal = await this.readTree(url, usable?.etag, toCache, shared);
      this.backoff.succeeded(url);
      report('downloaded');
      return signal;
    } catch (e) {
      if (e instanceof Error && e.name === 'NotModifiedError' && usable) {
        this.backoff.succeeded(url);
        return unchanged();
      }
      const limited = await gate?.afterFailure(url, e);
      if (limited) {
        // GitHub refused it for its rate limit: held, not failed.
        report('held');
        throw new ReadHeldError(
          url,
          gate!.hostOf(url)!,
          limited.until,
          limited.reason,
        );
      }
      return failed(e);
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
