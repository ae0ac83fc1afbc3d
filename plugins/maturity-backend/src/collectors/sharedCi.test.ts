import { mockServices } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { CheckResult } from '@cnmaturity/plugin-maturity-common';
import {
  builtinChecks,
  evaluateChecks,
  RepositorySignal,
} from '@cnmaturity/plugin-maturity-rules';
import {
  component,
  signalsFor,
} from '@cnmaturity/plugin-maturity-rules/testUtils';
import { memoryRepoCache, treeResponse } from '../__testUtils__/repositories';
import { RepositoryCollector } from './RepositoryCollector';
import { readSharedCiOptions } from './sharedCiConfig';
import { SharedCiReader } from './SharedCiReader';
import { ExtractionPool, Extractor } from './ExtractionPool';
import { workerPool } from '../__testUtils__/workerPool';

/*
 * Fixture repositories on github.com and gitlab.com behind one in-memory
 * UrlReaderService: trees by repository URL, single files by blob URL, each
 * with an etag, every request counted. The collector, the shared CI reader
 * and the checks are the real ones.
 */

type Files = Record<string, string>;

class FixtureScm {
  readonly trees = new Map<string, Files>();
  readonly blobs = new Map<string, string>();
  readonly failing = new Map<string, Error>();
  readonly treeReads: string[] = [];
  readonly urlReads: Array<{ url: string; etag?: string }> = [];

  private etagOf = (text: string) =>
    `e${Buffer.from(text).toString('base64').length}-${text.length}-${
      [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % 1e9
    }`;

  readonly reader: UrlReaderService = {
    search: jest.fn(),
    readUrl: async (url, options) => {
      this.urlReads.push({ url, etag: options?.etag });
      const failure = this.failing.get(url);
      if (failure) throw failure;
      const text = this.blobs.get(url);
      if (text === undefined) throw new NotFoundError(`${url} not found`);
      const etag = this.etagOf(text);
      if (options?.etag === etag) throw new NotModifiedError();
      return {
        buffer: async () => Buffer.from(text),
        stream: jest.fn(),
        etag,
      } as any;
    },
    readTree: async (url, options) => {
      this.treeReads.push(url);
      const files = this.trees.get(url);
      if (!files) throw new NotFoundError(`${url} not found`);
      const etag = this.etagOf(JSON.stringify(files));
      if (options?.etag === etag) throw new NotModifiedError();
      return treeResponse(files, etag, options);
    },
  };

  reads(url: string) {
    return this.urlReads.filter(r => r.url === url).length;
  }
}

/** Where files are parsed: every case runs on the event loop and on a worker. */
let extractor: Extractor | undefined;

function collector(scm: FixtureScm, sharedCi: object = {}) {
  const config = new ConfigReader({ maturity: { sharedCi } });
  const integrations = ScmIntegrations.fromConfig(config);
  const logger = mockServices.logger.mock();
  return new RepositoryCollector({
    urlReader: scm.reader,
    logger,
    cache: memoryRepoCache(),
    ...(extractor ? { extractor } : {}),
    sharedCi: new SharedCiReader({
      urlReader: scm.reader,
      logger,
      integrations,
      options: readSharedCiOptions(config),
      maxFileBytes: 64 * 1024,
    }),
  });
}

const service = (name: string, url: string) =>
  component(
    name,
    {},
    {
      annotations: { 'backstage.io/source-location': `url:${url}` },
    },
  );

function checksOf(entityName: string, repository: RepositorySignal) {
  const results = evaluateChecks(
    builtinChecks,
    signalsFor(service(entityName, 'https://unused'), { repository }),
  );
  return new Map<string, CheckResult>(results.map(r => [r.checkId, r]));
}

const extraction = (signal: RepositorySignal) => {
  if (signal.status !== 'ok') throw new Error(signal.reason);
  return signal.extraction;
};

const GH = 'https://github.com';
const PIPELINES_WF = `${GH}/acme/platform-pipelines/blob/v1/.github/workflows/secure-build.yml`;

