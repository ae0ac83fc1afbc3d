import { createHash } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  OutgoingHttpHeaders,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** What a request to the fake was for. */
export type FakeGitHubEndpoint =
  /** `GET /repos/{owner}/{repo}`: metadata, incl. the default branch. */
  | 'repository'
  /** `GET /repos/{owner}/{repo}/commits/{ref}/status`: the commit a ref points at. */
  | 'commit-status'
  /** `GET /repos/{owner}/{repo}/tarball/{ref}`: redirects to codeload. */
  | 'tarball'
  /** The archive bytes behind the tarball redirect: the actual download. */
  | 'codeload'
  /** `GET /repos/{owner}/{repo}/contents/{path}?ref=`: one file, raw (readUrl). */
  | 'contents'
  /** `POST /api/graphql`: repository heads, many per query. */
  | 'graphql'
  /** `GET /rate_limit`: the limits; free of charge on GitHub. */
  | 'rate-limit'
  /** Anything else (answered 404, as GitHub does for unknown routes). */
  | 'unknown';

/** One request the fake answered. */
export interface FakeGitHubRequest {
  endpoint: FakeGitHubEndpoint;
  method: string;
  /** Path and query as sent, e.g. `/api/v3/repos/acme/web/commits/main/status?per_page=0`. */
  path: string;
  status: number;
  ifNoneMatch?: string;
  authorization?: string;
}

/** An answer the API endpoints give instead of the real one, e.g. a rate limit. */
export interface FakeGitHubFailure {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

/** A 403 as GitHub sends it when the API rate limit is used up. */
export const RATE_LIMITED: FakeGitHubFailure = {
  status: 403,
  message: 'API rate limit exceeded for installation ID 1.',
  headers: {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-used': '5000',
    'x-ratelimit-resource': 'core',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
  },
};

interface Commit {
  sha: string;
  files: Record<string, string>;
  tarball?: Buffer;
}

const API_PREFIX = '/api/v3';
const GRAPHQL_PATH = '/api/graphql';
const CODELOAD_PREFIX = '/_codeload';

/**
 * A minimal GitHub (Enterprise-style, `{origin}/api/v3`) REST API serving a
 * single repository over plain HTTP on 127.0.0.1, speaking only what
 * Backstage's GithubUrlReader uses for readTree. It counts every request so a
 * test can assert what was downloaded.
 */
export class FakeGitHubApi {
  /** Every request answered, oldest first. */
  readonly requests: FakeGitHubRequest[] = [];

  private readonly commits = new Map<string, Commit>();
  /** Single files of any repository, by `owner/repo@ref:path`. */
  private readonly files = new Map<string, string>();
  private head: Commit;
  private failure: FakeGitHubFailure | undefined;
  /** Requests parked by `hold()`, answered on `release()`. */
  private held: Array<() => void> | undefined;
  private origin = '';
  private readonly server: Server;

