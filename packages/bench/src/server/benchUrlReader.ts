import {
  createServiceFactory,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  ReadTreeResponseFactory,
  urlReaderFactoriesServiceRef,
} from '@backstage/backend-defaults/urlReader';
import {
  NotFoundError,
  NotModifiedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';
import { SCM_HOST } from '../generator/generate';
import {
  archivePath,
  INDEX_FILE,
  RepositoryIndex,
  RepositoryIndexEntry,
} from '../generator/writeRepositories';
import { onRequest } from './ipc';

/** What the reader was asked and what it answered, since the start. */
export interface ReaderCounters {
  /** readTree calls. */
  requests: number;
  /** readTree calls with an etag (conditional requests). */
  conditional: number;
  /** Answered "not modified": no download. */
  notModified: number;
  /** Archives streamed to the caller. */
  downloads: number;
  /** Bytes of the archives streamed (compressed). */
  downloadedBytes: number;
  /** 404s and 503s. */
  failed: number;
}

export const newCounters = (): ReaderCounters => ({
  requests: 0,
  conditional: 0,
  notModified: 0,
  downloads: 0,
  downloadedBytes: 0,
  failed: 0,
});

/**
 * Serves the generated repositories at `https://scm.bench.local/<org>/<repo>/`
 * the way an SCM integration does: a conditional request with the current
 * commit as etag is a NotModifiedError; otherwise the repository's tar.gz is
 * streamed through the real ReadTreeResponseFactory (the tar parsing and
 * filtering GitHub's reader uses). Broken repositories answer 503 or 404.
 */
export class BenchUrlReader implements UrlReaderService {
  constructor(
    private readonly dir: string,
    private readonly index: ReadonlyMap<string, RepositoryIndexEntry>,
    private readonly treeResponseFactory: ReadTreeResponseFactory,
    /** Shared by the readers of every plugin. */
    readonly counters: ReaderCounters = newCounters(),
  ) {}

  /** `org/repo` of a `https://scm.bench.local/<org>/<repo>/tree/main/...` URL. */
  private locate(url: string): { org: string; repo: string } {
    const { host, pathname } = new URL(url);
    const [, org, repo] = pathname.split('/');
    if (host !== SCM_HOST || !org || !repo) {
      throw new NotFoundError(`${url} is not a bench repository`);
    }
    return { org, repo };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const c = this.counters;
    c.requests++;
    if (options?.etag) c.conditional++;
    const { org, repo } = this.locate(url);
    const entry = this.index.get(`${org}/${repo}`);
    if (!entry || entry.failure === 404) {
      c.failed++;
      throw new NotFoundError(
        `${url} could not be read, 404 Not Found from ${SCM_HOST}`,
      );
    }
    if (entry.failure === 503) {
      c.failed++;
      throw new ServiceUnavailableError(
        `${url} could not be read, 503 Service Unavailable from ${SCM_HOST}`,
      );
    }
    if (options?.etag === entry.etag) {
      c.notModified++;
      throw new NotModifiedError();
    }
    c.downloads++;
    c.downloadedBytes += entry.bytes;
    return this.treeResponseFactory.fromTarArchive({
      stream: fs.createReadStream(archivePath(this.dir, org, repo)),
      etag: entry.etag,
      filter: options?.filter,
    });
  }

  async readUrl(url: string): Promise<UrlReaderServiceReadUrlResponse> {
    throw new NotFoundError(`${url}: the bench SCM serves whole trees only`);
  }

  async search(url: string): Promise<UrlReaderServiceSearchResponse> {
    throw new NotFoundError(`${url}: the bench SCM does not search`);
  }

  toString() {
    return `bench{host=${SCM_HOST},root=${this.dir}}`;
  }
}

export function readIndex(dir: string): Map<string, RepositoryIndexEntry> {
  const index: RepositoryIndex = JSON.parse(
    fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8'),
  );
  return new Map(Object.entries(index.repositories));
}

/**
 * Registers the reader for the bench SCM host with the UrlReaderService.
 * Its counters answer the driver's `reader-counters` requests.
 */
export const benchUrlReaderFactory = (dir: string) =>
  createServiceFactory({
    service: urlReaderFactoriesServiceRef,
    deps: {},
    async factory() {
      const index = readIndex(dir);
      const counters = newCounters();
      onRequest('reader-counters', () => ({ ...counters }));
      return ({ treeResponseFactory }) => {
        const reader = new BenchUrlReader(
          dir,
          index,
          treeResponseFactory,
          counters,
        );
        return [
          {
            reader,
            predicate: (url: URL) => url.host === SCM_HOST,
          },
        ];
      };
    },
  });
