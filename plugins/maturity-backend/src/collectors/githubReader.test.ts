import {
  mockServices,
  ServiceFactoryTester,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { RepositorySignal } from '@cnmaturity/plugin-maturity-rules';
import { component } from '@cnmaturity/plugin-maturity-rules/testUtils';
import {
  FakeGitHubApi,
  FakeGitHubFailure,
  RATE_LIMITED,
} from '../__testUtils__/fakeGitHubApi';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { DatabaseRepoCache } from '../database/DatabaseRepoCache';
import { RepositoryCollector } from './RepositoryCollector';
import { SharedCiReader } from './SharedCiReader';
import { GithubHeadLookup } from '../scm/GithubHeadLookup';
import { ScmRequestBudget } from '../scm/RequestBudget';
import { ScmReadGate } from '../scm/ScmReadGate';

/*
 * The collector against Backstage's real GitHub UrlReader (the production
 * urlReader service factory, configured through `integrations.github`),
 * talking HTTP to a fake GitHub API that counts what is downloaded.
 */

const HOST = 'github.example.test';
const TOKEN = 'ghp_test-token';
const SOURCE = `https://${HOST}/acme/payments/tree/main/`;

const WORKFLOW = [
  'name: ci',
  'on:',
  '  pull_request:',
  '  push:',
  '    branches: [main]',
  'jobs:',
  '  test:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - run: npm ci',
  '      - run: npm test',
].join('\n');

const FILES = {
  '.github/workflows/ci.yml': WORKFLOW,
  Dockerfile: 'FROM node:22-alpine\nUSER node\nCMD ["node", "index.js"]\n',
  'catalog-info.yaml': [
    'apiVersion: backstage.io/v1alpha1',
    'kind: Component',
    'metadata:',
    '  name: payments',
    'spec:',
    '  type: service',
    '  lifecycle: production',
    '  owner: team-a',
  ].join('\n'),
};

const STATUS_PATH =
  '/api/v3/repos/acme/payments/commits/main/status?per_page=0';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const apis: FakeGitHubApi[] = [];

afterEach(async () => {
  await Promise.all(apis.splice(0).map(api => api.close()));
});

const located = (name: string) =>
  component(
    name,
    {},
    { annotations: { 'backstage.io/source-location': `url:${SOURCE}` } },
  );

function extractionOf(signal: RepositorySignal) {
  if (signal.status !== 'ok') throw new Error(`unavailable: ${signal.reason}`);
  return signal.extraction;
}

/** The UrlReaderService a backend gets, with the fake as GitHub integration. */
async function githubReader(api: FakeGitHubApi): Promise<UrlReaderService> {
  return ServiceFactoryTester.from(mockServices.urlReader.factory(), {
    dependencies: [
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            github: [{ host: HOST, apiBaseUrl: api.apiBaseUrl, token: TOKEN }],
          },
        },
      }),
    ],
  }).getSubject('maturity');
}

/** A fake GitHub and a database; `start()` is a backend start over them. */
async function setup(
  files: Record<string, string> = FILES,
  scm: { heads?: boolean; budget?: ScmRequestBudget } = {},
) {
  const api = await FakeGitHubApi.start({
    owner: 'acme',
    repo: 'payments',
    files,
    token: TOKEN,
  });
  apis.push(api);
  const knex = await databases.init('SQLITE_3');
  const logger = mockServices.logger.mock();
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader({
      integrations: {
        github: [{ host: HOST, apiBaseUrl: api.apiBaseUrl, token: TOKEN }],
      },
    }),
  );
  const start = async () => {
    const urlReader = await githubReader(api);
    const budget = scm.budget;
    return new RepositoryCollector({
      urlReader,
      logger,
      ...(scm.heads
        ? { heads: new GithubHeadLookup({ integrations, logger, budget }) }
        : {}),
      ...(budget
        ? { gate: new ScmReadGate({ integrations, logger, budget }) }
        : {}),
      cache: await DatabaseRepoCache.create({
        database: mockServices.database({ knex }),
      }),
      sharedCi: new SharedCiReader({
        urlReader,
        logger,
        integrations,
        options: { maxDepth: 3, organizations: [], hosts: [] },
        maxFileBytes: 1024 * 1024,
      }),
    });
  };
  return { api, logger, start };
}

/** One cycle reading one entity's repository, cached as a page would be. */
async function readPage(collector: RepositoryCollector, name: string) {
  const cycle = collector.startCycle();
  const entity = located(name);
  await cycle.prefetch([entity]);
  const signal = await cycle.read(entity);
  await cycle.flush();
  return signal;
}

/** A first, full read, then forgets its requests. */
async function warmUp(collector: RepositoryCollector, api: FakeGitHubApi) {
  const signal = await readPage(collector, 'payments');
  expect(api.count('codeload')).toBe(1);
  api.take();
  return signal;
}