  static async start(options: {
    owner: string;
    repo: string;
    files: Record<string, string>;
    branch?: string;
    /** When set, API calls without `Authorization: Bearer <token>` get a 401. */
    token?: string;
  }): Promise<FakeGitHubApi> {
    const api = new FakeGitHubApi(
      options.owner,
      options.repo,
      options.branch ?? 'main',
      options.files,
      options.token,
    );
    await new Promise<void>((resolve, reject) => {
      api.server.once('error', reject);
      api.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = api.server.address() as AddressInfo;
    api.origin = `http://127.0.0.1:${port}`;
    return api;
  }

  private constructor(
    readonly owner: string,
    readonly repo: string,
    readonly branch: string,
    files: Record<string, string>,
    private readonly token: string | undefined,
  ) {
    this.head = this.commit(files, '');
    this.server = createServer((req, res) => this.handle(req, res));
  }

  /** The `apiBaseUrl` to configure in `integrations.github`. */
  get apiBaseUrl(): string {
    return `${this.origin}${API_PREFIX}`;
  }

  /** The commit the branch points at. */
  get sha(): string {
    return this.head.sha;
  }

  /** Serves one file of any repository at a ref, as readUrl reads it. */
  serveFile(
    owner: string,
    repo: string,
    ref: string,
    path: string,
    text: string,
  ) {
    this.files.set(`${owner}/${repo}@${ref}:${path}`, text);
  }

  /** Moves the branch to a new commit with these files; returns its sha. */
  push(files: Record<string, string>): string {
    this.head = this.commit(files, this.head.sha);
    return this.head.sha;
  }

  /** Makes every API endpoint answer with this failure, until cleared. */
  failWith(failure: FakeGitHubFailure | undefined) {
    this.failure = failure;
  }

  /**
   * Leaves every request unanswered until `release()`, as a hung GitHub
   * would: a reader waits for it mid-cycle, for as long as a test needs.
   */
  hold() {
    this.held ??= [];
  }

  /** Answers the requests held so far, and the next ones as they come. */
  release() {
    const held = this.held ?? [];
    this.held = undefined;
    held.forEach(answer => answer());
  }

  /** How many requests are waiting for `release()`. */
  get heldCount(): number {
    return this.held?.length ?? 0;
  }

  /** How many requests went to the endpoint. */
  count(endpoint: FakeGitHubEndpoint): number {
    return this.requests.filter(r => r.endpoint === endpoint).length;
  }

  /** `METHOD path -> status` of the requests since the last call, and forgets them. */
  take(): string[] {
    return this.requests
      .splice(0)
      .map(r => `${r.method} ${r.path} -> ${r.status}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private commit(files: Record<string, string>, parent: string): Commit {
    const sha = createHash('sha1')
      .update(JSON.stringify({ parent, files }))
      .digest('hex');
    const commit = { sha, files: { ...files } };
    this.commits.set(sha, commit);
    return commit;
  }

  private resolveRef(ref: string): Commit | undefined {
    return ref === this.branch ? this.head : this.commits.get(ref);
  }

  private repository() {
    const { owner, repo, origin } = this;
    const base = `${this.apiBaseUrl}/repos/${owner}/${repo}`;
    return {
      id: 1,
      name: repo,
      full_name: `${owner}/${repo}`,
      private: false,
      owner: { login: owner, type: 'Organization' },
      html_url: `${origin}/${owner}/${repo}`,
      url: base,
      default_branch: this.branch,
      archive_url: `${base}/{archive_format}{/ref}`,
      trees_url: `${base}/git/trees{/sha}`,
    };
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    if (this.held) {
      // A client that went away meanwhile (a killed process) gets nothing.
      this.held.push(() => req.socket.destroyed || this.handle(req, res));
      return;
    }
    const path = req.url ?? '/';
    const { pathname } = new URL(path, 'http://fake');
    const record = (endpoint: FakeGitHubEndpoint) => {
      res.once('finish', () =>
        this.requests.push({
          endpoint,
          method: req.method ?? 'GET',
          path,
          status: res.statusCode,
          ...(req.headers['if-none-match']
            ? { ifNoneMatch: req.headers['if-none-match'] }
            : {}),
          ...(req.headers.authorization
            ? { authorization: req.headers.authorization }
            : {}),
        }),
      );
    };
    const repoPath = `/repos/${this.owner}/${this.repo}`;

    if (pathname.startsWith(`${CODELOAD_PREFIX}/`)) {
      // codeload.github.com/{owner}/{repo}/legacy.tar.gz/{sha}
      record('codeload');
      const match = pathname
        .slice(CODELOAD_PREFIX.length)
        .match(/^\/([^/]+)\/([^/]+)\/legacy\.tar\.gz\/([0-9a-f]{40})$/);
      const commit = match && this.commits.get(match[3]);
      if (!commit || req.method !== 'GET') {
        this.send(res, 404, { message: 'Not Found' });
        return;
      }
      this.sendTarball(req, res, commit);
      return;
    }

    if (pathname === GRAPHQL_PATH) {
      record('graphql');
      this.graphql(req, res);
      return;
    }
    if (pathname === `${API_PREFIX}/rate_limit`) {
      record('rate-limit');
      const headers = this.failure?.headers ?? {};
      const reset = Number(
        headers['x-ratelimit-reset'] ?? Math.floor(Date.now() / 1000) + 3600,
      );
      const remaining = Number(headers['x-ratelimit-remaining'] ?? 4999);
      const core = { limit: 5000, used: 5000 - remaining, remaining, reset };
      this.send(res, 200, { resources: { core }, rate: core }, headers);
      return;
    }
    if (!pathname.startsWith(`${API_PREFIX}/`)) {
      record('unknown');
      this.send(res, 404, { message: 'Not Found' });
      return;
    }
    const route = pathname.slice(API_PREFIX.length);
    const statusMatch = route.match(
      new RegExp(`^${repoPath}/commits/([^/]+)/status$`),
    );
    const tarballMatch = route.match(
      new RegExp(`^${repoPath}/tarball(?:/([^/]+))?$`),
    );
    const contentsMatch = route.match(
      /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/,
    );
    let endpoint: FakeGitHubEndpoint = 'unknown';
    if (route === repoPath) endpoint = 'repository';
    else if (contentsMatch) endpoint = 'contents';
    else if (statusMatch) endpoint = 'commit-status';
    else if (tarballMatch) endpoint = 'tarball';
    record(endpoint);

    if (
      this.token &&
      req.headers.authorization !== `Bearer ${this.token}` &&
      req.headers.authorization !== `token ${this.token}`
    ) {
      this.send(res, 401, { message: 'Bad credentials' });
      return;
    }
    if (this.failure) {
      this.send(
        res,
        this.failure.status,
        {
          message: this.failure.message,
          documentation_url: 'https://docs.github.com/rest',
        },
        this.failure.headers,
      );
      return;
    }
    if (req.method !== 'GET' || endpoint === 'unknown') {
      this.send(res, 404, { message: 'Not Found' });
      return;
    }

    if (endpoint === 'contents') {
      const ref = new URL(path, 'http://fake').searchParams.get('ref') ?? '';
      const [, owner, repo, file] = contentsMatch!.map(decodeURIComponent);
      const text = this.files.get(`${owner}/${repo}@${ref}:${file}`);
      if (text === undefined) {
        this.send(res, 404, { message: 'Not Found' });
        return;
      }
      const etag = `"${createHash('sha1').update(text).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag, ...rateLimitHeaders() });
        res.end();
        return;
      }
      res.writeHead(200, {
        etag,
        'content-type': 'application/vnd.github.v3.raw',
        ...rateLimitHeaders(),
      });
      res.end(text);
      return;
    }
    if (endpoint === 'repository') {
      this.sendJson(req, res, this.repository());
      return;
    }
    if (endpoint === 'commit-status') {
      const commit = this.resolveRef(decodeURIComponent(statusMatch![1]));
      if (!commit) {
        this.send(res, 404, { message: 'No commit found for SHA' });
        return;
      }
      this.sendJson(req, res, {
        state: 'pending',
        statuses: [],
        sha: commit.sha,
        total_count: 0,
        repository: this.repository(),
        commit_url: `${this.apiBaseUrl}${repoPath}/commits/${commit.sha}`,
        url: `${this.apiBaseUrl}${repoPath}/commits/${commit.sha}/status`,
      });
      return;
    }
    // tarball: GitHub answers with a redirect to codeload.
    const commit = this.resolveRef(
      decodeURIComponent(tarballMatch![1] ?? this.branch),
    );
    if (!commit) {
      this.send(res, 404, { message: 'Not Found' });
      return;
    }
    res.writeHead(302, {
      location: `${this.origin}${CODELOAD_PREFIX}/${this.owner}/${this.repo}/legacy.tar.gz/${commit.sha}`,
      'content-length': 0,
    });
    res.end();
  }

  /**
   * The heads query GithubHeadLookup sends: `rN:repository(owner:$oN,
   * name:$nN)` with `head:object(expression:$eN)` or `defaultBranchRef`.
   * Unknown repositories are null with a NOT_FOUND error, as on GitHub.
   */
  private graphql(req: IncomingMessage, res: ServerResponse) {
    let text = '';
    req.on('data', chunk => {
      text += chunk;
    });
    req.on('end', () => {
      if (this.failure) {
        this.send(
          res,
          this.failure.status,
          {
            message: this.failure.message,
          },
          this.failure.headers,
        );
        return;
      }
      const { query, variables } = JSON.parse(text) as {
        query: string;
        variables: Record<string, string>;
      };
      const data: Record<string, unknown> = {
        rateLimit: {
          limit: 5000,
          cost: 1,
          remaining: 4999,
          resetAt: new Date(Date.now() + 3_600_000).toISOString(),
        },
      };
      const errors: unknown[] = [];
      for (const m of query.matchAll(
        /(r\d+):repository\(owner:\$(o\d+),name:\$(n\d+)\)\{(.*?)\}(?= r\d+:|\}$)/g,
      )) {
        const [, alias, o, n, selection] = m;
        if (variables[o] !== this.owner || variables[n] !== this.repo) {
          data[alias] = null;
          errors.push({
            type: 'NOT_FOUND',
            path: [alias],
            message: `Could not resolve to a Repository with the name '${variables[o]}/${variables[n]}'.`,
          });
          continue;
        }
        const expression = selection.match(/expression:\$(e\d+)/)?.[1];
        if (expression) {
          const commit = this.resolveRef(variables[expression]);
          data[alias] = { head: commit ? { oid: commit.sha } : null };
        } else {
          data[alias] = {
            defaultBranchRef: { target: { oid: this.head.sha } },
          };
        }
      }
      this.send(
        res,
        200,
        { data, ...(errors.length ? { errors } : {}) },
        {
          'x-ratelimit-resource': 'graphql',
        },
      );
    });
  }

