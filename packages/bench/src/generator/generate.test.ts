import { parseAllDocuments } from 'yaml';
import {
  BROKEN_KINDS,
  generateOrganisation,
  GeneratedOrganisation,
  repositoryFiles,
} from './generate';
import { loadTemplates } from './templates';

const templates = loadTemplates();
const organisation = (seed: number, entities: number, broken = 0.02) =>
  generateOrganisation({ seed, entities, broken }, templates);

const filesOf = (org: GeneratedOrganisation) =>
  new Map(
    org.repositories.map(r => [
      r.repo,
      repositoryFiles(org.options.seed, r, templates),
    ]),
  );

describe('loadTemplates', () => {
  it('loads the repositories no component points at as shared ones', () => {
    expect(templates.shared.map(r => r.name)).toEqual(['platform-pipelines']);
    expect(templates.archetypes.map(a => a.name)).not.toContain(
      'platform-pipelines',
    );
    const [pipelines] = templates.shared;
    expect(pipelines.files.map(f => f.path)).toContain(
      '.github/workflows/security-scan.yml',
    );
    // catalog-service calls it; its copies keep the call, unrenamed
    // (unless chance dropped their workflow).
    const org = organisation(1, 1000);
    const workflows = org.services
      .filter(x => x.archetype === 'catalog-service' && !x.broken)
      .flatMap(x =>
        repositoryFiles(1, x.repository!, templates).filter(
          f => f.path === '.github/workflows/ci.yml',
        ),
      );
    expect(workflows.length).toBeGreaterThan(10);
    for (const ci of workflows) {
      expect(ci.content).toContain(
        'uses: acme/platform-pipelines/.github/workflows/security-scan.yml@v1',
      );
    }
  });
});

