import {
  createServiceFactory,
  resolvePackagePath,
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import {
  ReadTreeResponseFactory,
  urlReaderFactoriesServiceRef,
} from '@backstage/backend-defaults/urlReader';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

/** The made-up host under which the example repositories are published. */
export const EXAMPLES_HOST = 'examples.cnmaturity.local';

/**
 * Serves `examples/repos/<name>/…` at `http://examples.cnmaturity.local/repos/<name>/…`
 * through the standard UrlReaderService, so the maturity plugin reads the
 * demo repositories exactly as it reads GitHub or GitLab. Demo-only.
 */
export class ExamplesUrlReader implements UrlReaderService {
  constructor(
    private readonly rootDir: string,
    private readonly treeResponseFactory: ReadTreeResponseFactory,
  ) {}

  /** Maps a URL to a path inside rootDir; nothing outside it is ever read. */
  private resolve(url: string): string {
    const { pathname } = new URL(url);
    const target = path.resolve(
      this.rootDir,
      `.${decodeURIComponent(pathname)}`,
    );
    if (
      target !== this.rootDir &&
      !target.startsWith(this.rootDir + path.sep)
    ) {
      throw new NotFoundError(`${url} is outside the examples`);
    }
    return target;
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const file = this.resolve(url);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      throw new NotFoundError(`${url} does not exist`);
    }
    const data = await fs.promises.readFile(file);
    const etag = hash([data]);
    if (options?.etag === etag) throw new NotModifiedError();
    return {
      buffer: async () => data,
      stream: () => Readable.from(data),
      etag,
    };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const dir = this.resolve(url);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new NotFoundError(`${url} is not a repository`);
    }
    const files = listFiles(dir).filter(
      f => !options?.filter || options.filter(f.relative, { size: f.size }),
    );
    const contents = files.map(f => fs.readFileSync(f.absolute));
    const etag = hash(
      files.map((f, i) => `${f.relative}\0${hash([contents[i]])}`),
    );
    if (options?.etag === etag) throw new NotModifiedError();
    const response = await this.treeResponseFactory.fromReadableArray(
      files.map((f, i) => ({
        data: Readable.from(contents[i]),
        path: f.relative,
        lastModifiedAt: f.mtime,
      })),
    );
    // The factory's response is a class instance: wrap it rather than spread it.
    return {
      etag,
      files: () => response.files(),
      archive: () => response.archive(),
      dir: dirOptions => response.dir(dirOptions),
    };
  }

  async search(): Promise<UrlReaderServiceSearchResponse> {
    throw new Error('The examples reader does not support search');
  }

  toString() {
    return `examples{host=${EXAMPLES_HOST},root=${this.rootDir}}`;
  }
}

function hash(parts: (string | Buffer)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 32);
}

function listFiles(dir: string, base = dir) {
  const out: {
    absolute: string;
    relative: string;
    size: number;
    mtime: Date;
  }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const absolute = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(absolute, base));
    else if (entry.isFile()) {
      const stat = fs.statSync(absolute);
      out.push({
        absolute,
        relative: path.relative(base, absolute).split(path.sep).join('/'),
        size: stat.size,
        mtime: stat.mtime,
      });
    }
  }
  return out.sort((a, b) => a.relative.localeCompare(b.relative));
}

/** Registers the reader for the examples' host with the UrlReaderService. */
export const examplesUrlReader = createServiceFactory({
  service: urlReaderFactoriesServiceRef,
  deps: {},
  async factory() {
    const rootDir = path.resolve(
      resolvePackagePath('backend'),
      '../../examples',
    );
    return ({ treeResponseFactory }) => [
      {
        reader: new ExamplesUrlReader(rootDir, treeResponseFactory),
        predicate: (url: URL) => url.host === EXAMPLES_HOST,
      },
    ];
  },
});
