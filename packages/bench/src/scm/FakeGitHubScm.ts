/*
 * A GitHub for the benchmark: the generated repositories behind the REST
 * routes Backstage's GithubUrlReader calls and a GraphQL endpoint for
 * batched head lookups, with GitHub's primary rate limits, so that a run
 * shows how many API requests the plugin spends per cycle and whether they
 * fit in an hour's budget. GitHub Enterprise layout on 127.0.0.1: REST under
 * `/api/v3`, GraphQL at `/api/graphql`, archives under `/_codeload`.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import {
  createServer,
  IncomingMessage,
  OutgoingHttpHeaders,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { SCM_HOST } from '../generator/generate';
import { archivePath, sharedFilePath } from '../generator/writeRepositories';
import { ReaderIndex, readIndex } from '../server/benchUrlReader';

/**
 * What a request counted against: `free` when GitHub would not count it
 * (GET /rate_limit, a 304 to an authorised conditional request, a 401, a
 * request refused for a rate limit); codeload downloads are not rate limited.
 */
export type ScmResource = 'core' | 'graphql' | 'codeload' | 'free';

export type ScmEndpoint =
  | 'repository'
  | 'commit-status'
  | 'tarball'
  | 'contents'
  | 'rate-limit'
  | 'graphql'
  | 'codeload'
  | 'unknown';

/** One request the fake answered. */
export interface ScmRequest {
  endpoint: ScmEndpoint;
  resource: ScmResource;
  status: number;
  /** Arrival, epoch ms. */
  time: number;
  /** Sent with If-None-Match. */
  conditional: boolean;
  /** Refused for a rate limit (403, 429, or GraphQL's RATE_LIMITED). */
  rateLimited: boolean;
  /** Archive bytes streamed (codeload). */
  bytes: number;
  /** `org/repo` of the archive streamed (codeload, 200). */
  archive?: string;
}

/** Totals over a span of requests. */
export interface ScmCounts {
  requests: number;
  resources: Record<ScmResource, number>;
  endpoints: Record<ScmEndpoint, number>;
  /** `endpoint status` -> requests, e.g. `codeload 200`, `contents 304`. */
  statuses: Record<string, number>;
  /** Requests sent with If-None-Match. */
  conditional: number;
  rateLimited: number;
  codeloadBytes: number;
}

export interface FakeGitHubScmOptions {
  /** A repositories dir of `writeRepositories` (with its index.json). */
  reposDir: string;
  /** When set, API calls need `Authorization: Bearer|token <token>`. */
  token?: string;
  /** Requests (core) and points (graphql) per window and resource; 5000. */
  limit?: number;
  /** The rate limit window; an hour, as GitHub's. */
  windowMs?: number;
  /** Answer the first N API requests 429 (a secondary rate limit). */
  secondaryRateLimit?: { requests: number; retryAfterS?: number };
}

const API = '/api/v3';
const GRAPHQL = '/api/graphql';
const CODELOAD = '/_codeload';
const DOCS = 'https://docs.github.com/rest';
/** GitHub's limit of nodes per GraphQL query; a repository alias is one. */
const MAX_REPOSITORY_ALIASES = 100;

const RESOURCES: ScmResource[] = ['core', 'graphql', 'codeload', 'free'];
const ENDPOINTS: ScmEndpoint[] = [
  'repository',
  'commit-status',
  'tarball',
  'contents',
  'rate-limit',
  'graphql',
  'codeload',
  'unknown',
];

/** One resource's budget; a window starts with the first request after the last one ended. */
class RateBucket {
  used = 0;
  resetAt = 0;
  constructor(
    readonly resource: 'core' | 'graphql',
    public limit: number,
    private readonly windowMs: number,
  ) {}

  roll(now: number) {
    if (now >= this.resetAt) this.restart(now);
  }

  /** A new window from `now`, nothing used. */
  restart(now: number) {
    this.used = 0;
    this.resetAt = now + this.windowMs;
  }

  get remaining() {
    return Math.max(0, this.limit - this.used);
  }

  /** Epoch seconds, rounded up so that it is never before the real reset. */
  get resetS() {
    return Math.ceil(this.resetAt / 1000);
  }

  json() {
    return {
      limit: this.limit,
      used: this.used,
      remaining: this.remaining,
      reset: this.resetS,
      resource: this.resource,
    };
  }