describe('RepositoryCollector with the real GitHub UrlReader', () => {
  it('downloads the tarball once on the first read and extracts the workflow and Dockerfile', async () => {
    const { api, start } = await setup();
    const collector = await start();
    const cycle = collector.startCycle();

    const signal = await cycle.read(located('payments'));

    await cycle.flush();

    expect(signal).toMatchObject({ status: 'ok', url: SOURCE, etag: api.sha });
    const extraction = extractionOf(signal);
    // catalog-info.yaml is not a file the checks read, so it is filtered out.
    expect(extraction.files).toEqual([
      '.github/workflows/ci.yml',
      'Dockerfile',
    ]);
    expect(extraction.ci).toEqual([
      expect.objectContaining({
        system: 'github-actions',
        file: '.github/workflows/ci.yml',
        triggers: expect.objectContaining({
          pullRequest: true,
          pushDefaultBranch: true,
        }),
        tests: [expect.objectContaining({ tool: 'npm test' })],
      }),
    ]);
    expect(extraction.dockerfiles).toEqual([
      expect.objectContaining({
        file: 'Dockerfile',
        baseImages: [
          expect.objectContaining({ image: 'node', tag: '22-alpine' }),
        ],
        user: expect.objectContaining({ value: 'node' }),
      }),
    ]);
    expect(cycle.counts).toEqual({
      downloaded: 1,
      'not-modified': 0,
      failed: 0,
      held: 0,
    });
    expect(api.count('codeload')).toBe(1);
    expect(api.requests.every(r => r.authorization === `Bearer ${TOKEN}`)).toBe(
      true,
    );
    expect(api.take()).toEqual([
      `GET ${STATUS_PATH} -> 200`,
      `GET /api/v3/repos/acme/payments/tarball/${api.sha} -> 302`,
      `GET /_codeload/acme/payments/legacy.tar.gz/${api.sha} -> 200`,
    ]);
  });

  it('downloads nothing in the next cycle when the repository is unchanged', async () => {
    const { api, start } = await setup();
    const collector = await start();
    const first = await warmUp(collector, api);

    const cycle = collector.startCycle();
    const second = await cycle.read(located('payments'));
    await cycle.flush();

    expect(second).toEqual({
      status: 'ok',
      url: SOURCE,
      etag: api.sha,
      extraction: extractionOf(first),
    });
    expect(cycle.counts).toEqual({
      downloaded: 0,
      'not-modified': 1,
      failed: 0,
      held: 0,
    });
    // The reader compares the commit sha with the etag itself; it sends no
    // If-None-Match, so the status request is a full (rate-limited) 200.
    expect(api.requests.map(r => r.ifNoneMatch)).toEqual([undefined]);
    expect(api.take()).toEqual([`GET ${STATUS_PATH} -> 200`]);
  });

  it('downloads nothing after a restart, using the cache in the database', async () => {
    const { api, start } = await setup();
    const first = await warmUp(await start(), api);

    // A new backend: new reader, new cache object, new collector; same database.
    const restarted = await start();
    const cycle = restarted.startCycle();
    const signal = await cycle.read(located('payments'));
    await cycle.flush();

    expect(extractionOf(signal)).toEqual(extractionOf(first));
    expect(cycle.counts['not-modified']).toBe(1);
    expect(api.count('codeload')).toBe(0);
    expect(api.take()).toEqual([`GET ${STATUS_PATH} -> 200`]);
  });

  it('reads a repository once for two entities that point at it in one cycle', async () => {
    const { api, start } = await setup();
    const { read, counts } = (await start()).startCycle();

    const [a, b] = await Promise.all([
      read(located('payments-api')),
      read(located('payments-worker')),
    ]);

    expect(a).toBe(b);
    expect(extractionOf(a).files).toEqual([
      '.github/workflows/ci.yml',
      'Dockerfile',
    ]);
    expect(counts).toEqual({
      downloaded: 1,
      'not-modified': 0,
      failed: 0,
      held: 0,
    });
    expect(api.count('commit-status')).toBe(1);
    expect(api.count('codeload')).toBe(1);
  });

  it('downloads once and sees the new content after the branch moves', async () => {
    const { api, start } = await setup();
    const collector = await start();
    const before = await warmUp(collector, api);
    const oldSha = api.sha;

    const newSha = api.push({
      ...FILES,
      Dockerfile:
        'FROM golang:1.23 AS build\nFROM gcr.io/distroless/static:nonroot\n',
    });
    const cycle = collector.startCycle();
    const after = await cycle.read(located('payments'));
    await cycle.flush();

    expect(newSha).not.toBe(oldSha);
    expect(after).toMatchObject({ status: 'ok', etag: newSha });
    expect(extractionOf(after).dockerfiles[0].baseImages).toEqual([
      expect.objectContaining({ image: 'golang', tag: '1.23' }),
      expect.objectContaining({
        image: 'gcr.io/distroless/static',
        tag: 'nonroot',
      }),
    ]);
    expect(extractionOf(after)).not.toEqual(extractionOf(before));
    expect(cycle.counts.downloaded).toBe(1);
    expect(api.take()).toEqual([
      `GET ${STATUS_PATH} -> 200`,
      `GET /api/v3/repos/acme/payments/tarball/${newSha} -> 302`,
      `GET /_codeload/acme/payments/legacy.tar.gz/${newSha} -> 200`,
    ]);

    // And the new commit is what is cached: the next cycle downloads nothing.
    await readPage(collector, 'payments');
    expect(api.take()).toEqual([`GET ${STATUS_PATH} -> 200`]);
  });

  it.each<[string, FakeGitHubFailure, string]>([
    ['a rate limit (403)', RATE_LIMITED, '403 Forbidden (rate limit exceeded)'],
    [
      'a server error (500)',
      { status: 500, message: 'Server Error' },
      '500 Internal Server Error',
    ],
  ])(
    'keeps the last good extraction, marked stale, when GitHub answers %s',
    async (_, failure, expectedMessage) => {
      const { api, logger, start } = await setup();
      const collector = await start();
      const good = await warmUp(collector, api);

      api.failWith(failure);
      const cycle = collector.startCycle();
      const signal = await cycle.read(located('payments'));
      await cycle.flush();

      expect(signal).toEqual({
        status: 'ok',
        url: SOURCE,
        etag: api.sha,
        extraction: extractionOf(good),
        stale: {
          reason: expect.stringContaining(expectedMessage),
          since: expect.any(String),
        },
      });
      const stale = signal.status === 'ok' ? signal.stale : undefined;
      expect(stale?.reason).toContain(`reading ${SOURCE} failed`);
      expect(Date.parse(stale!.since)).not.toBeNaN();
      expect(cycle.counts).toEqual({
        downloaded: 0,
        'not-modified': 0,
        failed: 1,
        held: 0,
      });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(expectedMessage),
      );
      expect(api.take()).toEqual([`GET ${STATUS_PATH} -> ${failure.status}`]);

      // The failure did not overwrite the cache: once GitHub recovers, no download.
      api.failWith(undefined);
      const recovered = await readPage(collector, 'payments');
      expect(recovered).not.toHaveProperty('stale');
      expect(api.take()).toEqual([`GET ${STATUS_PATH} -> 200`]);
    },
  );

  it('reads a shared workflow of another repository through the real reader, conditionally in the next cycle', async () => {
    const { api, start } = await setup({
      ...FILES,
      '.github/workflows/ci.yml': [
        'on:',
        '  pull_request:',
        '  push:',
        '    branches: [main]',
        'jobs:',
        '  security:',
        '    uses: acme/platform/.github/workflows/scan.yml@v1',
      ].join('\n'),
    });
    api.serveFile(
      'acme',
      'platform',
      'v1',
      '.github/workflows/scan.yml',
      [
        'on: workflow_call',
        'jobs:',
        '  scan:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - run: gitleaks detect --redact',
      ].join('\n'),
    );
    const collector = await start();
    const first = extractionOf(await readPage(collector, 'payments'));
    expect(first.ci[0].scanners).toEqual([
      expect.objectContaining({
        tool: 'gitleaks',
        file: 'acme/platform/.github/workflows/scan.yml@v1',
        url: `https://${HOST}/acme/platform/blob/v1/.github/workflows/scan.yml`,
        calledFrom: { file: '.github/workflows/ci.yml', line: 7 },
      }),
    ]);
    expect(api.take()).toContainEqual(
      'GET /api/v3/repos/acme/platform/contents/.github/workflows/scan.yml?ref=v1 -> 200',
    );

    // Unchanged repository and template: two conditional requests, no download.
    await readPage(collector, 'payments');
    const next = api.take();
    expect(next).toContainEqual(
      'GET /api/v3/repos/acme/platform/contents/.github/workflows/scan.yml?ref=v1 -> 304',
    );
    expect(next.some(r => r.includes('codeload'))).toBe(false);
  });
});