const SECURE_BUILD = [
  'name: secure build',
  'on:',
  '  workflow_call:',
  'jobs:',
  '  scan:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - name: Build',
  '        run: docker build -t app:${{ github.sha }} .',
  '      - name: Scan image',
  '        uses: aquasecurity/trivy-action@0.28.0',
  '        with:',
  '          image-ref: app:${{ github.sha }}',
  '          exit-code: "1"',
  '      - name: Secrets',
  '        run: gitleaks detect --redact',
].join('\n');

/** A service whose own workflow only calls the shared one. */
const CALLER = [
  'on:',
  '  pull_request:',
  '  push:',
  '    branches: [main]',
  'jobs:',
  '  build:',
  '    uses: acme/platform-pipelines/.github/workflows/secure-build.yml@v1',
  '    secrets: inherit',
].join('\n');

function githubScm() {
  const scm = new FixtureScm();
  scm.blobs.set(PIPELINES_WF, SECURE_BUILD);
  scm.trees.set(`${GH}/acme/checkout/tree/main/`, {
    '.github/workflows/ci.yml': CALLER,
    Dockerfile: 'FROM node:22-alpine\nUSER node\n',
  });
  return scm;
}

describe.each([
  ['on the event loop', () => undefined, 0],
  ['on a worker thread', () => workerPool(), 10],
])('shared CI definitions, parsed %s', (_where, create, workerJobs) => {
  beforeAll(() => {
    extractor = create();
  });
  afterAll(async () => {
    await extractor?.close();
    extractor = undefined;
  });

  it('a service whose workflow only calls a shared workflow running Trivy and gitleaks passes both checks, with evidence naming both files', async () => {
    const scm = githubScm();
    const cycle = collector(scm).startCycle();
    const signal = await cycle.read(
      service('checkout', `${GH}/acme/checkout/tree/main/`),
    );
    const checks = checksOf('checkout', signal);

    const scan = checks.get('process.container-scan')!;
    expect(scan.status).toBe('pass');
    expect(scan.message).toContain(
      'acme/platform-pipelines/.github/workflows/secure-build.yml@v1',
    );
    expect(scan.evidence).toContainEqual({
      type: 'file',
      label: 'acme/platform-pipelines/.github/workflows/secure-build.yml@v1',
      line: 11,
      value: 'trivy',
      ref: PIPELINES_WF,
      via: { label: '.github/workflows/ci.yml', line: 7 },
    });

    const secrets = checks.get('technology.secrets-hygiene')!;
    expect(secrets.status).toBe('pass');
    expect(secrets.evidence).toEqual([
      expect.objectContaining({
        label: 'acme/platform-pipelines/.github/workflows/secure-build.yml@v1',
        line: 17,
        via: { label: '.github/workflows/ci.yml', line: 7 },
      }),
    ]);

    const [pipeline] = extraction(signal).ci;
    expect(pipeline.shared).toEqual([
      {
        file: '.github/workflows/ci.yml',
        line: 7,
        kind: 'reusable-workflow',
        ref: 'acme/platform-pipelines/.github/workflows/secure-build.yml@v1',
        status: 'inspected',
        url: PIPELINES_WF,
      },
    ]);
    // The called jobs run in the caller's scope: on merge to main.
    expect(pipeline.imageBuilds).toEqual([
      expect.objectContaining({ tool: 'docker build', url: PIPELINES_WF }),
    ]);
  });

  it('a GitLab `include: project` template counts for the service, jobs extending its hidden jobs too', async () => {
    const scm = new FixtureScm();
    scm.blobs.set(
      'https://gitlab.com/platform/ci-templates/-/blob/v2/security.yml',
      [
        'container_scanning:',
        '  stage: test',
        '  script:',
        '    - trivy image --exit-code 1 $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA',
        '.secrets:',
        '  script:',
        '    - gitleaks detect --redact',
      ].join('\n'),
    );
    scm.trees.set('https://gitlab.com/shop/cart/-/tree/main/', {
      '.gitlab-ci.yml': [
        'include:',
        '  - project: platform/ci-templates',
        '    file: /security.yml',
        '    ref: v2',
        'build:',
        '  script: docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .',
        'secret_scan:',
        '  extends: .secrets',
      ].join('\n'),
    });
    const signal = await collector(scm)
      .startCycle()
      .read(service('cart', 'https://gitlab.com/shop/cart/-/tree/main/'));
    const checks = checksOf('cart', signal);
    const label = 'platform/ci-templates/security.yml@v2';
    const via = { label: '.gitlab-ci.yml', line: 2 };
    expect(checks.get('process.container-scan')).toMatchObject({
      status: 'pass',
      evidence: [expect.objectContaining({ label, line: 4, via })],
    });
    expect(checks.get('technology.secrets-hygiene')).toMatchObject({
      status: 'pass',
      evidence: [expect.objectContaining({ label, line: 7, via })],
    });
  });

  it('stops at GitLab include cycles and notes unreachable remote includes', async () => {
    const scm = new FixtureScm();
    const a = 'https://gitlab.com/platform/a/-/blob/HEAD/a.yml';
    const b = 'https://gitlab.com/platform/b/-/blob/HEAD/b.yml';
    scm.blobs.set(
      a,
      'include:\n  project: platform/b\n  file: b.yml\nscan:\n  script: gitleaks detect\n',
    );
    scm.blobs.set(b, 'include:\n  project: platform/a\n  file: a.yml\n');
    scm.failing.set(
      'https://ci.example.com/deploy.yml',
      new Error('getaddrinfo ENOTFOUND ci.example.com'),
    );
    scm.trees.set('https://gitlab.com/shop/cart/-/tree/main/', {
      '.gitlab-ci.yml': [
        'include:',
        '  - project: platform/a',
        '    file: a.yml',
        '  - remote: https://ci.example.com/deploy.yml',
        'test:',
        '  script: npm test',
      ].join('\n'),
    });
    const signal = await collector(scm)
      .startCycle()
      .read(service('cart', 'https://gitlab.com/shop/cart/-/tree/main/'));
    expect(scm.reads(a)).toBe(1);
    expect(scm.reads(b)).toBe(1);
    const x = extraction(signal);
    expect(x.notes).toContainEqual({
      file: 'platform/b/b.yml',
      message: expect.stringContaining('a cycle or a repeat, merged once'),
    });
    expect(x.notes).toContainEqual({
      file: '.gitlab-ci.yml',
      message: expect.stringContaining('ENOTFOUND ci.example.com'),
    });
    // What the readable template runs still counts; what might run in the
    // unreachable one makes failing CI checks unknown.
    const checks = checksOf('cart', signal);
    expect(checks.get('technology.secrets-hygiene')!.status).toBe('pass');
    expect(checks.get('process.container-scan')).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('https://ci.example.com/deploy.yml'),
    });
  });

  it('reads a shared workflow used by many services once per cycle, and conditionally in the next', async () => {
    const scm = githubScm();
    const services = Array.from({ length: 40 }, (_, i) => {
      const url = `${GH}/acme/svc-${i}/tree/main/`;
      scm.trees.set(url, { '.github/workflows/ci.yml': CALLER });
      return service(`svc-${i}`, url);
    });
    const repos = collector(scm);

    const first = repos.startCycle();
    const signals = await Promise.all(services.map(s => first.read(s)));
    await first.flush();
    expect(scm.reads(PIPELINES_WF)).toBe(1);
    expect(first.counts).toEqual({
      downloaded: 40,
      'not-modified': 0,
      failed: 0,
      held: 0,
    });
    for (const s of signals) {
      expect(checksOf('svc', s).get('technology.secrets-hygiene')!.status).toBe(
        'pass',
      );
    }

    scm.urlReads.length = 0;
    const second = repos.startCycle();
    const again = await Promise.all(services.map(s => second.read(s)));
    // One conditional request for the template, none repeated; no downloads.
    expect(scm.urlReads).toEqual([
      { url: PIPELINES_WF, etag: expect.any(String) },
    ]);
    expect(second.counts).toEqual({
      downloaded: 0,
      'not-modified': 40,
      failed: 0,
      held: 0,
    });
    expect(again.map(s => (s.status === 'ok' ? s.etag : undefined))).toEqual(
      signals.map(s => (s.status === 'ok' ? s.etag : undefined)),
    );
  });

  it('re-extracts an unchanged repository when the shared workflow it calls changes', async () => {
    const scm = githubScm();
    scm.blobs.set(PIPELINES_WF, SECURE_BUILD.replace(/\n.*Secrets[^]*$/, ''));
    const repos = collector(scm);
    const entity = service('checkout', `${GH}/acme/checkout/tree/main/`);
    const firstCycle = repos.startCycle();
    const before = await firstCycle.read(entity);
    await firstCycle.flush();
    expect(
      checksOf('checkout', before).get('technology.secrets-hygiene')!.status,
    ).toBe('fail');

    scm.blobs.set(PIPELINES_WF, SECURE_BUILD);
    const cycle = repos.startCycle();
    const after = await cycle.read(entity);
    expect(cycle.counts.downloaded).toBe(1);
    expect(
      checksOf('checkout', after).get('technology.secrets-hygiene')!.status,
    ).toBe('pass');
    expect(after.status === 'ok' && after.etag).not.toBe(
      before.status === 'ok' && before.etag,
    );
  });

  it('an unreadable shared workflow makes the checks it might satisfy unknown, with the reason, not fail', async () => {
    const scm = githubScm();
    scm.blobs.delete(PIPELINES_WF);
    const signal = await collector(scm)
      .startCycle()
      .read(service('checkout', `${GH}/acme/checkout/tree/main/`));
    const checks = checksOf('checkout', signal);
    for (const id of ['process.container-scan', 'technology.secrets-hygiene']) {
      expect(checks.get(id)).toMatchObject({
        status: 'unknown',
        message: expect.stringContaining(
          'It may run in shared CI that was not inspected: acme/platform-pipelines/.github/workflows/secure-build.yml@v1, called from .github/workflows/ci.yml:7: acme/platform-pipelines/.github/workflows/secure-build.yml@v1 could not be read: reading it failed:',
        ),
      });
    }
    // Checks that do not read the CI are not affected.
    expect(checks.get('technology.container-hygiene')!.status).not.toBe(
      'unknown',
    );
    expect(extraction(signal).notes).toContainEqual({
      file: '.github/workflows/ci.yml',
      message: expect.stringContaining('could not be read'),
    });
  });

  it('keeps the last good result, marked stale, when a shared file read before fails now', async () => {
    const scm = githubScm();
    const repos = collector(scm);
    const entity = service('checkout', `${GH}/acme/checkout/tree/main/`);
    const first = repos.startCycle();
    await first.read(entity);
    await first.flush();
    scm.failing.set(PIPELINES_WF, new Error('connect ECONNREFUSED'));
    const signal = await repos.startCycle().read(entity);
    expect(signal).toMatchObject({
      status: 'ok',
      stale: {
        reason: expect.stringContaining(
          `reading shared CI file ${PIPELINES_WF} failed`,
        ),
      },
    });
    expect(
      checksOf('checkout', signal).get('technology.secrets-hygiene')!.status,
    ).toBe('pass');
  });

  it('follows shared files calling shared files to the depth limit, and stops at cycles', async () => {
    const scm = new FixtureScm();
    const wf = (n: number) =>
      `${GH}/acme/p${n}/blob/v1/.github/workflows/w.yml`;
    const calling = (n: number) =>
      [
        'on: workflow_call',
        'jobs:',
        '  next:',
        `    uses: acme/p${n}/.github/workflows/w.yml@v1`,
      ].join('\n');
    scm.blobs.set(wf(1), calling(2));
    scm.blobs.set(wf(2), calling(1)); // a cycle: 1 → 2 → 1
    scm.blobs.set(wf(3), calling(4));
    scm.blobs.set(wf(4), calling(5));
    scm.blobs.set(wf(5), calling(6));
    scm.blobs.set(wf(6), SECURE_BUILD);
    scm.trees.set(`${GH}/acme/a/tree/main/`, {
      '.github/workflows/ci.yml': CALLER.replace(
        'platform-pipelines',
        'p1',
      ).replace('secure-build', 'w'),
    });
    scm.trees.set(`${GH}/acme/b/tree/main/`, {
      '.github/workflows/ci.yml': CALLER.replace(
        'platform-pipelines',
        'p3',
      ).replace('secure-build', 'w'),
    });
    const cycle = collector(scm).startCycle();

    const cyclic = extraction(
      await cycle.read(service('a', `${GH}/acme/a/tree/main/`)),
    );
    expect(scm.reads(wf(1))).toBe(1);
    expect(scm.reads(wf(2))).toBe(1);
    expect(cyclic.notes).toContainEqual({
      file: 'acme/p2/.github/workflows/w.yml@v1',
      message: expect.stringContaining('a cycle, followed once'),
    });

    const deep = extraction(
      await cycle.read(service('b', `${GH}/acme/b/tree/main/`)),
    );
    // Depth 3: p3, p4, p5 are read; p6 is not.
    expect(scm.reads(wf(5))).toBe(1);
    expect(scm.reads(wf(6))).toBe(0);
    expect(deep.ci[0].shared).toContainEqual(
      expect.objectContaining({
        ref: 'acme/p6/.github/workflows/w.yml@v1',
        status: 'not-inspected',
        reason: expect.stringContaining('deeper than the configured depth'),
      }),
    );
  });

  it('reads composite actions of the same organisation, never third-party ones', async () => {
    const scm = new FixtureScm();
    scm.blobs.set(
      `${GH}/acme/actions/blob/v2/scan/action.yml`,
      [
        'runs:',
        '  using: composite',
        '  steps:',
        '    - run: gitleaks detect',
        '      shell: bash',
      ].join('\n'),
    );
    scm.trees.set(`${GH}/acme/svc/tree/main/`, {
      '.github/workflows/ci.yml': [
        'on: [pull_request, push]',
        'jobs:',
        '  test:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - uses: other-org/scan@v1',
        '      - uses: acme/actions/scan@v2',
      ].join('\n'),
    });
    const signal = await collector(scm)
      .startCycle()
      .read(service('svc', `${GH}/acme/svc/tree/main/`));
    expect(
      checksOf('svc', signal).get('technology.secrets-hygiene'),
    ).toMatchObject({
      status: 'pass',
      evidence: [
        expect.objectContaining({
          label: 'acme/actions/scan/action.yml@v2',
          via: { label: '.github/workflows/ci.yml', line: 8 },
        }),
      ],
    });
    expect(scm.urlReads.map(r => r.url)).toEqual([
      `${GH}/acme/actions/blob/v2/scan/action.yml`,
    ]);
  });

  it('never crashes on bad references: unreachable hosts, huge or malformed files, uses that are not references', async () => {
    const scm = new FixtureScm();
    const huge = `${GH}/acme/huge/blob/v1/.github/workflows/w.yml`;
    const broken = `${GH}/acme/broken/blob/v1/.github/workflows/w.yml`;
    scm.blobs.set(huge, `# ${'x'.repeat(70 * 1024)}\n`);
    scm.blobs.set(broken, 'jobs: [unclosed\n  - {');
    scm.trees.set(`${GH}/acme/svc/tree/main/`, {
      '.github/workflows/ci.yml': [
        'on: push',
        'jobs:',
        '  a:',
        '    uses: acme/huge/.github/workflows/w.yml@v1',
        '  b:',
        '    uses: acme/broken/.github/workflows/w.yml@v1',
        '  c:',
        '    uses: not a reference',
        '  d:',
        '    uses: 42',
        '  e:',
        '    uses: acme/down/.github/workflows/w.yml@v1',
      ].join('\n'),
    });
    scm.failing.set(
      `${GH}/acme/down/blob/v1/.github/workflows/w.yml`,
      new Error('getaddrinfo ENOTFOUND github.com'),
    );
    const signal = await collector(scm)
      .startCycle()
      .read(service('svc', `${GH}/acme/svc/tree/main/`));
    const { notes, ci } = extraction(signal);
    const messages = notes.map(n => n.message).join('\n');
    expect(messages).toContain('65536 byte limit');
    expect(messages).toContain('YAML error');
    expect(messages).toContain(
      '"not a reference" is not a reusable workflow reference',
    );
    expect(messages).toContain('"42" is not a reusable workflow reference');
    expect(messages).toContain('ENOTFOUND');
    expect(ci[0].shared.map(s => s.status)).toEqual([
      'unreadable',
      'unreadable',
      'unreadable',
    ]);
    expect(
      checksOf('svc', signal).get('technology.secrets-hygiene')!.status,
    ).toBe('unknown');
  });

  it('reports a Jenkins shared library as a shared pipeline, not inspected', async () => {
    const scm = new FixtureScm();
    scm.trees.set(`${GH}/acme/legacy/tree/main/`, {
      Jenkinsfile: "@Library('acme-pipelines@v3') _\nstandardPipeline()\n",
    });
    const signal = await collector(scm)
      .startCycle()
      .read(service('legacy', `${GH}/acme/legacy/tree/main/`));
    expect(extraction(signal).ci[0].shared).toEqual([
      expect.objectContaining({
        kind: 'library',
        ref: 'acme-pipelines@v3',
        status: 'not-inspected',
        reason: 'a Jenkins shared library: a shared pipeline, not inspected',
      }),
    ]);
    expect(
      checksOf('legacy', signal).get('process.container-scan'),
    ).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('acme-pipelines@v3'),
    });
  });

  it('locates shared files on other hosts through a configured URL template', async () => {
    const scm = new FixtureScm();
    scm.blobs.set(
      'http://scm.internal/repos/platform-pipelines/.github/workflows/secure-build.yml',
      SECURE_BUILD,
    );
    scm.trees.set('http://scm.internal/repos/checkout/', {
      '.github/workflows/ci.yml': CALLER,
    });
    const repos = collector(scm, {
      hosts: [
        {
          host: 'scm.internal',
          fileUrl: 'http://scm.internal/repos/{repo}/{path}',
        },
      ],
    });
    const signal = await repos
      .startCycle()
      .read(service('checkout', 'http://scm.internal/repos/checkout/'));
    expect(
      checksOf('checkout', signal).get('process.container-scan')!.status,
    ).toBe('pass');

    // Without the template the host is unknown: not inspected, and why.
    const plain = await collector(scm)
      .startCycle()
      .read(service('checkout', 'http://scm.internal/repos/checkout/'));
    expect(extraction(plain).ci[0].shared[0]).toMatchObject({
      status: 'not-inspected',
      reason: expect.stringContaining(
        'scm.internal is not a GitHub integration',
      ),
    });
  });

  it('parsed every repository where it says (last: counts the cases above)', () => {
    const counts = (extractor as ExtractionPool | undefined)?.counts ?? {
      onWorkers: 0,
      inline: 0,
    };
    expect(counts.inline).toBe(0);
    expect(counts.onWorkers).toBeGreaterThanOrEqual(workerJobs);
  });

  it('rejects bad sharedCi config at start, naming the key', () => {
    const read = (sharedCi: object) =>
      readSharedCiOptions(new ConfigReader({ maturity: { sharedCi } }));
    expect(() => read({ maxDepth: 11 })).toThrow(
      "Invalid config at 'maturity.sharedCi.maxDepth': must be a whole number from 0 to 10, got 11",
    );
    expect(() =>
      read({ hosts: [{ host: 'x', fileUrl: 'ftp://x/{path}' }] }),
    ).toThrow("Invalid config at 'maturity.sharedCi.hosts[0].fileUrl'");
    expect(read({})).toEqual({ maxDepth: 3, organizations: [], hosts: [] });
  });
});
