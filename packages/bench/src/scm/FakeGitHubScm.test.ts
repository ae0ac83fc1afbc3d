import { LoggerService } from '@backstage/backend-plugin-api';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import { createServer, IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  generateOrganisation,
  repositoryFiles,
  SCM_HOST,
} from '../generator/generate';
import { loadTemplates } from '../generator/templates';
import { writeRepositories } from '../generator/writeRepositories';
import { FakeGitHubScm, parseQuery } from './FakeGitHubScm';
import { readerCountersOf } from './readerCounters';

const logger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return logger;
  },
};

const TOKEN = 'bench-token';

/** Backstage's real UrlReader service with a GitHub integration for the bench host. */
const githubReader = (scm: FakeGitHubScm) =>
  UrlReaders.default({
    config: new ConfigReader({
      integrations: {
        github: [{ host: SCM_HOST, apiBaseUrl: scm.apiBaseUrl, token: TOKEN }],
      },
    }),
    logger,
  });

/** The shape the plugin sends: heads by expression, or the default branch. */
const HEADS_QUERY = `query($o0:String!,$n0:String!,$e0:String!,$o1:String!,$n1:String!,$o2:String!,$n2:String!,$e2:String!){
  rateLimit{limit cost remaining resetAt}
  r0:repository(owner:$o0,name:$n0){head:object(expression:$e0){...on Commit{oid}}}
  r1: repository(owner: $o1, name: $n1) { defaultBranchRef { target { oid } } }
  r2:repository(owner:$o2,name:$n2){head:object(expression:$e2){...on Commit{oid}}}
}`;

