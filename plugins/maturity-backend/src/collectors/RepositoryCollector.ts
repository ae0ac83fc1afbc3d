import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity, getEntitySourceLocation } from '@backstage/catalog-model';
import { RepositorySignal } from '@cnmaturity/plugin-maturity-node';
import { RepoCache } from '../database/DatabaseRepoCache';
import {
  EXTRACTION_VERSION,
  extractRepository,
  isRelevantRepoFile,
  ToolPatterns,
} from '../signals';

/** A full download, an unchanged repository (no download), or a failure. */
export type RepositoryReadOutcome = 'downloaded' | 'not-modified' | 'failed';

/** The reads of one cycle. */
export interface RepositoryCycle {
  read(entity: Entity): Promise<RepositorySignal>;
  /** How the cycle's reads went so far. */
  readonly counts: Readonly<Record<RepositoryReadOutcome, number>>;
}

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

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
    },
  ) {}

  /** A per-cycle reader: one read per repository URL, shared by its entities. */
  startCycle(): RepositoryCycle {
    const reads = new Map<string, Promise<RepositorySignal>>();
    const counts: Record<RepositoryReadOutcome, number> = {
      downloaded: 0,
      'not-modified': 0,
      failed: 0,
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
        pending = this.read(location.url, outcome => {
          counts[outcome]++;
          this.options.onRead?.(outcome);
        });
        reads.set(location.url, pending);
      }
      return pending;
    };
    return { read, counts };
  }

  private async read(
    url: string,
    report: (outcome: RepositoryReadOutcome) => void,
  ): Promise<RepositorySignal> {
    const { cache } = this.options;
    const cached = await cache?.get(url).catch(() => undefined);
    // An extraction of an older shape is recomputed, so its etag is not sent.
    const usable =
      cached?.extractionVersion === EXTRACTION_VERSION ? cached : undefined;
    try {
      const signal = await this.readTree(url, usable?.etag);
      report('downloaded');
      return signal;
    } catch (e) {
      if (e instanceof Error && e.name === 'NotModifiedError' && usable) {
        report('not-modified');
        return {
          status: 'ok',
          url,
          extraction: usable.extraction,
          ...(usable.etag ? { etag: usable.etag } : {}),
        };
      }
      report('failed');
      const reason = e instanceof Error ? e.message : String(e);
      this.options.logger.warn(`Could not read repository ${url}: ${reason}`);
      if (usable) {
        // Keep the last good evidence rather than turning checks unknown.
        return {
          status: 'ok',
          url,
          extraction: usable.extraction,
          ...(usable.etag ? { etag: usable.etag } : {}),
          stale: {
            reason: `reading ${url} failed: ${reason}`,
            since: usable.readAt.toISOString(),
          },
        };
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
  ): Promise<RepositorySignal> {
    const maxFileBytes = this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const skipped: Array<{ file: string; message: string }> = [];
    const tree = await this.options.urlReader.readTree(url, {
      etag,
      filter: (path, info) => {
        if (!isRelevantRepoFile(path)) return false;
        // Too large to parse safely: skip without downloading it into memory.
        if (info?.size !== undefined && info.size > maxFileBytes) {
          skipped.push({
            file: path,
            message: `skipped: ${info.size} bytes is over the ${maxFileBytes} byte limit`,
          });
          return false;
        }
        return true;
      },
    });
    const files = await Promise.all(
      (
        await tree.files()
      ).map(async f => ({ path: f.path, content: await f.content() })),
    );
    const extraction = extractRepository(files, {
      maxFileBytes,
      tools: this.options.tools,
    });
    extraction.notes.push(...skipped);
    await this.options.cache
      ?.put(url, {
        etag: tree.etag || undefined,
        extractionVersion: EXTRACTION_VERSION,
        extraction,
        readAt: new Date(),
      })

      .catch((e: unknown) =>
        this.options.logger.warn(`Could not cache repository ${url}: ${e}`),
      );
    return {
      status: 'ok',
      url,
      extraction,
      ...(tree.etag ? { etag: tree.etag } : {}),
    };
  }
}
