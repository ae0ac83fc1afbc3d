import fs from 'fs';
import path from 'path';
import { EXAMPLE_REPOS } from '../__testUtils__/exampleRepos';
import { parseYaml, parseYamlFast } from './yaml';

/** Every path of a value, to a depth of 8. */
function pathsOf(value: unknown, prefix: Array<string | number> = []) {
  const out: Array<Array<string | number>> = [prefix];
  if (prefix.length >= 8) return out;
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(...pathsOf(v, [...prefix, k]));
    }
  }
  return out;
}

/**
 * What the extraction reads of a parse: values, document lines, errors, and
 * the line and block-scalar answer of every node.
 */
const seen = (text: string, parse: typeof parseYaml) => {
  const parsed = parse(text);
  return {
    docs: parsed.docs.map(d => ({
      value: d.value,
      line: d.line,
      nodes: pathsOf(d.value).map(p => [
        p.join('.'),
        d.lineAt(p),
        d.isBlockScalar(p),
      ]),
      // Questions about nodes that are not there, as the extraction asks them.
      missing: pathsOf(d.value).flatMap(p =>
        [
          [...p, 'environment'],
          [...p, 99],
          [...p, '0'],
        ].map(q => [q.join('.'), d.lineAt(q), d.isBlockScalar(q)]),
      ),
    })),
    errors: parsed.errors,
  };
};

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

describe('parseYamlFast', () => {
  it.each(
    yamlFiles(EXAMPLE_REPOS).map(f => [path.relative(EXAMPLE_REPOS, f), f]),
  )('reads %s exactly as the full parser does', (_, file) => {
    const text = fs.readFileSync(file, 'utf8');
    expect(seen(text, parseYamlFast)).toEqual(seen(text, parseYaml));
  });

  it.each([
    [
      'scalars of the YAML 1.2 core schema',
      'a: 014\nb: 0o14\nc: 0x1F\nd: 1e3\ne: .inf\nf: -.Inf\ng: .NaN\nh: yes\ni: on\nj: True\nk: ~\nl: Null\nm:\nn: 2026-11-26\no: "quoted"\np: 12:30\n',
    ],
    ['duplicate keys, the last winning', 'a: 1\nb: 2\na: 3\n'],
    ['merge keys', 'base: {x: 1}\nother:\n  <<: {x: 1, y: 2}\n  y: 3\n'],
    [
      'several documents, comments and empty ones',
      '# head\n---\napiVersion: v1\nkind: Service\n---\n# only a comment\n---\n\n\n- a\n- b\n---\nplain scalar\n',
    ],
    [
      'block scalars',
      'run: |\n  npm ci\n  npm test\nfolded: >\n  one\n  two\n',
    ],
    [
      'flow collections',
      'ports: [80, 443]\nlabels: {app: web, tier: "1"}\nsteps:\n  - { name: a, run: x }\n  - [p, q]\n',
    ],
    [
      'values after comments and empty values',
      'on:\n  pull_request:\n  push:\n    # only main\n    branches: [main]\njobs:\n\n  # the build\n  build:\n    steps:\n      - run: |\n          npm test\n',
    ],
    ['a broken second document', 'a: 1\n---\nb: [unclosed\n---\nc: 3\n'],
    ['anchors and aliases', 'x: &base {a: 1}\ny: *base\n'],
    [
      'aliases past the expansion limit',
      `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10)
        .fill('*a')
        .join(', ')}]\nc: &c [${Array(10).fill('*b').join(', ')}]\nd: [${Array(
        10,
      )
        .fill('*c')
        .join(', ')}]\n`,
    ],
    [
      'text that only looks like anchors, aliases or flow keys',
      "on:\n  schedule:\n    - cron: '*/5 * * * *'\njobs:\n  a:\n    if: ${{ !cancelled() }}\n    steps:\n      - run: npm ci && npm test\n      - run: docker build -t app:${{ github.sha }} .\n      - run: echo *.txt\n",
    ],
    ['an unrendered Helm value', 'spec:\n  replicas: {{ .Values.replicas }}\n'],
    ['tags', 'Resources:\n  Bucket:\n    Name: !Ref BucketName\n'],
    ['an empty file', ''],
    ['tabs where YAML forbids them', 'a:\n\t- b\n'],
  ])('reads %s as the full parser does', (_, text) => {
    expect(seen(text, parseYamlFast)).toEqual(seen(text, parseYaml));
  });

  it('finds node lines, in flow collections and after comments too', () => {
    const [doc] = parseYamlFast(
      'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n',
    ).docs;
    expect(doc.lineAt(['spec', 'template', 'spec', 'containers', 0])).toBe(6);
    expect(doc.isBlockScalar(['kind'])).toBe(false);
  });
});