describe('batched head lookups and the request budget against the fake GitHub', () => {
  it('finds an unchanged repository with one GraphQL query and no REST request', async () => {
    const { api, start, logger } = await setup(FILES, { heads: true });
    const collector = await start();
    const first = await warmUp(collector, api);

    const cycle = collector.startCycle();
    const entity = located('payments');
    await cycle.prefetch([entity]);
    const again = await cycle.read(entity);

    expect(extractionOf(again)).toEqual(extractionOf(first));
    expect(cycle.counts).toMatchObject({ 'not-modified': 1, downloaded: 0 });
    expect(logger.warn).not.toHaveBeenCalled();
    expect(cycle.headMatches).toBe(1);
    expect(api.take()).toEqual(['POST /api/graphql -> 200']);
  });

  it('knows a repository GitHub does not have from the batched lookup, without a REST request', async () => {
    const { api, start } = await setup(FILES, { heads: true });
    const collector = await start();
    const gone = component(
      'gone',
      {},
      {
        annotations: {
          'backstage.io/source-location': `url:https://${HOST}/acme/gone/tree/main/`,
        },
      },
    );
    const cycle = collector.startCycle();
    await cycle.prefetch([gone]);
    const signal = await cycle.read(gone);
    expect(signal).toMatchObject({
      status: 'unavailable',
      reason: expect.stringContaining('GitHub has no such repository'),
    });
    expect(cycle.counts).toMatchObject({ failed: 1, downloaded: 0 });
    expect(api.take()).toEqual(['POST /api/graphql -> 200']);
  });

  it('reads a repository whose head moved, and only that one', async () => {
    const { api, start } = await setup(FILES, { heads: true });
    const collector = await start();
    await warmUp(collector, api);
    api.push({ ...FILES, Dockerfile: 'FROM node:22\nUSER node\n' });

    const cycle = collector.startCycle();
    const entity = located('payments');
    await cycle.prefetch([entity]);
    const signal = await cycle.read(entity);

    expect(signal).toMatchObject({ etag: api.sha });
    expect(cycle.headMatches).toBe(0);
    expect(api.count('graphql')).toBe(1);
    expect(api.count('codeload')).toBe(1);
  });

  it('holds reads back while GitHub says the rate limit is used up, keeping them out of the results', async () => {
    const budget = new ScmRequestBudget();
    const { api, start, logger } = await setup(FILES, { budget });
    const collector = await start();
    const reset = Math.floor(Date.now() / 1000) + 1800;
    api.failWith({
      ...RATE_LIMITED,
      headers: { ...RATE_LIMITED.headers, 'x-ratelimit-reset': String(reset) },
    });

    const cycle = collector.startCycle();
    await expect(cycle.read(located('payments'))).rejects.toMatchObject({
      name: 'ReadHeldError',
      until: new Date(reset * 1000),
    });
    expect(cycle.counts).toMatchObject({ held: 1, failed: 0 });
    // The reset time came from /rate_limit, which costs nothing.
    expect(api.count('rate-limit')).toBe(1);
    expect(logger.warn).not.toHaveBeenCalled();

    // Until the reset, no request is made at all.
    api.take();
    const next = collector.startCycle();
    await expect(next.read(located('payments'))).rejects.toMatchObject({
      name: 'ReadHeldError',
    });
    expect(api.take()).toEqual([]);
    expect(budget.status(HOST)).toEqual([
      expect.objectContaining({
        resource: 'core',
        remaining: 0,
        heldUntil: new Date(reset * 1000).toISOString(),
      }),
    ]);
  });

  it('learns the real limit and what others left of it from /rate_limit, free, once every few minutes', async () => {
    const budget = new ScmRequestBudget({ defaultLimit: 60 });
    const { api, start } = await setup(FILES, { budget, heads: true });
    const collector = await start();
    const cycle = collector.startCycle();
    await cycle.prefetch([located('payments')]);
    expect(api.take()).toEqual([
      'GET /api/v3/rate_limit -> 200',
      'POST /api/graphql -> 200',
    ]);
    expect(budget.status(HOST)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          resource: 'core',
          limit: 5000,
          allowance: 2500,
        }),
      ]),
    );
    // Not again in the next cycles of the same few minutes.
    await warmUp(collector, api);
    await collector.startCycle().prefetch([located('payments')]);
    expect(api.count('rate-limit')).toBe(0);
  });

  it('keeps to its share of the limit: reads beyond it wait for a later cycle', async () => {
    // A limit of 10 an hour, half of it ours: two reads of 2 requests each.
    const budget = new ScmRequestBudget({ defaultLimit: 10, burst: 1 });
    const { api, start } = await setup(FILES, { budget });
    const collector = await start();
    const reads = [];
    for (let i = 0; i < 3; i++) {
      const cycle = collector.startCycle({ urgent: true });
      reads.push(
        await cycle.read(located('payments')).then(
          () => 'read',
          e => e.name,
        ),
      );
    }
    expect(reads).toEqual(['read', 'read', 'ReadHeldError']);
    expect(api.count('commit-status')).toBe(2);
  });
});
