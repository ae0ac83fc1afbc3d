import {
  createServiceFactory,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  ReadTreeResponseFactory,
  ReadUrlResponseFactory,
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
  SharedFileIndexEntry,
  sharedFilePath,
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
  /** readUrl calls: shared CI files (reusable workflows) the plugin follows. */
  fileRequests: number;
  /** readUrl calls with an etag. */
  fileConditional: number;
  /** readUrl answered "not modified". */
  fileNotModified: number;
  /** Files served in full. */
  fileDownloads: number;
  /** readUrl 404s: a URL that is no shared file. */
  fileFailed: number;
}

export const newCounters = (): ReaderCounters => ({
  requests: 0,
  conditional: 0,
  notModified: 0,
  downloads: 0,
  downloadedBytes: 0,
  failed: 0,
  fileRequests: 0,
  fileConditional: 0,
  fileNotModified: 0,
  fileDownloads: 0,
  fileFailed: 0,
});

/** What the reader serves: the generated repositories and the shared files. */
export interface ReaderIndex {
  /** `org/repo` -> entry. */
  repositories: ReadonlyMap<string, RepositoryIndexEntry>;
  /** `repo/path` -> entry, whatever the owner. */
  shared: ReadonlyMap<string, SharedFileIndexEntry>;
}

/**
 * Serves the generated repositories at `https://scm.bench.local/<org>/<repo>/`
 * the way an SCM integration does: a conditional request with the current
 * commit as etag is a NotModifiedError; otherwise the repository's tar.gz is
 * streamed through the real ReadTreeResponseFactory (the tar parsing and
 * filtering GitHub's reader uses). Broken repositories answer 503 or 404.
 * Single files are served only for the shared repositories (the platform
 * team's reusable workflows), at `.../<owner>/<repo>/blob/<ref>/<path>`.
 */
export class BenchUrlReader implements UrlReaderService {
  constructor(
    private readonly dir: string,
    private readonly index: ReaderIndex,
    private readonly treeResponseFactory: ReadTreeResponseFactory,
    /** Shared by the readers of every plugin. */
    readonly counters: ReaderCounters = newCounters(),
    /**
     * `org/repo` of each archive streamed, while the driver asks for them
     * (`reader-archives`); undefined otherwise, so nothing grows meanwhile.
     */
    private readonly archives: { recording?: string[] } = {},
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
    const entry = this.index.repositories.get(`${org}/${repo}`);
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
    this.archives.recording?.push(`${org}/${repo}`);
    return this.treeResponseFactory.fromTarArchive({
      stream: fs.createReadStream(archivePath(this.dir, org, repo)),
      etag: entry.etag,
      filter: options?.filter,
    });
  }

  /**
   * `repo/path` of a `https://scm.bench.local/<owner>/<repo>/blob/<ref>/<path>`
   * URL. The owner and ref are not looked at: the bench has one version of
   * each shared repository, whatever owner and ref the services name.
   */
  private locateFile(url: string): string | undefined {
    try {
      const { host, pathname } = new URL(url);
      const [, owner, repo, blob, ref, ...rest] = pathname.split('/');
      if (host !== SCM_HOST || blob !== 'blob' || !owner || !ref || !repo) {
        return undefined;
      }
      return [repo, ...rest].map(decodeURIComponent).join('/');
    } catch {
      // Not a URL, or a malformed escape: nothing the bench SCM has.
      return undefined;
    }
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const c = this.counters;
    c.fileRequests++;
    if (options?.etag) c.fileConditional++;
    const key = this.locateFile(url);
    const entry = key ? this.index.shared.get(key) : undefined;
    if (!key || !entry) {
      c.fileFailed++;
      throw new NotFoundError(
        `${url} could not be read, 404 Not Found from ${SCM_HOST} (it serves single files of shared repositories only)`,
      );
    }
    if (options?.etag === entry.etag) {
      c.fileNotModified++;
      throw new NotModifiedError();
    }
    c.fileDownloads++;
    const [repo, ...file] = key.split('/');
    return ReadUrlResponseFactory.fromReadable(
      fs.createReadStream(sharedFilePath(this.dir, repo, file.join('/'))),
      { etag: entry.etag },
    );
  }

  async search(url: string): Promise<UrlReaderServiceSearchResponse> {
    throw new NotFoundError(`${url}: the bench SCM does not search`);
  }

  toString() {
    return `bench{host=${SCM_HOST},root=${this.dir}}`;
  }
}

export function readIndex(dir: string): ReaderIndex {
  const index: RepositoryIndex = JSON.parse(
    fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8'),
  );
  return {
    repositories: new Map(Object.entries(index.repositories)),
    shared: new Map(Object.entries(index.shared)),
  };
}

/**
 * Registers the reader for the bench SCM host with the UrlReaderService.
 * Its counters answer the driver's `reader-counters` requests;
 * `reader-archives` with `record: true` starts a list of the archives
 * streamed, and with `record: false` returns it (`org/repo`, one per
 * download) and stops.
 */
export const benchUrlReaderFactory = (dir: string) =>
  createServiceFactory({
    service: urlReaderFactoriesServiceRef,
    deps: {},
    async factory() {
      const index = readIndex(dir);
      const counters = newCounters();
      const archives: { recording?: string[] } = {};
      onRequest('reader-counters', () => ({ ...counters }));
      onRequest('reader-archives', ({ record }: { record: boolean }) => {
        const recorded = archives.recording ?? [];
        archives.recording = record ? [] : undefined;
        return recorded;
      });
      return ({ treeResponseFactory }) => {
        const reader = new BenchUrlReader(
          dir,
          index,
          treeResponseFactory,
          counters,
          archives,
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