describe('FakeGitHubScm', () => {
  const templates = loadTemplates();
  const organisation = generateOrganisation(
    { seed: 7, entities: 60, broken: 0.1 },
    templates,
  );
  const plans = organisation.repositories.filter(r => !r.failure);
  const p503 = organisation.repositories.find(r => r.failure === 503)!;
  const p404 = organisation.repositories.find(r => r.failure === 404)!;
  const orgRepo = (p: { org: string; repo: string }) => `${p.org}/${p.repo}`;
  let dir: string;
  let scm: FakeGitHubScm;
  let reader: ReturnType<typeof UrlReaders.default>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scm-'));
    writeRepositories(organisation, templates, dir);
    scm = await FakeGitHubScm.start({ reposDir: dir, token: TOKEN });
    reader = githubReader(scm);
  });

  afterAll(async () => {
    await scm.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => scm.reset());

  it('serves readTree to the real GithubUrlReader, one core request when unchanged, again after a push', async () => {
    const plan = plans[0];
    const tree = await reader.readTree(plan.url);
    const files = await tree.files();
    expect(files.map(f => f.path).sort()).toEqual(
      repositoryFiles(7, plan, templates)
        .map(f => f.path)
        .sort(),
    );
    expect(tree.etag).toBe(scm.head(orgRepo(plan)));
    expect(scm.counts()).toMatchObject({
      endpoints: { 'commit-status': 1, tarball: 1, codeload: 1 },
      resources: { core: 2, codeload: 1, graphql: 0, free: 0 },
      statuses: { 'tarball 302': 1, 'codeload 200': 1 },
    });
    expect(scm.counts().codeloadBytes).toBeGreaterThan(0);
    // Which archive was streamed, for the bench's inflate floor.
    expect(
      scm.requests.filter(r => r.archive).map(r => [r.endpoint, r.archive]),
    ).toEqual([['codeload', orgRepo(plan)]]);

    scm.reset();
    await expect(
      reader.readTree(plan.url, { etag: tree.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    expect(scm.counts()).toMatchObject({
      requests: 1,
      resources: { core: 1 },
      endpoints: { 'commit-status': 1 },
    });

    const sha = scm.push(orgRepo(plan));
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(sha).not.toBe(tree.etag);
    const again = await reader.readTree(plan.url, { etag: tree.etag });
    expect(again.etag).toBe(sha);
    expect((await again.files()).length).toBe(files.length);
    expect(scm.counts().endpoints.codeload).toBe(1);
  });

  it('answers the default branch first when the URL names none, and fails broken repositories', async () => {
    const plan = plans[1];
    const tree = await reader.readTree(`https://${SCM_HOST}/${orgRepo(plan)}`);
    expect(tree.etag).toBe(scm.head(orgRepo(plan)));
    expect(scm.counts().endpoints.repository).toBe(1);
    await expect(reader.readTree(p404.url)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(reader.readTree(p503.url)).rejects.toThrow(
      /503 Service Unavailable/,
    );
    await expect(
      reader.readTree(`https://${SCM_HOST}/nowhere/none/tree/main/`),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('serves the shared files through readUrl, 304 on their etag (free, as on GitHub)', async () => {
    const url = `https://${SCM_HOST}/acme/platform-pipelines/blob/v1/.github/workflows/security-scan.yml`;
    const response = await reader.readUrl(url);
    expect((await response.buffer()).toString('utf8')).toContain(
      'aquasecurity/trivy-action',
    );
    expect(response.etag).toMatch(/^"[0-9a-f]{40}"$/);
    await expect(
      reader.readUrl(url.replace('/acme/', '/other/'), {
        etag: response.etag,
      }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    await expect(
      reader.readUrl(`${plans[0].url.replace('/tree/', '/blob/')}README.md`),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(scm.counts()).toMatchObject({
      endpoints: { contents: 3 },
      statuses: { 'contents 200': 1, 'contents 304': 1, 'contents 404': 1 },
      conditional: 1,
      resources: { core: 2, free: 1 },
    });
  });

  it('answers the heads of several repositories in one GraphQL query for one point', async () => {
    const post = (query: string, variables: object) =>
      fetch(scm.graphqlUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ query, variables }),
      });
    const [a, b] = plans;
    const res = await post(HEADS_QUERY, {
      o0: a.org,
      n0: a.repo,
      e0: 'main',
      o1: b.org,
      n1: b.repo,
      o2: 'nowhere',
      n2: 'none',
      e2: 'main',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-resource')).toBe('graphql');
    expect(res.headers.get('x-ratelimit-used')).toBe('1');
    const body = await res.json();
    expect(body).toEqual({
      data: {
        rateLimit: {
          limit: 5000,
          cost: 1,
          remaining: 4999,
          resetAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
        r0: { head: { oid: scm.head(orgRepo(a)) } },
        r1: { defaultBranchRef: { target: { oid: scm.head(orgRepo(b)) } } },
        r2: null,
      },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['r2'],
          locations: expect.any(Array),
          message:
            "Could not resolve to a Repository with the name 'nowhere/none'.",
        },
      ],
    });
    expect(scm.counts()).toMatchObject({
      requests: 1,
      resources: { graphql: 1, core: 0 },
    });

    // An unknown ref is a null object; a 503-broken repository resolves.
    const unknownRef = await (
      await post(
        'query($o0:String!,$n0:String!,$e0:String!){r0:repository(owner:$o0,name:$n0){head:object(expression:$e0){...on Commit{oid}}}}',
        { o0: p503.org, n0: p503.repo, e0: 'no-such-branch' },
      )
    ).json();
    expect(unknownRef).toEqual({ data: { r0: { head: null } } });

    // More than 100 repositories: GitHub's node limit, nothing answered.
    const many = Array.from(
      { length: 101 },
      (_, i) =>
        `r${i}:repository(owner:"o",name:"n${i}"){defaultBranchRef{target{oid}}}`,
    ).join(' ');
    const tooMany = await post(`query{${many}}`, {});
    expect(tooMany.status).toBe(200);
    expect(await tooMany.json()).toMatchObject({
      data: null,
      errors: [{ type: 'MAX_NODE_LIMIT_EXCEEDED' }],
    });
  });

  it('reads the query shape with regexes, whatever the whitespace', () => {
    expect(parseQuery(HEADS_QUERY)).toEqual({
      rateLimit: {
        alias: 'rateLimit',
        fields: ['limit', 'cost', 'remaining', 'resetAt'],
      },
      repositories: [
        expect.objectContaining({
          alias: 'r0',
          owner: { variable: 'o0' },
          objectAlias: 'head',
          expression: { variable: 'e0' },
          defaultBranchRef: false,
        }),
        expect.objectContaining({
          alias: 'r1',
          name: { variable: 'n1' },
          defaultBranchRef: true,
          defaultBranchName: false,
        }),
        expect.objectContaining({ alias: 'r2' }),
      ],
    });
    expect(parseQuery('query { viewer { login } }')).toBeUndefined();
  });

  it('is free to ask GET /rate_limit, and 401s without the token', async () => {
    const res = await fetch(`${scm.apiBaseUrl}/rate_limit`, {
      headers: { authorization: `token ${TOKEN}` },
    });
    const body = await res.json();
    expect(body).toMatchObject({
      resources: {
        core: { limit: 5000, remaining: expect.any(Number) },
        graphql: { limit: 5000 },
      },
      rate: { limit: 5000 },
    });
    expect(res.headers.get('x-ratelimit-resource')).toBe('core');
    const unauthorised = await fetch(
      `${scm.apiBaseUrl}/repos/${orgRepo(plans[0])}`,
    );
    expect(unauthorised.status).toBe(401);
    const graphql = await fetch(scm.graphqlUrl, {
      method: 'POST',
      body: '{}',
      headers: { authorization: 'Bearer wrong' },
    });
    expect(graphql.status).toBe(401);
    expect(scm.counts()).toMatchObject({
      requests: 3,
      resources: { free: 3, core: 0, graphql: 0 },
      endpoints: { 'rate-limit': 1 },
    });
  });

  it("gives the bench reader's counters as the SCM saw them", async () => {
    const plan = plans[3];
    const tree = await reader.readTree(plan.url);
    await tree.files();
    await expect(
      reader.readTree(plan.url, { etag: tree.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    await expect(reader.readTree(p404.url)).rejects.toThrow();
    const url = `https://${SCM_HOST}/acme/platform-pipelines/blob/v1/.github/workflows/security-scan.yml`;
    const file = await reader.readUrl(url);
    await file.buffer();
    await expect(
      reader.readUrl(url, { etag: file.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    expect(readerCountersOf(scm.counts())).toEqual({
      requests: 3,
      conditional: NaN,
      notModified: 1,
      downloads: 1,
      downloadedBytes: scm.counts().codeloadBytes,
      failed: 1,
      fileRequests: 2,
      fileConditional: 1,
      fileNotModified: 1,
      fileDownloads: 1,
      fileFailed: 0,
    });
  });

  it('scales the requests of a resource to an hour', async () => {
    for (const plan of plans.slice(0, 3)) {
      await reader
        .readTree(plan.url, { etag: scm.head(orgRepo(plan)) })
        .catch(() => undefined);
    }
    expect(scm.counts().resources.core).toBe(3);
    // Three requests in a minute's window: 180 an hour.
    expect(scm.requestsPerHour('core', 60_000)).toBe(180);
    expect(scm.requestsPerHour('core')).toBeGreaterThan(0);
    expect(scm.requestsPerHour('graphql', 60_000)).toBe(0);
  });

  it('sends a signed push webhook for the new head', async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const target = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', c => chunks.push(c));
      req.on('end', () => {
        received.push({
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>(resolve =>
      target.listen(0, '127.0.0.1', () => resolve()),
    );
    try {
      const { port } = target.address() as AddressInfo;
      const plan = plans[2];
      const before = scm.head(orgRepo(plan));
      const sent = await scm.sendPushWebhook(
        `http://127.0.0.1:${port}/api/events/http/github`,
        orgRepo(plan),
        { secret: 's3cret', modified: ['catalog-info.yaml'] },
      );
      expect(sent).toMatchObject({ status: 202, before });
      expect(sent.after).toBe(scm.head(orgRepo(plan)));
      const [{ headers, body }] = received;
      expect(headers).toMatchObject({
        'x-github-event': 'push',
        'x-github-delivery': sent.delivery,
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${createHmac('sha256', 's3cret')
          .update(body)
          .digest('hex')}`,
      });
      expect(JSON.parse(body)).toMatchObject({
        ref: 'refs/heads/main',
        before,
        after: sent.after,
        repository: {
          full_name: orgRepo(plan),
          name: plan.repo,
          owner: { login: plan.org, name: plan.org },
          html_url: `https://${SCM_HOST}/${orgRepo(plan)}`,
          default_branch: 'main',
        },
        pusher: { name: expect.any(String) },
        head_commit: { id: sent.after, modified: ['catalog-info.yaml'] },
      });
    } finally {
      await new Promise(resolve => target.close(resolve));
    }
  });
});

describe('FakeGitHubScm rate limits', () => {
  const templates = loadTemplates();
  const organisation = generateOrganisation(
    { seed: 3, entities: 10, broken: 0 },
    templates,
  );
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scm-'));
    writeRepositories(organisation, templates, dir);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses core requests over the limit until the window resets, as GitHub does', async () => {
    const scm = await FakeGitHubScm.start({
      reposDir: dir,
      token: TOKEN,
      limit: 3,
      windowMs: 2000,
    });
    try {
      const reader = githubReader(scm);
      const [a, b] = organisation.repositories;
      await reader.readTree(a.url); // status + tarball: 2 of 3
      const started = Date.now();
      await expect(reader.readTree(b.url)).rejects.toThrow(
        /403 Forbidden \(rate limit exceeded\)/,
      );
      const res = await fetch(`${scm.apiBaseUrl}/repos/${b.org}/${b.repo}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        message: 'API rate limit exceeded for installation ID 1.',
      });
      expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(res.headers.get('x-ratelimit-used')).toBe('3');
      const reset = Number(res.headers.get('x-ratelimit-reset')) * 1000;
      expect(reset).toBeGreaterThan(Date.now());
      expect(scm.counts()).toMatchObject({
        resources: { core: 3 },
        rateLimited: 2,
      });

      // GraphQL has its own budget, and says RATE_LIMITED in a 200 when spent.
      const query = (variables: object) =>
        fetch(scm.graphqlUrl, {
          method: 'POST',
          headers: { authorization: `token ${TOKEN}` },
          body: JSON.stringify({
            query:
              'query($o:String!,$n:String!){rateLimit{remaining} r0:repository(owner:$o,name:$n){defaultBranchRef{target{oid}}}}',
            variables,
          }),
        });
      for (let i = 0; i < 3; i++) {
        expect((await query({ o: b.org, n: b.repo })).status).toBe(200);
      }
      const limited = await query({ o: b.org, n: b.repo });
      expect(limited.status).toBe(200);
      expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(await limited.json()).toMatchObject({
        errors: [{ type: 'RATE_LIMITED' }],
      });

      await new Promise(resolve =>
        setTimeout(resolve, Math.max(0, started + 2100 - Date.now())),
      );
      const tree = await reader.readTree(b.url);
      expect(tree.etag).toBe(scm.head(`${b.org}/${b.repo}`));
      await tree.files();
    } finally {
      await scm.close();
    }
  }, 15_000);

  it('takes a new limit in a new window: what was used before no longer counts', async () => {
    const scm = await FakeGitHubScm.start({
      reposDir: dir,
      token: TOKEN,
      limit: 1_000_000,
    });
    try {
      const reader = githubReader(scm);
      const [a, b] = organisation.repositories;
      await (await reader.readTree(a.url)).files();
      await (await reader.readTree(b.url)).files();
      const rate = async () => {
        const res = await fetch(`${scm.apiBaseUrl}/rate_limit`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        return (await res.json()).resources;
      };
      expect((await rate()).core).toMatchObject({ limit: 1_000_000, used: 4 });

      // Lower than what was used: a new window, so nothing is refused.
      scm.setLimit(3);
      expect(scm.limit).toBe(3);
      expect(await rate()).toMatchObject({
        core: { limit: 3, used: 0, remaining: 3 },
        graphql: { limit: 3, used: 0 },
      });
      const res = await fetch(`${scm.apiBaseUrl}/repos/${a.org}/${a.repo}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      expect(res.headers.get('x-ratelimit-remaining')).toBe('2');
      expect(scm.counts().rateLimited).toBe(0);
    } finally {
      await scm.close();
    }
  });

  it('answers 429 with retry-after as a secondary rate limit when asked to', async () => {
    const scm = await FakeGitHubScm.start({
      reposDir: dir,
      secondaryRateLimit: { requests: 1, retryAfterS: 7 },
    });
    try {
      const reader = githubReader(scm);
      const [a] = organisation.repositories;
      await expect(reader.readTree(a.url)).rejects.toThrow(
        /429 Too Many Requests \(rate limit exceeded\)/,
      );
      await (await reader.readTree(a.url)).files();
      expect(scm.counts()).toMatchObject({
        statuses: { 'commit-status 429': 1, 'commit-status 200': 1 },
        rateLimited: 1,
      });
    } finally {
      await scm.close();
    }
  });
});