  /** JSON with an ETag; a matching If-None-Match gets a 304, as GitHub does. */
  private sendJson(req: IncomingMessage, res: ServerResponse, body: unknown) {
    const text = JSON.stringify(body);
    const etag = `W/"${createHash('sha1').update(text).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, ...rateLimitHeaders() });
      res.end();
      return;
    }
    this.send(res, 200, body, { etag });
  }

  private sendTarball(
    req: IncomingMessage,
    res: ServerResponse,
    commit: Commit,
  ) {
    const etag = `"${commit.sha}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    commit.tarball ??= githubTarball(
      `${this.owner}-${this.repo}-${commit.sha.slice(0, 7)}`,
      commit.sha,
      commit.files,
    );
    res.writeHead(200, {
      'content-type': 'application/x-gzip',
      'content-length': commit.tarball.length,
      'content-disposition': `attachment; filename=${this.owner}-${
        this.repo
      }-${commit.sha.slice(0, 7)}.tar.gz`,
      etag,
    });
    res.end(commit.tarball);
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: OutgoingHttpHeaders = {},
  ) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
      ...rateLimitHeaders(),
      ...headers,
    });
    res.end(text);
  }
}

function rateLimitHeaders(): OutgoingHttpHeaders {
  return {
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-resource': 'core',
  };
}