  headers(): OutgoingHttpHeaders {
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(this.remaining),
      'x-ratelimit-used': String(this.used),
      'x-ratelimit-reset': String(this.resetS),
      'x-ratelimit-resource': this.resource,
    };
  }
}

/** An API request being answered. */
interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  record: ScmRequest;
  bucket: RateBucket;
  /** Counts against the bucket unless refused or a free answer. */
  counted: boolean;
  authorised: boolean;
}

export class FakeGitHubScm {
  /** Every request, in the order they arrived. */
  readonly requests: ScmRequest[] = [];
  private readonly index: ReaderIndex;
  /** Heads moved by `push`; the others are the index's etag. */
  private readonly heads = new Map<string, string>();
  /** Every commit a repository's head has been at, for tarball/{sha}. */
  private readonly history = new Map<string, Set<string>>();
  private readonly core: RateBucket;
  private readonly graphql: RateBucket;
  private throttled = 0;
  private retryAfterS = 60;
  private origin = '';
  private readonly server: Server;

  static async start(options: FakeGitHubScmOptions): Promise<FakeGitHubScm> {
    const scm = new FakeGitHubScm(options);
    await new Promise<void>((resolve, reject) => {
      scm.server.once('error', reject);
      scm.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = scm.server.address() as AddressInfo;
    scm.origin = `http://127.0.0.1:${port}`;
    return scm;
  }

  private constructor(private readonly options: FakeGitHubScmOptions) {
    this.index = readIndex(options.reposDir);
    const limit = options.limit ?? 5000;
    const windowMs = options.windowMs ?? 3_600_000;
    this.core = new RateBucket('core', limit, windowMs);
    this.graphql = new RateBucket('graphql', limit, windowMs);
    if (options.secondaryRateLimit) {
      this.throttleNext(
        options.secondaryRateLimit.requests,
        options.secondaryRateLimit.retryAfterS,
      );
    }
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** The `apiBaseUrl` of the `integrations.github` entry. */
  get apiBaseUrl(): string {
    return `${this.origin}${API}`;
  }

  get graphqlUrl(): string {
    return `${this.origin}${GRAPHQL}`;
  }

  /** Requests (core) and points (graphql) per window, as the headers say now. */
  get limit(): number {
    return this.core.limit;
  }

  /**
   * Sets the limit of both resources and starts a new window of each, as
   * if the last one had ended: what was used before no longer counts. The
   * bench starts the fake with a raised limit for an organisation's first
   * read (which the plugin would otherwise spread over hours) and sets the
   * configured one here for the steady state that follows.
   */
  setLimit(limit: number) {
    const now = Date.now();
    for (const bucket of [this.core, this.graphql]) {
      bucket.limit = limit;
      bucket.restart(now);
    }
  }

  /** Answers the next N API requests 429 with retry-after, as a secondary limit. */
  throttleNext(requests: number, retryAfterS = 60) {
    this.throttled = requests;
    this.retryAfterS = retryAfterS;
  }

  /** The commit `org/repo`'s default branch points at. */
  head(orgRepo: string): string | undefined {
    const entry = this.index.repositories.get(orgRepo);
    return entry && (this.heads.get(orgRepo) ?? entry.etag);
  }

  /**
   * Moves `org/repo`'s head to a new commit (same archive, new sha, so that
   * a conditional read downloads again) and returns its sha.
   */
  push(orgRepo: string): string {
    const before = this.head(orgRepo);
    if (!before) throw new Error(`No repository ${orgRepo}`);
    const history = this.history.get(orgRepo) ?? new Set([before]);
    const sha = createHash('sha1')
      .update(`${before}\0push ${history.size}`)
      .digest('hex');
    history.add(sha);
    this.history.set(orgRepo, history);
    this.heads.set(orgRepo, sha);
    return sha;
  }

  /**
   * Pushes to `org/repo`'s main branch and POSTs the `push` webhook GitHub
   * sends for it to `target`, signed when a secret is given. The repository's
   * html_url is on the bench SCM host, where the entities' sources are.
   */
  async sendPushWebhook(
    target: string,
    orgRepo: string,
    options: { secret?: string; modified?: string[] } = {},
  ): Promise<{
    status: number;
    delivery: string;
    before: string;
    after: string;
  }> {
    const before = this.head(orgRepo);
    if (!before) throw new Error(`No repository ${orgRepo}`);
    const after = this.push(orgRepo);
    const [owner, name] = orgRepo.split('/');
    const htmlUrl = `https://${SCM_HOST}/${orgRepo}`;
    const timestamp = new Date().toISOString();
    const person = {
      name: 'Bench Bot',
      email: 'bench-bot@scm.bench.local',
      username: 'bench-bot',
    };
    const commit = {
      id: after,
      tree_id: createHash('sha1').update(`tree ${after}`).digest('hex'),
      distinct: true,
      message: 'Bench: a change',
      timestamp,
      url: `${htmlUrl}/commit/${after}`,
      author: person,
      committer: person,
      added: [],
      removed: [],
      modified: options.modified ?? ['README.md'],
    };
    const payload = {
      ref: 'refs/heads/main',
      before,
      after,
      created: false,
      deleted: false,
      forced: false,
      base_ref: null,
      compare: `${htmlUrl}/compare/${before.slice(0, 12)}...${after.slice(
        0,
        12,
      )}`,
      commits: [commit],
      head_commit: commit,
      repository: {
        ...this.repository(owner, name),
        // A push payload's url is the web one, and pushed_at epoch seconds.
        url: htmlUrl,
        pushed_at: Math.floor(Date.now() / 1000),
        master_branch: 'main',
      },
      pusher: { name: person.username, email: person.email },
      sender: { login: person.username, id: 2, type: 'User' },
    };
    const body = JSON.stringify(payload);
    const delivery = randomUUID();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/bench',
      'x-github-event': 'push',
      'x-github-delivery': delivery,
      'x-github-hook-id': '1',
    };
    if (options.secret) {
      headers['x-hub-signature-256'] = `sha256=${createHmac(
        'sha256',
        options.secret,
      )
        .update(body)
        .digest('hex')}`;
    }
    const response = await fetch(target, { method: 'POST', headers, body });
    await response.arrayBuffer();
    return { status: response.status, delivery, before, after };
  }

  /** Totals over the requests from index `from` on (`requests.length` marks a point). */
  counts(from = 0): ScmCounts {
    const counts: ScmCounts = {
      requests: 0,
      resources: Object.fromEntries(RESOURCES.map(r => [r, 0])) as Record<
        ScmResource,
        number
      >,
      endpoints: Object.fromEntries(ENDPOINTS.map(e => [e, 0])) as Record<
        ScmEndpoint,
        number
      >,
      statuses: {},
      conditional: 0,
      rateLimited: 0,
      codeloadBytes: 0,
    };
    for (const r of this.requests.slice(from)) {
      counts.requests++;
      counts.resources[r.resource]++;
      counts.endpoints[r.endpoint]++;
      const key = `${r.endpoint} ${r.status}`;
      counts.statuses[key] = (counts.statuses[key] ?? 0) + 1;
      if (r.conditional) counts.conditional++;
      if (r.rateLimited) counts.rateLimited++;
      counts.codeloadBytes += r.bytes;
    }
    return counts;
  }

  /**
   * Requests that counted against `resource`, scaled to an hour: over
   * `windowMs` when given, else from the first request to the last (NaN
   * when they span no time).
   */
  requestsPerHour(resource: ScmResource, windowMs?: number, from = 0): number {
    const requests = this.requests.slice(from);
    const n = requests.filter(r => r.resource === resource).length;
    // A loop, not Math.max(...times): 100,000 arguments overflow the stack.
    let first = Infinity;
    let last = -Infinity;
    for (const { time } of requests) {
      first = Math.min(first, time);
      last = Math.max(last, time);
    }
    const span = windowMs ?? (requests.length ? last - first : 0);
    return span > 0 ? (n * 3_600_000) / span : NaN;
  }

  /** Forgets the requests (not the rate limits' use). */
  reset() {
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  private repository(owner: string, name: string) {
    const base = `${this.apiBaseUrl}/repos/${owner}/${name}`;
    const id = parseInt(
      createHash('sha1').update(`${owner}/${name}`).digest('hex').slice(0, 8),
      16,
    );
    return {
      id,
      node_id: Buffer.from(`010:Repository${id}`).toString('base64'),
      name,
      full_name: `${owner}/${name}`,
      private: false,
      visibility: 'internal',
      owner: {
        login: owner,
        name: owner,
        id: id + 1,
        type: 'Organization',
        html_url: `https://${SCM_HOST}/${owner}`,
      },
      html_url: `https://${SCM_HOST}/${owner}/${name}`,
      clone_url: `https://${SCM_HOST}/${owner}/${name}.git`,
      url: base,
      default_branch: 'main',
      archive_url: `${base}/{archive_format}{/ref}`,
      trees_url: `${base}/git/trees{/sha}`,
      contents_url: `${base}/contents/{+path}`,
      commits_url: `${base}/commits{/sha}`,
      statuses_url: `${base}/statuses/{sha}`,
    };
  }

  /** The commit a ref names: the default branch, HEAD, or a commit it has had. */
  private resolve(orgRepo: string, ref: string): string | undefined {
    const head = this.head(orgRepo);
    if (!head) return undefined;
    if (['main', 'HEAD', 'refs/heads/main'].includes(ref)) return head;
    const known = this.history.get(orgRepo) ?? new Set([head]);
    return known.has(ref) ? ref : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = routeOf(req.method ?? 'GET', url.pathname);
    const record: ScmRequest = {
      endpoint: route.endpoint,
      resource: 'free',
      status: 0,
      time: Date.now(),
      conditional: req.headers['if-none-match'] !== undefined,
      rateLimited: false,
      bytes: 0,
    };
    // In arrival order, and before the client can see the answer's end.
    this.requests.push(record);
    try {
      await this.answer(req, res, route, record);
    } catch (e) {
      if (!res.headersSent) plain(res, 500, { message: String(e) });
      else res.destroy();
    } finally {
      record.status = res.statusCode;
    }
  }

  private async answer(
    req: IncomingMessage,
    res: ServerResponse,
    route: Route,
    record: ScmRequest,
  ) {
    if (route.endpoint === 'codeload') {
      this.codeload(route.params, res, record);
      return;
    }
    if (!route.api) {
      plain(res, 404, { message: 'Not Found' });
      return;
    }
    const isGraphql = route.endpoint === 'graphql';
    const auth = req.headers.authorization;
    const call: Call = {
      req,
      res,
      record,
      bucket: isGraphql ? this.graphql : this.core,
      counted: route.endpoint !== 'rate-limit',
      authorised:
        !this.options.token ||
        auth === `Bearer ${this.options.token}` ||
        auth === `token ${this.options.token}`,
    };
    call.bucket.roll(record.time);
    if (!call.authorised) {
      call.counted = false;
      this.send(call, 401, {
        message: 'Bad credentials',
        documentation_url: DOCS,
      });
      return;
    }
    if (this.throttled > 0) {
      this.throttled--;
      call.counted = false;
      record.rateLimited = true;
      this.send(
        call,
        429,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
        },
        { 'retry-after': String(this.retryAfterS) },
      );
      return;
    }
    if (isGraphql) {
      await this.answerGraphql(call);
      return;
    }
    if (call.counted && call.bucket.remaining === 0) {
      call.counted = false;
      record.rateLimited = true;
      this.send(call, 403, {
        message: 'API rate limit exceeded for installation ID 1.',
        documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`,
      });
      return;
    }
    this.answerRest(call, route.params);
  }

  private answerRest(call: Call, params: string[]) {
    const { endpoint } = call.record;
    if (endpoint === 'rate-limit') {
      const core = this.core.json();
      this.send(call, 200, {
        resources: { core, graphql: this.graphql.json() },
        rate: core,
      });
      return;
    }
    if (endpoint === 'unknown') {
      this.send(call, 404, { message: 'Not Found', documentation_url: DOCS });
      return;
    }
    const [owner, name, rest] = params;
    if (endpoint === 'contents') {
      this.answerContents(call, name, rest);
      return;
    }
    const orgRepo = `${owner}/${name}`;
    const entry = this.index.repositories.get(orgRepo);
    if (!entry || entry.failure === 404) {
      this.send(call, 404, { message: 'Not Found', documentation_url: DOCS });
      return;
    }
    if (entry.failure === 503) {
      this.send(call, 503, { message: 'Service Unavailable' });
      return;
    }
    if (endpoint === 'repository') {
      this.send(call, 200, this.repository(owner, name));
      return;
    }
    const ref = rest ?? 'main';
    const sha = this.resolve(orgRepo, ref);
    if (!sha) {
      this.send(call, 404, {
        message: `No commit found for SHA: ${ref}`,
        documentation_url: DOCS,
      });
      return;
    }
    if (endpoint === 'commit-status') {
      const base = `${this.apiBaseUrl}/repos/${orgRepo}`;
      this.send(call, 200, {
        state: 'pending',
        statuses: [],
        sha,
        total_count: 0,
        repository: this.repository(owner, name),
        commit_url: `${base}/commits/${sha}`,
        url: `${base}/commits/${sha}/status`,
      });
      return;
    }
    // tarball, as GitHub: a redirect to codeload, which serves the bytes unmetered.
    this.send(call, 302, '', {
      location: `${this.origin}${CODELOAD}/${orgRepo}/legacy.tar.gz/${sha}`,
    });
  }

  /** One shared file, raw or as GitHub's JSON; any owner and ref, as the bench reader. */
  private answerContents(call: Call, repo: string, path: string) {
    const entry = this.index.shared.get(`${repo}/${path}`);
    if (!entry) {
      this.send(call, 404, { message: 'Not Found', documentation_url: DOCS });
      return;
    }
    const etag = `"${entry.etag}"`;
    const sent = call.req.headers['if-none-match'];
    if (sent && sent.replace(/^W\//, '') === etag) {
      // An authorised conditional request answered 304 is free on GitHub.
      if (call.authorised && call.req.headers.authorization) {
        call.counted = false;
      }
      this.send(call, 304, '', { etag });
      return;
    }
    const content = fs.readFileSync(
      sharedFilePath(this.options.reposDir, repo, path),
    );
    if ((call.req.headers.accept ?? '').includes('raw')) {
      this.send(call, 200, content, {
        etag,
        'content-type': 'application/vnd.github.raw; charset=utf-8',
      });
      return;
    }
    this.send(
      call,
      200,
      {
        type: 'file',
        encoding: 'base64',
        size: content.length,
        name: path.split('/').pop(),
        path,
        sha: entry.etag,
        content: content.toString('base64'),
      },
      { etag },
    );
  }

  /** The archive behind the tarball redirect, for a commit the repository has had. */
  private codeload(params: string[], res: ServerResponse, record: ScmRequest) {
    record.resource = 'codeload';
    const [org, repo, sha] = params;
    const entry = this.index.repositories.get(`${org}/${repo}`);
    if (
      !entry ||
      entry.failure ||
      this.resolve(`${org}/${repo}`, sha) !== sha
    ) {
      plain(res, 404, { message: 'Not Found' });
      return;
    }
    const file = archivePath(this.options.reposDir, org, repo);
    const { size } = fs.statSync(file);
    record.bytes = size;
    record.archive = `${org}/${repo}`;
    res.writeHead(200, {
      'content-type': 'application/x-gzip',
      'content-length': size,
      'content-disposition': `attachment; filename=${org}-${repo}-${sha.slice(
        0,
        7,
      )}.tar.gz`,
      etag: `"${sha}"`,
    });
    fs.createReadStream(file).pipe(res);
  }

  private async answerGraphql(call: Call) {
    const { req, bucket, record } = call;
    let body: { query?: unknown; variables?: Record<string, unknown> };
    try {
      body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
    } catch {
      call.counted = false;
      this.send(call, 400, {
        message: 'Problems parsing JSON',
        documentation_url: DOCS,
      });
      return;
    }
    const error = (message: string, extra: object = {}) => {
      call.counted = false;
      this.send(call, 200, { data: null, errors: [{ message, ...extra }] });
    };
    if (req.method !== 'POST' || typeof body.query !== 'string') {
      error('A query attribute must be specified and must be a string.');
      return;
    }
    const parsed = parseQuery(body.query);
    if (!parsed) {
      error(
        'The bench GitHub answers rateLimit and repository(owner:, name:) { object(expression:) | defaultBranchRef } queries only.',
      );
      return;
    }
    if (parsed.repositories.length > MAX_REPOSITORY_ALIASES) {
      error(
        `This query requests up to ${parsed.repositories.length} nodes which exceeds the maximum limit of ${MAX_REPOSITORY_ALIASES}.`,
        { type: 'MAX_NODE_LIMIT_EXCEEDED' },
      );
      return;
    }
    if (bucket.remaining === 0) {
      call.counted = false;
      record.rateLimited = true;
      this.send(call, 200, {
        errors: [
          {
            type: 'RATE_LIMITED',
            message: 'API rate limit exceeded for installation ID 1.',
          },
        ],
      });
      return;
    }
    const variables = body.variables ?? {};
    const value = (arg: Arg) =>
      arg.variable === undefined ? arg.literal : variables[arg.variable];
    const missing = parsed.repositories
      .flatMap(r => [r.owner, r.name, ...(r.expression ? [r.expression] : [])])
      .find(a => typeof value(a) !== 'string');
    if (missing) {
      error(
        `Variable $${missing.variable} of type String! was provided invalid value`,
      );
      return;
    }
    // One point per query of at most 100 nodes, as GitHub's cost; counted
    // before answering, since rateLimit.remaining includes this query.
    this.charge(call);
    const data: Record<string, unknown> = {};
    const errors: object[] = [];
    if (parsed.rateLimit) {
      const all: Record<string, unknown> = {
        limit: bucket.limit,
        cost: 1,
        remaining: bucket.remaining,
        used: bucket.used,
        resetAt: new Date(bucket.resetS * 1000).toISOString(),
        nodeCount: parsed.repositories.length,
      };
      data[parsed.rateLimit.alias] = Object.fromEntries(
        parsed.rateLimit.fields.map(f => [f, all[f] ?? null]),
      );
    }
    for (const r of parsed.repositories) {
      const orgRepo = `${value(r.owner)}/${value(r.name)}`;
      const entry = this.index.repositories.get(orgRepo);
      // 503-broken repositories exist; only their REST reads fail.
      if (!entry || entry.failure === 404) {
        data[r.alias] = null;
        errors.push({
          type: 'NOT_FOUND',
          path: [r.alias],
          locations: [{ line: 1, column: 1 }],
          message: `Could not resolve to a Repository with the name '${orgRepo}'.`,
        });
        continue;
      }
      const answer: Record<string, unknown> = {};
      if (r.expression && r.objectAlias) {
        const sha = this.resolve(orgRepo, String(value(r.expression)));
        answer[r.objectAlias] = sha ? { oid: sha } : null;
      }
      if (r.defaultBranchRef) {
        answer.defaultBranchRef = {
          ...(r.defaultBranchName ? { name: 'main' } : {}),
          target: { oid: this.head(orgRepo) },
        };
      }
      data[r.alias] = answer;
    }
    this.send(call, 200, { data, ...(errors.length ? { errors } : {}) });
  }

  private charge(call: Call) {
    if (!call.counted) return;
    call.bucket.used++;
    call.record.resource = call.bucket.resource;
    call.counted = false;
  }

  /**
   * Writes an API answer with the rate limit headers of its resource, after
   * counting it (so that the headers include this request, as GitHub's do).
   */
  private send(
    call: Call,
    status: number,
    body: string | Buffer | object,
    headers: OutgoingHttpHeaders = {},
  ) {
    this.charge(call);
    const payload =
      typeof body === 'string' || Buffer.isBuffer(body)
        ? body
        : JSON.stringify(body);
    call.res.writeHead(status, {
      ...(typeof body === 'object' && !Buffer.isBuffer(body)
        ? { 'content-type': 'application/json; charset=utf-8' }
        : {}),
      'content-length': Buffer.byteLength(payload),
      ...call.bucket.headers(),
      ...headers,
    });
    call.res.end(status === 304 ? undefined : payload);
  }
}

/** Which endpoint a request is for, and its decoded path parameters. */
interface Route {
  endpoint: ScmEndpoint;
  /** An API route (rate limited, authenticated), not codeload. */
  api: boolean;
  params: string[];
}

const ROUTES: Array<[ScmEndpoint, RegExp]> = [
  ['repository', /^\/repos\/([^/]+)\/([^/]+)$/],
  ['commit-status', /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/status$/],
  ['tarball', /^\/repos\/([^/]+)\/([^/]+)\/tarball(?:\/([^/]+))?$/],
  ['contents', /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/],
  ['rate-limit', /^\/rate_limit$/],
];

function routeOf(method: string, pathname: string): Route {
  const decode = (m: RegExpMatchArray) =>
    m.slice(1).map(p => (p === undefined ? p : decodeURIComponent(p)));
  // codeload.github.com/{owner}/{repo}/legacy.tar.gz/{sha}, on the same server.
  const codeload = pathname.match(
    new RegExp(
      `^${CODELOAD}/([^/]+)/([^/]+)/legacy\\.tar\\.gz/([0-9a-f]{40})$`,
    ),
  );
  if (codeload)
    return { endpoint: 'codeload', api: false, params: decode(codeload) };
  if (pathname === GRAPHQL)
    return { endpoint: 'graphql', api: true, params: [] };
  if (!pathname.startsWith(`${API}/`)) {
    return { endpoint: 'unknown', api: false, params: [] };
  }
  const path = pathname.slice(API.length);
  for (const [endpoint, pattern] of ROUTES) {
    const m = path.match(pattern);
    if (m && method === 'GET')
      return { endpoint, api: true, params: decode(m) };
  }
  return { endpoint: 'unknown', api: true, params: [] };
}

function plain(res: ServerResponse, status: number, body: object) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A `$variable` or a `"literal"` argument. */
interface Arg {
  variable?: string;
  literal?: string;
}

interface RepositoryAlias {
  alias: string;
  owner: Arg;
  name: Arg;
  /** `<objectAlias>: object(expression: ...) { ... on Commit { oid } }`. */
  objectAlias?: string;
  expression?: Arg;
  defaultBranchRef: boolean;
  defaultBranchName: boolean;
}

const ARG = String.raw`(?:\$(\w+)|"([^"]*)")`;
function argOf(m: RegExpMatchArray | null, i: number): Arg | undefined {
  if (!m) return undefined;
  return m[i] !== undefined ? { variable: m[i] } : { literal: m[i + 1] };
}

/** The text between the brace at `open` and its match. */
function block(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** The fields at the top level of a selection (nested blocks removed). */
function withoutBlocks(text: string): string {
  let out = text;
  for (let prev = ''; prev !== out; ) {
    prev = out;
    out = out.replace(/\{[^{}]*\}/g, '');
  }
  return out;
}

/**
 * The query shape the plugin sends, read with regexes (no GraphQL parser):
 * an optional `rateLimit { ... }` and aliased `rN: repository(owner:, name:)`
 * selections of `head: object(expression:) { ... on Commit { oid } }` and/or
 * `defaultBranchRef { target { oid } }`. Undefined when it is none of that.
 */
export function parseQuery(query: string):
  | {
      rateLimit?: { alias: string; fields: string[] };
      repositories: RepositoryAlias[];
    }
  | undefined {
  const repositories: RepositoryAlias[] = [];
  const repository = /(?:(\w+)\s*:\s*)?repository\s*\(([^)]*)\)\s*\{/g;
  for (const m of query.matchAll(repository)) {
    const args = m[2];
    const owner = argOf(
      args.match(new RegExp(String.raw`owner\s*:\s*${ARG}`)),
      1,
    );
    const name = argOf(
      args.match(new RegExp(String.raw`name\s*:\s*${ARG}`)),
      1,
    );
    if (!owner || !name) return undefined;
    const body = block(query, m.index! + m[0].length - 1);
    const object = body.match(
      new RegExp(
        String.raw`(?:(\w+)\s*:\s*)?object\s*\(\s*expression\s*:\s*${ARG}\s*\)`,
      ),
    );
    const branch = body.match(/defaultBranchRef\s*\{/);
    const branchBody = branch
      ? block(body, branch.index! + branch[0].length - 1)
      : '';
    repositories.push({
      alias: m[1] ?? 'repository',
      owner,
      name,
      ...(object
        ? { objectAlias: object[1] ?? 'object', expression: argOf(object, 2) }
        : {}),
      defaultBranchRef: !!branch,
      defaultBranchName: /\bname\b/.test(withoutBlocks(branchBody)),
    });
  }
  const rate = query.match(/(?:(\w+)\s*:\s*)?rateLimit\s*\{/);
  const rateLimit = rate
    ? {
        alias: rate[1] ?? 'rateLimit',
        fields: block(query, rate.index! + rate[0].length - 1)
          .split(/[\s,]+/)
          .filter(Boolean),
      }
    : undefined;
  if (!rateLimit && repositories.length === 0) return undefined;
  return { ...(rateLimit ? { rateLimit } : {}), repositories };
}