describe('generateOrganisation', () => {
  const big = organisation(1, 1000, 0.05);
  const bigFiles = filesOf(big);

  it('gives the same organisation and repositories for the same seed', () => {
    const again = organisation(1, 1000, 0.05);
    expect(JSON.stringify(again.entities)).toBe(JSON.stringify(big.entities));
    expect(again.services).toEqual(big.services);
    expect(again.facts).toEqual(big.facts);
    expect(filesOf(again)).toEqual(bigFiles);
  });

  it('gives another organisation for another seed', () => {
    const other = organisation(2, 1000, 0.05);
    expect(JSON.stringify(other.entities)).not.toBe(
      JSON.stringify(big.entities),
    );
  });

  it('has the requested number of services and the shape of an organisation', () => {
    const kinds = (kind: string) =>
      big.entities.filter(e => e.kind === kind).length;
    expect(kinds('Component')).toBe(1000);
    expect(big.counts.components).toBe(1000);
    expect(kinds('Group')).toBe(21); // ~N/50 teams and a department
    expect(kinds('System')).toBe(50); // ~N/20
    expect(kinds('Domain')).toBe(5); // ~N/200
    expect(kinds('User')).toBeGreaterThanOrEqual(40);
    // About half the services provide APIs.
    const providing = big.entities.filter(
      e => e.kind === 'Component' && e.spec?.providesApis,
    ).length;
    expect(providing).toBeGreaterThan(300);
    expect(providing).toBeLessThan(650);
    const names = big.entities.map(e => `${e.kind}:${e.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
    for (const e of big.entities) {
      expect(e.metadata.name).toMatch(/^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/);
      expect(e.metadata.name.length).toBeLessThanOrEqual(63);
      expect(
        e.metadata.annotations?.['backstage.io/managed-by-location'],
      ).toBeDefined();
    }
  });

  it('references only entities that exist, except where broken on purpose', () => {
    const refs = new Set(
      big.entities.map(e =>
        `${e.kind}:default/${e.metadata.name}`.toLocaleLowerCase('en-US'),
      ),
    );
    const has = (kind: string, ref: string) =>
      refs.has(
        (ref.includes(':') ? ref : `${kind}:default/${ref}`).toLocaleLowerCase(
          'en-US',
        ),
      );
    for (const s of big.services) {
      const entity = big.entities.find(
        e => e.kind === 'Component' && e.metadata.name === s.name,
      )!;
      expect(has('system', String(entity.spec!.system))).toBe(true);
      for (const api of (entity.spec!.providesApis as string[]) ?? []) {
        expect(has('api', api)).toBe(true);
      }
      for (const dep of (entity.spec!.dependsOn as string[]) ?? []) {
        expect(has('component', dep)).toBe(true);
      }
      const ownerExists = has('group', String(entity.spec!.owner));
      expect([s.broken, ownerExists, !!entity.spec!.owner]).toEqual([
        s.broken,
        s.broken !== 'missing-owner' && s.broken !== 'unknown-owner',
        s.broken !== 'missing-owner',
      ]);
    }
  });

  it('breaks exactly the requested share, with every kind of breakage', () => {
    const broken = big.services.filter(s => s.broken);
    expect(broken).toHaveLength(50);
    for (const kind of BROKEN_KINDS) {
      const n = broken.filter(s => s.broken === kind).length;
      expect(n).toBeGreaterThanOrEqual(8);
      expect(big.counts.broken[kind]).toBe(n);
    }
    expect(big.counts.componentsInCatalog).toBe(
      1000 - big.counts.broken['missing-owner'],
    );
    expect(organisation(1, 1000, 0).services.some(s => s.broken)).toBe(false);
    expect(
      organisation(1, 200, 0.02).services.filter(s => s.broken),
    ).toHaveLength(4);

    const ofKind = (kind: string) => broken.filter(s => s.broken === kind);
    expect(ofKind('unreadable-503').map(s => s.repository?.failure)).toEqual(
      ofKind('unreadable-503').map(() => 503),
    );
    expect(ofKind('unreadable-404').map(s => s.repository?.failure)).toEqual(
      ofKind('unreadable-404').map(() => 404),
    );
    expect(
      ofKind('invalid-annotation').map(
        s =>
          big.entities.find(e => e.metadata.name === s.name)!.metadata
            .annotations!['cloud-native-maturity/target-level'],
      ),
    ).toEqual(ofKind('invalid-annotation').map(() => 'eleven'));
    // Helm templates of the demo are YAML too, but for `{{ }}` lines.
    const yamlErrors = (name: string, helm = false) =>
      bigFiles
        .get(name)!
        .filter(
          f =>
            /\.ya?ml$/.test(f.path) && (helm || !f.path.includes('templates/')),
        )
        .flatMap(f => parseAllDocuments(f.content).flatMap(d => d.errors));
    // Each malformed repository has a YAML file that does not parse ...
    expect(
      ofKind('malformed-yaml').filter(
        s => yamlErrors(s.name, true).length === 0,
      ),
    ).toEqual([]);
    // ... and those of healthy services parse.
    const healthy = big.services.filter(s => !s.broken && s.repository);
    expect(healthy.slice(0, 100).flatMap(s => yamlErrors(s.name))).toEqual([]);
  });

  it('mixes repositories from a bare README to a full platform setup', () => {
    const repos = [...bigFiles.values()];
    const share = (test: (paths: string[]) => boolean) =>
      repos.filter(files => test(files.map(f => f.path))).length / repos.length;
    const any = (re: RegExp) => (paths: string[]) =>
      paths.some(p => re.test(p));

    const readmeOnly = share(
      paths =>
        paths.some(p => /^README/.test(p)) &&
        !paths.some(p =>
          /^\.github\/workflows\/|Dockerfile|\.gitlab-ci/.test(p),
        ),
    );
    expect(readmeOnly).toBeGreaterThan(0.03);
    for (const [what, re, min, max] of [
      ['GitHub Actions', /^\.github\/workflows\/.+\.ya?ml$/, 0.5, 0.98],
      ['Dockerfile', /(^|\/)Dockerfile$/, 0.5, 0.98],
      ['Kubernetes manifests', /^(deploy|chart)\/.+\.ya?ml$/, 0.3, 0.9],
      ['Helm chart', /(^|\/)Chart\.yaml$/, 0.05, 0.5],
      ['CODEOWNERS', /CODEOWNERS$/, 0.3, 0.9],
      ['Renovate or Dependabot', /renovate\.json|dependabot\.ya?ml/, 0.1, 0.7],
      ['policy', /^policy\//, 0.05, 0.6],
      ['OpenTelemetry', /otel|opentelemetry/i, 0.01, 0.5],
      ['docs', /^docs\/|mkdocs\.ya?ml$/, 0.3, 0.9],
      ['source files', /^src\//, 0.9, 1],
    ] as const) {
      const s = share(any(re));
      expect([what, s >= min && s <= max]).toEqual([what, true]);
    }
    // Archetypes of every designed level, so the levels spread 0..5.
    const levels = new Set(big.services.map(s => s.designedLevel));
    expect([...levels].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    // Some repositories lose files, so services land below their archetype.
    const sizes = new Map<string, Set<number>>();
    for (const s of big.services.filter(x => x.repository && !x.broken)) {
      const relevant = bigFiles
        .get(s.name)!
        .filter(
          f => !/^(src|test|scripts)\/|^\.gitignore$/.test(f.path),
        ).length;
      sizes.set(
        s.archetype,
        (sizes.get(s.archetype) ?? new Set()).add(relevant),
      );
    }
    expect([...sizes.values()].some(set => set.size > 1)).toBe(true);
  });

  it('renames the archetype in the repository and the annotations', () => {
    const s = big.services.find(
      x => x.archetype === 'checkout-service' && !x.broken,
    )!;
    const files = bigFiles.get(s.name)!;
    expect(files.some(f => f.content.includes(s.name))).toBe(true);
    expect(files.some(f => f.content.includes('checkout-service'))).toBe(false);
    const entity = big.entities.find(e => e.metadata.name === s.name)!;
    expect(entity.metadata.annotations!['backstage.io/kubernetes-id']).toBe(
      s.name,
    );
    expect(entity.metadata.annotations!['backstage.io/source-location']).toBe(
      `url:https://scm.bench.local/${s.repository!.org}/${s.name}/tree/main/`,
    );
  });

  it('pushes facts only for healthy services whose archetype has them', () => {
    expect(big.facts.length).toBeGreaterThan(0);
    const byRef = new Map(big.services.map(s => [s.ref, s]));
    for (const f of big.facts) {
      const s = byRef.get(f.entityRef)!;
      expect(s.broken).toBeUndefined();
      expect([
        'user-profile-service',
        'auth-gateway',
        'payments-platform',
      ]).toContain(s.archetype);
    }
  });
});