/**
 * A gzipped tarball laid out like GitHub's: a pax global header carrying the
 * commit sha, then everything under one `{owner}-{repo}-{sha7}/` directory.
 */
export function githubTarball(
  topDirectory: string,
  sha: string,
  files: Record<string, string>,
): Buffer {
  const blocks: Buffer[] = [];
  const add = (name: string, type: '0' | '5' | 'g', data = Buffer.alloc(0)) => {
    blocks.push(tarHeader(name, type, data.length));
    if (data.length) {
      blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
    }
  };
  add('pax_global_header', 'g', paxRecord('comment', sha));
  const directories = new Set<string>([`${topDirectory}/`]);
  for (const path of Object.keys(files)) {
    const parts = path.split('/').slice(0, -1);
    parts.forEach((_, i) =>
      directories.add(`${topDirectory}/${parts.slice(0, i + 1).join('/')}/`),
    );
  }
  [...directories].sort().forEach(dir => add(dir, '5'));
  for (const [path, content] of Object.entries(files)) {
    add(`${topDirectory}/${path}`, '0', Buffer.from(content, 'utf8'));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

/** A pax record, `"<length> <key>=<value>\n"` where length counts itself. */
function paxRecord(key: string, value: string): Buffer {
  const rest = ` ${key}=${value}\n`;
  let length = rest.length;
  while (String(length).length + rest.length !== length) {
    length = String(length).length + rest.length;
  }
  return Buffer.from(`${length}${rest}`, 'utf8');
}

/** A POSIX ustar header block. */
function tarHeader(name: string, type: '0' | '5' | 'g', size: number) {
  if (Buffer.byteLength(name) > 100) {
    throw new Error(`tar path too long for this helper: ${name}`);
  }
  const block = Buffer.alloc(512);
  const octal = (n: number, width: number) =>
    `${n.toString(8).padStart(width - 1, '0')}\0`;
  block.write(name, 0, 100, 'utf8');
  block.write(octal(type === '5' ? 0o775 : 0o664, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(1764064800, 12), 136, 'ascii');
  block.fill(' ', 148, 156);
  block.write(type, 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  block.write('root', 265, 'ascii');
  block.write('root', 297, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return block;
}
