import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { EXIT, main } from './main';

/** A checkout written by the test: `files` maps paths to contents. */
function checkout(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnmaturity-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(argv, {
    stdout: t => {
      stdout += t;
    },
    stderr: t => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

const CI = `on:
  pull_request:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: go test ./...
`;

const CATALOG = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  annotations:
    cloud-native-maturity/target-level: '2'
    cloud-native-maturity/attest.policy.compliance-requirements: '2026-10-01 https://wiki.example.com/compliance'
    cloud-native-maturity/attest.business.kpis-defined: '2026-10-01 https://wiki.example.com/kpis'
spec:
  type: service
  lifecycle: production
  owner: group:default/payments
`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/payments:1.4.2
`;

describe('cnmaturity scan', () => {
  const service = checkout({
    'catalog-info.yaml': CATALOG,
    '.github/workflows/ci.yml': CI,
    'deploy/deployment.yaml': DEPLOYMENT,
    'README.md': '# Payments\n',
  });

  it('prints the level, the next steps and each check with file:line evidence', () => {
    const { code, stdout } = run('scan', service);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain(
      'Cloud Native Maturity of component:default/payments (service)',
    );
    expect(stdout).toMatch(/^Level \d · [\w ]+? {4}score \d+%$/m);
    expect(stdout).toContain('entity from catalog-info.yaml');
    expect(stdout).toMatch(/To reach Level \d · [\w ]+/);
    expect(stdout).toContain('Fix: ');
    expect(stdout).toContain('PASS  people.fast-feedback');
    expect(stdout).toContain('- .github/workflows/ci.yml:');
    expect(stdout).toContain('Target: Level 2');
  });

  it('leaves to the catalog what only the catalog knows, never failing it', () => {
    const { stdout } = run('scan', service, '--format', 'json');
    const result = JSON.parse(stdout);
    const teamOwner = result.checks.find(
      (c: any) => c.checkId === 'people.team-owner',
    );
    expect(teamOwner.status).toBe('unknown');
    expect(teamOwner.message).toMatch(/^The catalog decides this check/);
    expect(result.scan.catalogDecided).toContain('people.team-owner');
    // The owner is read from catalog-info.yaml itself.
    expect(
      result.checks.find((c: any) => c.checkId === 'people.owner-set').status,
    ).toBe('pass');
  });

  it('gives the backend result shape in json', () => {
    const { stdout } = run('scan', service, '--format', 'json');
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      entityRef: 'component:default/payments',
      stale: false,
      level: expect.any(Number),
      areaLevels: expect.objectContaining({ people: expect.any(Number) }),
      scorePercent: expect.any(Number),
      target: expect.objectContaining({ level: 2 }),
      counts: expect.objectContaining({ pass: expect.any(Number) }),
    });
    expect(result.checks).toHaveLength(61);
    expect(new Date(result.evaluatedAt).getTime()).not.toBeNaN();
  });

  it('writes markdown for a pull-request comment', () => {
    const { stdout } = run('scan', service, '--format', 'markdown');
    expect(stdout).toMatch(/^### Cloud Native Maturity: Level \d · \w+/);
    expect(stdout).toContain('| People | Process | Policy | Technology |');
    expect(stdout).toContain('<details><summary>All 61 checks</summary>');
    expect(stdout).toMatch(
      /\| ✅ \| CI runs on pull requests `people.fast-feedback` \| 2 \|/,
    );
  });

  it('writes SARIF with a result for each failing check that names a file', () => {
    const { stdout } = run('scan', service, '--format', 'sarif');
    const sarif = JSON.parse(stdout);
    expect(sarif.version).toBe('2.1.0');
    const driver = sarif.runs[0].tool.driver;
    expect(driver.name).toBe('cnmaturity');
    expect(driver.rules).toHaveLength(61);
    const results = sarif.runs[0].results;
    expect(results.length).toBeGreaterThan(0);
    const limits = results.find(
      (r: any) => r.ruleId === 'technology.requests-limits',
    );
    expect(limits.locations[0].physicalLocation).toEqual({
      artifactLocation: {
        uri: 'deploy/deployment.yaml',
        uriBaseId: '%SRCROOT%',
      },
      region: { startLine: expect.any(Number) },
    });
    expect(limits.message.text).toContain('Fix: ');
    for (const r of results) {
      expect(r.locations.length).toBeGreaterThan(0);
    }
  });

  it('writes the report to --output', () => {
    const out = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'out-')),
      'r.md',
    );
    const { code, stdout } = run(
      'scan',
      service,
      '--format',
      'markdown',
      '--output',
      out,
    );
    expect(code).toBe(EXIT.ok);
    expect(stdout).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^### Cloud Native Maturity/);
  });

  describe('--fail-under', () => {
    const levelOf = (dir: string) =>
      JSON.parse(run('scan', dir, '--format', 'json').stdout).scan
        .repositoryLevel as number;

    it('exits 0 at or above the level and 1 below it, saying why', () => {
      const level = levelOf(service);
      expect(run('scan', service, '--fail-under', String(level)).code).toBe(
        EXIT.ok,
      );
      const below = run('scan', service, '--fail-under', String(level + 1));
      expect(below.code).toBe(EXIT.belowThreshold);
      expect(below.stderr).toContain(
        `the repository is at level ${level}, below ${level + 1}`,
      );
    });

    it('takes level names and the target from catalog-info.yaml', () => {
      const level = levelOf(service);
      expect(run('scan', service, '--fail-under', 'adapt').code).toBe(
        level < 5 ? EXIT.belowThreshold : EXIT.ok,
      );
      expect(run('scan', service, '--fail-under', 'target').code).toBe(
        level < 2 ? EXIT.belowThreshold : EXIT.ok,
      );
    });

    it('is an error with "target" when no target is set', () => {
      const bare = checkout({ 'README.md': '# x\n' });
      const { code, stderr } = run('scan', bare, '--fail-under', 'target');
      expect(code).toBe(EXIT.error);
      expect(stderr).toContain('sets no cloud-native-maturity/target-level');
    });
  });

  it.each([
    [
      ['scan', '.', '--format', 'xml'],
      '--format must be one of text, json, markdown, sarif, got "xml"',
    ],
    [
      ['scan', '.', '--fail-under', 'seven'],
      '--fail-under must be a level 0-5',
    ],
    [
      ['scan', '.', '--max-file-bytes=-1'],
      '--max-file-bytes must be a positive whole number',
    ],
    [['scan', 'a', 'b'], 'scan takes one folder'],
    [['lint'], 'unknown command "lint"'],
    [['scan', '--colour'], "Unknown option '--colour'"],
  ])('rejects %j with exit 2 and a message naming it', (argv, message) => {
    const { code, stderr } = run(...argv);
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: cnmaturity scan');
  });

  it('says when the folder does not exist', () => {
    const { code, stderr } = run('scan', '/no/such/folder');
    expect(code).toBe(EXIT.error);
    expect(stderr).toContain('/no/such/folder is not a folder');
  });

  it('prints help and version', () => {
    expect(run('--help').stdout).toContain('Usage: cnmaturity scan');
    expect(run('--version').stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('hostile checkouts', () => {
  it('never crashes on malformed YAML, binary files and huge files; each becomes a note', () => {
    const dir = checkout({
      '.github/workflows/ci.yml': 'on: [push\njobs: {{{',
      'deploy/a.yaml': '\t- : : :\n  - [',
      'deploy/b.yaml': Buffer.from([0, 1, 2, 0, 255]),
      'charts/app/templates/x.yaml': '{{- if }}\n  kind: [}',
      'deploy/big.yaml': `a: ${'x'.repeat(2048)}\n`,
      Dockerfile: 'FROM',
    });
    const { code, stdout } = run('scan', dir, '--max-file-bytes', '1024');
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^Notes \(\d+\)$/m);
    expect(stdout).toContain('deploy/b.yaml: Skipped: binary content');
    expect(stdout).toContain('deploy/big.yaml: Skipped:');
  });

  it('reads 50,000 files, keeping only those the checks need', () => {
    const files: Record<string, string> = { Dockerfile: 'FROM alpine:3.20\n' };
    for (let i = 0; i < 50_000; i++)
      files[`src/m${i % 100}/f${i}.go`] = 'package m\n';
    const dir = checkout(files);
    const { code, stdout } = run('scan', dir, '--format', 'json');
    expect(code).toBe(EXIT.ok);
    const { scan } = JSON.parse(stdout);
    expect(scan.filesListed).toBe(50_001);
    expect(scan.filesRead).toBe(1);
  });

  it('never reads outside the folder through a link', () => {
    const outside = checkout({ Dockerfile: 'FROM secret:1\nUSER 1000\n' });
    const dir = checkout({ 'README.md': '# x\n' });
    fs.symlinkSync(
      path.join(outside, 'Dockerfile'),
      path.join(dir, 'Dockerfile'),
    );
    fs.symlinkSync(outside, path.join(dir, 'deploy'));
    const { stdout } = run('scan', dir, '--format', 'json');
    const { checks, scan } = JSON.parse(stdout);
    expect(JSON.stringify(checks)).not.toContain('secret:1');
    expect(scan.notes).toContainEqual({
      file: 'Dockerfile',
      message: 'Skipped: a link to outside the folder',
    });
  });

  it('follows a link that stays inside the folder', () => {
    const dir = checkout({ 'build/Dockerfile': 'FROM alpine:3.20\n' });
    fs.symlinkSync(
      path.join(dir, 'build/Dockerfile'),
      path.join(dir, 'Dockerfile'),
    );
    const { scan } = JSON.parse(run('scan', dir, '--format', 'json').stdout);
    expect(scan.filesRead).toBe(2);
  });

  it('reads only tracked files in a git work tree', () => {
    const dir = checkout({
      '.github/workflows/ci.yml': CI,
      'deploy/untracked.yaml': DEPLOYMENT,
    });
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.github');
    const { scan, checks } = JSON.parse(
      run('scan', dir, '--format', 'json').stdout,
    );
    expect(scan.source).toBe('git');
    expect(scan.filesListed).toBe(1);
    expect(JSON.stringify(checks)).not.toContain('deploy/untracked.yaml');
  });
});
