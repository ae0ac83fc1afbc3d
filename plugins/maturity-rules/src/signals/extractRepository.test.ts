import { extractRepository, EXTRACTION_VERSION } from './extractRepository';

const BILLION_LAUGHS = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;

const WORKFLOW = `on: pull_request
jobs:
  test:
    steps:
      - run: npm test
`;

describe('extractRepository', () => {
  it('returns an empty extraction for an empty repository', () => {
    const x = extractRepository([]);
    expect(x.version).toBe(EXTRACTION_VERSION);
    expect(x).toMatchObject({
      files: [],
      ci: [],
      workloads: [],
      notes: [],
      docs: { docsDir: false, adrs: [] },
    });
    expect(x.codeowners).toBeUndefined();
  });

  it('notes unparsable YAML and keeps reading the other files', () => {
    const x = extractRepository([
      {
        path: 'k8s/broken.yaml',
        content: 'kind: Deployment\n  bad: [indent\n',
      },
      { path: '.github/workflows/ci.yml', content: WORKFLOW },
    ]);
    expect(x.notes).toEqual([
      {
        file: 'k8s/broken.yaml',
        message: expect.stringMatching(/^YAML error/),
      },
    ]);
    expect(x.ci[0].tests.map(t => t.tool)).toEqual(['npm test']);
    expect(x.files).toEqual(['.github/workflows/ci.yml', 'k8s/broken.yaml']);
  });

  it('refuses a billion laughs alias bomb with a note', () => {
    const x = extractRepository([
      { path: 'k8s/bomb.yaml', content: BILLION_LAUGHS },
      {
        path: '.github/workflows/bomb.yml',
        content: `on: push\njobs:\n  x: &x {steps: [{run: npm test}]}\n${BILLION_LAUGHS}`,
      },
    ]);
    expect(x.notes.map(n => n.file)).toEqual([
      '.github/workflows/bomb.yml',
      'k8s/bomb.yaml',
    ]);
    expect(x.notes[0].message).toMatch(/alias/i);
    expect(x.ci).toEqual([]);
  });

  it('skips files over the size limit and binary files', () => {
    const x = extractRepository(
      [
        {
          path: 'Dockerfile',
          content: `FROM node:20\n${'# padding\n'.repeat(20)}`,
        },
        { path: 'k8s/app.yaml', content: Buffer.from([0x61, 0x00, 0x62]) },
        { path: 'README.md', content: 'hello' },
      ],
      { maxFileBytes: 100 },
    );
    expect(x.notes).toEqual([
      {
        file: 'Dockerfile',
        message: expect.stringContaining('more than the limit of 100 bytes'),
      },
      { file: 'k8s/app.yaml', message: 'Skipped: binary content' },
    ]);
    expect(x.files).toEqual(['README.md']);
    expect(x.dockerfiles).toEqual([]);
  });

  it('normalises paths, line endings and a byte order mark', () => {
    const x = extractRepository([
      {
        path: './Dockerfile',
        content: Buffer.from('\uFEFFFROM alpine:3.20\r\nUSER 1000\r\n'),
      },
    ]);
    expect(x.dockerfiles).toEqual([
      {
        file: 'Dockerfile',
        baseImages: [
          { image: 'alpine', tag: '3.20', file: 'Dockerfile', line: 1 },
        ],
        user: { value: '1000', file: 'Dockerfile', line: 2 },
      },
    ]);
  });

  it('gives the same result whatever the order of the input files', () => {
    const files = [
      {
        path: 'deploy/b.yaml',
        content: 'apiVersion: v1\nkind: Service\nmetadata: {name: b}\n',
      },
      {
        path: 'deploy/a.yaml',
        content:
          'apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\n',
      },
      { path: '.github/workflows/z.yml', content: WORKFLOW },
      { path: '.github/workflows/a.yml', content: WORKFLOW },
    ];
    const x = extractRepository(files);
    expect(extractRepository([...files].reverse())).toEqual(x);
    expect(
      x.kubernetesObjects.map(o => `${o.file}:${o.line}:${o.kind}`),
    ).toEqual([
      'deploy/a.yaml:1:Service',
      'deploy/a.yaml:5:ConfigMap',
      'deploy/b.yaml:1:Service',
    ]);
    expect(x.ci.map(c => c.file)).toEqual([
      '.github/workflows/a.yml',
      '.github/workflows/z.yml',
    ]);
  });

  it('reads a Helm chart whose template does not parse with a note, not a crash', () => {
    const x = extractRepository([
      { path: 'chart/Chart.yaml', content: 'apiVersion: v2\nname: web\n' },
      { path: 'chart/templates/bad.yaml', content: 'a: {{ "{" }}\n  b: [\n' },
      {
        path: 'chart/templates/ok.yaml',
        content:
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n',
      },
    ]);
    expect(x.notes.map(n => n.file)).toEqual(['chart/templates/bad.yaml']);
    expect(x.kubernetesObjects).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        file: 'chart/templates/ok.yaml',
        line: 1,
      },
    ]);
    expect(x.helmCharts).toEqual([
      { file: 'chart/Chart.yaml', name: 'web', valuesFiles: [] },
    ]);
  });

  it('takes extra tool patterns from options', () => {
    const x = extractRepository(
      [
        {
          path: '.github/workflows/ci.yml',
          content:
            'on: push\njobs:\n  a:\n    steps:\n      - run: acme-scan .\n',
        },
      ],
      {
        tools: {
          scanners: [
            { kind: 'config', tool: 'acme-scan', pattern: /\bacme-scan\b/ },
          ],
        },
      },
    );
    expect(x.ci[0].scanners.map(s => s.tool)).toEqual(['acme-scan']);
  });

  it('handles a 10,000-line workflow and manifest with counts that grow with the input', () => {
    const workflow = (steps: number) =>
      `on: pull_request\njobs:\n  big:\n    steps:\n${'      - name: unit\n        run: npm test\n'.repeat(
        steps,
      )}`;
    const manifests = (n: number) =>
      'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: a:1}]\n---\n'.repeat(
        n,
      );
    const run = (n: number) =>
      extractRepository([
        { path: '.github/workflows/big.yml', content: workflow(n) },
        { path: 'k8s/many.yaml', content: manifests(n) },
      ]);
    const small = run(2500); // 5,000 + 17,500 lines
    expect(small.notes).toEqual([]);
    expect(small.ci[0].tests).toHaveLength(2500);
    expect(small.ci[0].tests[2499].line).toBe(4 + 2 * 2500);
    expect(small.workloads).toHaveLength(2500);
    const big = run(5000);
    expect(big.ci[0].tests).toHaveLength(5000);
    expect(big.workloads).toHaveLength(5000);
  });
});
