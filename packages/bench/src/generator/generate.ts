/*
 * A synthetic organisation of N services, deterministic from a seed: groups
 * with members, domains, systems, APIs, a shared cluster Resource, and one
 * repository per service. Pure: the same options and templates give the
 * same entities and the same repository plans, byte for byte.
 *
 * Each service copies one demo component (an "archetype", designed for a
 * level 0..5, see examples/README.md) with its own names, owner, system and
 * APIs; its repository is the archetype's, renamed, with some files dropped
 * by chance (so levels spread below the designed one) and source files the
 * checks do not read (so the trees have a realistic size). A share of the
 * services is broken on purpose: see BROKEN_KINDS.
 */
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { int, pick, Random, randomFor, sample, weighted } from './prng';
import { Archetype, RepoFile, Templates } from './templates';

/** The made-up SCM host of the generated repositories. */
export const SCM_HOST = 'scm.bench.local';

/**
 * How a broken service is broken, in the order they are handed out (so a
 * small run has entity and repository breakages alike). A broken service
 * has exactly one.
 */
export const BROKEN_KINDS = [
  /** No spec.owner: the catalog rejects the entity; it is never evaluated. */
  'missing-owner',
  /** Reading the repository fails with 503 Service Unavailable. */
  'unreadable-503',
  /** spec.owner names a group that does not exist. */
  'unknown-owner',
  /** A CI or Kubernetes YAML file of the repository does not parse. */
  'malformed-yaml',
  /** cloud-native-maturity/target-level is not a level. */
  'invalid-annotation',
  /** Reading the repository fails with 404 Not Found. */
  'unreadable-404',
] as const;
export type BrokenKind = (typeof BROKEN_KINDS)[number];

export const isRepositoryBreakage = (kind?: BrokenKind) =>
  kind === 'malformed-yaml' ||
  kind === 'unreadable-503' ||
  kind === 'unreadable-404';

export interface GenerateOptions {
  seed: number;
  /** Number of services (Components). */
  entities: number;
  /** Share of broken services, 0..1. */
  broken: number;
}

export interface RepositoryPlan {
  org: string;
  repo: string;
  /** The entity's source location (a `url:` target without the prefix). */
  url: string;
  archetype: string;
  /** The read fails with this HTTP status. */
  failure?: 404 | 503;
  /** One YAML file is malformed. */
  malformed: boolean;
  /** Text replaced in every file: the archetype's names by the service's. */
  renames: Array<[string, string]>;
}

export interface ServicePlan {
  index: number;
  name: string;
  /** Lower-case entity ref, `component:default/<name>`. */
  ref: string;
  archetype: string;
  /** The archetype's designed level; the service may land lower. */
  designedLevel?: number;
  /** Owner ref; undefined for a `missing-owner` service. */
  owner?: string;
  system: string;
  broken?: BrokenKind;
  repository?: RepositoryPlan;
}

export interface FactPlan {
  entityRef: string;
  source: string;
  values: Record<string, number | string | boolean>;
}

export interface GeneratedOrganisation {
  options: GenerateOptions;
  /** Every entity, all kinds, in a stable order. */
  entities: Entity[];
  services: ServicePlan[];
  repositories: RepositoryPlan[];
  /** Facts a CI would push (DORA, registry scans) for some services. */
  facts: FactPlan[];
  counts: {
    components: number;
    apis: number;
    groups: number;
    users: number;
    systems: number;
    domains: number;
    resources: number;
    /** Components the catalog accepts (all but missing owners). */
    componentsInCatalog: number;
    /** Services without a source location (nothing to read). */
    withoutRepository: number;
    broken: Record<BrokenKind, number>;
  };
}

const NOUNS = [
  'orders',
  'billing',
  'search',
  'inventory',
  'shipping',
  'pricing',
  'ledger',
  'identity',
  'catalog',
  'reviews',
  'loyalty',
  'fraud',
  'reporting',
  'media',
  'notifications',
  'checkout',
  'recommendations',
  'warehouse',
  'returns',
  'tax',
  'payouts',
  'partners',
  'content',
  'profiles',
];
const ROLES = [
  'service',
  'api',
  'worker',
  'gateway',
  'web',
  'sync',
  'engine',
  'jobs',
  'bff',
  'adapter',
];
const WORDS = [
  'amber',
  'birch',
  'cedar',
  'delta',
  'ember',
  'fjord',
  'granite',
  'harbor',
  'iris',
  'juniper',
  'kestrel',
  'lumen',
  'maple',
  'nova',
  'onyx',
  'pine',
  'quartz',
  'raven',
  'sierra',
  'tundra',
];

/** Designed level -> share of services copying archetypes of that level. */
const LEVEL_WEIGHTS: Record<number, number> = {
  0: 10,
  1: 22,
  2: 26,
  3: 20,
  4: 12,
  5: 6,
};
/** Share of services whose repository has little more than a README. */
const README_ONLY_WEIGHT = 6;
const README_ONLY = 'readme-only';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const lowerRef = (e: Entity) =>
  stringifyEntityRef(e).toLocaleLowerCase('en-US');
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

function replaceAll(text: string, renames: Array<[string, string]>): string {
  let out = text;
  for (const [from, to] of renames) {
    if (from && from !== to) out = out.split(from).join(to);
  }
  return out;
}

function renameDeep<T>(value: T, renames: Array<[string, string]>): T {
  if (typeof value === 'string') return replaceAll(value, renames) as T;
  if (Array.isArray(value)) {
    return value.map(v => renameDeep(v, renames)) as T;
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, renameDeep(v, renames)]),
    ) as T;
  }
  return value;
}

/** Where the entity is defined: a `url:` target unless it says its type. */
const location = (target: string) => {
  const ref = /^(url|file):/.test(target) ? target : `url:${target}`;
  return {
    'backstage.io/managed-by-location': ref,
    'backstage.io/managed-by-origin-location': ref,
  };
};

const shortName = (ref: string) => ref.split('/').pop()!;

function readmeOnlyArchetype(): Archetype {
  return {
    name: README_ONLY,
    level: 0,
    component: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: README_ONLY,
        description: 'A service with a repository and not much else yet.',
        annotations: { 'backstage.io/source-location': 'url:placeholder' },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'nobody' },
    },
    apis: [],
    files: [
      {
        path: 'README.md',
        content: `# ${README_ONLY}\n\nStarted from a template. Build with \`make\`.\n`,
      },
    ],
    facts: [],
  };
}

/** Target annotations for a group, system, domain or component. */
function randomTarget(random: Random): Record<string, string> {
  return {
    'cloud-native-maturity/target-level': String(int(random, 2, 4)),
    'cloud-native-maturity/target-date': `${int(random, 2026, 2028)}-${pad(
      int(random, 1, 12),
      2,
    )}-${pick(random, ['15', '28'])}`,
  };
}

/**
 * The organisation for `options`. `templates` are the demo components and
 * repositories (loadTemplates); the output depends on nothing else.
 */
export function generateOrganisation(
  options: GenerateOptions,
  templates: Templates,
): GeneratedOrganisation {
  const { seed } = options;
  const n = Math.max(1, Math.floor(options.entities));
  const width = String(n - 1).length;
  const archetypes = [...templates.archetypes, readmeOnlyArchetype()];
  const perLevel = new Map<number, number>();
  for (const a of archetypes) {
    if (a.level !== undefined && a.name !== README_ONLY) {
      perLevel.set(a.level, (perLevel.get(a.level) ?? 0) + 1);
    }
  }
  const weightOf = (a: Archetype) => {
    if (a.name === README_ONLY) return README_ONLY_WEIGHT;
    if (a.level === undefined) return 5;
    return (LEVEL_WEIGHTS[a.level] ?? 5) / perLevel.get(a.level)!;
  };
  const archetypeWeights = archetypes.map(a => ({
    item: a,
    weight: weightOf(a),
  }));
  const withRepository = archetypes.filter(
    a => a.files && a.name !== README_ONLY,
  );

  const orgFile = `https://${SCM_HOST}/platform/org/blob/main/org.yaml`;
  const entities: Entity[] = [];

  // Groups: a department and ~N/50 teams, each with 2-6 members.
  const groupCount = Math.max(2, Math.round(n / 50));
  const groupWidth = String(groupCount - 1).length;
  const orgRandom = randomFor(seed, 'org');
  const groups: Entity[] = [];
  const users: Entity[] = [];
  for (let g = 0; g < groupCount; g++) {
    const name = `team-${pick(orgRandom, WORDS)}-${pad(g, groupWidth)}`;
    groups.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name,
        annotations: {
          ...location(orgFile),
          ...(orgRandom() < 0.2 ? randomTarget(orgRandom) : {}),
        },
      },
      spec: {
        type: 'team',
        profile: { displayName: name, email: `${name}@example.com` },
        parent: 'engineering',
        children: [],
      },
    });
    const members = int(orgRandom, 2, 6);
    for (let u = 0; u < members; u++) {
      const user = `user-${pad(g, groupWidth)}-${u}`;
      users.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: { name: user, annotations: location(orgFile) },
        spec: {
          profile: { displayName: user, email: `${user}@example.com` },
          memberOf: [name],
        },
      });
    }
  }
  const department: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'engineering', annotations: location(orgFile) },
    spec: {
      type: 'department',
      children: groups.map(g => g.metadata.name),
    },
  };
  const groupRef = (g: Entity) => `group:default/${g.metadata.name}`;

  // Domains (~N/200) and systems (~N/20), each owned by a team.
  const domainCount = Math.max(1, Math.round(n / 200));
  const systemCount = Math.max(1, Math.round(n / 20));
  const domains: Entity[] = [];
  for (let d = 0; d < domainCount; d++) {
    domains.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Domain',
      metadata: {
        name: `domain-${pick(orgRandom, WORDS)}-${pad(d, 3)}`,
        annotations: {
          ...location(orgFile),
          ...(orgRandom() < 0.3 ? randomTarget(orgRandom) : {}),
        },
      },
      spec: { owner: groupRef(pick(orgRandom, groups)) },
    });
  }
  const systems: Entity[] = [];
  for (let s = 0; s < systemCount; s++) {
    const domain = domains[s % domainCount];
    systems.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: `system-${pick(orgRandom, WORDS)}-${pad(s, 4)}`,
        annotations: {
          ...location(orgFile),
          ...(orgRandom() < 0.25 ? randomTarget(orgRandom) : {}),
        },
      },
      spec: {
        owner: groupRef(pick(orgRandom, groups)),
        domain: domain.metadata.name,
      },
    });
  }
  const resources = templates.resources.map(r => {
    const copy = clone(r);
    copy.metadata.annotations = {
      ...copy.metadata.annotations,
      ...location(orgFile),
    };
    copy.spec = {
      ...copy.spec,
      owner: groupRef(groups[0]),
      system: systems[0].metadata.name,
    };
    return copy;
  });
  const resourceNames = new Set(resources.map(r => r.metadata.name));

  // Which services are broken, and how: exactly round(N * broken) of them.
  const brokenCount = Math.round(n * Math.min(1, Math.max(0, options.broken)));
  const brokenAt = new Map<number, BrokenKind>();
  sample(randomFor(seed, 'broken'), n, brokenCount).forEach((index, k) =>
    brokenAt.set(index, BROKEN_KINDS[k % BROKEN_KINDS.length]),
  );

  const services: ServicePlan[] = [];
  const repositories: RepositoryPlan[] = [];
  const components: Entity[] = [];
  const apis: Entity[] = [];
  const facts: FactPlan[] = [];
  const libraries: string[] = [];

  for (let i = 0; i < n; i++) {
    const random = randomFor(seed, `service:${i}`);
    const broken = brokenAt.get(i);
    let archetype = weighted(random, archetypeWeights);
    if (isRepositoryBreakage(broken) && !archetype.files) {
      archetype = pick(random, withRepository);
    }
    const name = `${pick(random, NOUNS)}-${pick(random, ROLES)}-${pad(
      i,
      width,
    )}`;
    const system = pick(random, systems);
    const ownerGroup =
      random() < 0.8
        ? groups.find(g => groupRef(g) === system.spec!.owner)!
        : pick(random, groups);
    const domain = domains.find(d => d.metadata.name === system.spec!.domain)!;
    const org = domain.metadata.name;
    const base = archetype.component;
    const baseOwner = String(base.spec?.owner ?? '');
    const renames: Array<[string, string]> = [
      [archetype.name, name],
      [baseOwner, ownerGroup.metadata.name],
    ];

    const annotations: Record<string, string> = renameDeep(
      { ...(base.metadata.annotations ?? {}) },
      renames,
    );
    delete annotations['backstage.io/source-location'];
    delete annotations['backstage.io/managed-by-location'];
    delete annotations['backstage.io/managed-by-origin-location'];
    const repoBase = `https://${SCM_HOST}/${org}/${name}`;
    let repository: RepositoryPlan | undefined;
    if (archetype.files) {
      repository = {
        org,
        repo: name,
        url: `${repoBase}/tree/main/`,
        archetype: archetype.name,
        malformed: broken === 'malformed-yaml',
        renames,
        ...(broken === 'unreadable-503' ? { failure: 503 as const } : {}),
        ...(broken === 'unreadable-404' ? { failure: 404 as const } : {}),
      };
      annotations['backstage.io/source-location'] = `url:${repository.url}`;
      repositories.push(repository);
    }
    // A service without a repository is defined in a central file, as the
    // demo's are: the plugin falls back to the managed-by location when
    // there is no source location, and a file location is not read.
    Object.assign(
      annotations,
      location(
        repository
          ? `${repoBase}/blob/main/catalog-info.yaml`
          : `file:/srv/catalog/${org}/${name}.yaml`,
      ),
    );
    if (!annotations['cloud-native-maturity/target-level'] && random() < 0.1) {
      Object.assign(annotations, randomTarget(random));
    }
    if (broken === 'invalid-annotation') {
      annotations['cloud-native-maturity/target-level'] = 'eleven';
    }

    const spec: Record<string, any> = {
      ...clone(base.spec ?? {}),
      owner: groupRef(ownerGroup),
      system: system.metadata.name,
    };
    if (broken === 'missing-owner') delete spec.owner;
    if (broken === 'unknown-owner') {
      spec.owner = `group:default/ghost-team-${pad(i, width)}`;
    }

    // About half the services provide their archetype's APIs.
    delete spec.providesApis;
    if (archetype.apis.length > 0 && random() < 0.55) {
      spec.providesApis = archetype.apis.map((api, k) => {
        const apiName = k === 0 ? `${name}-api` : `${name}-api-${k + 1}`;
        const copy = renameDeep(clone(api), renames);
        copy.metadata = {
          ...copy.metadata,
          name: apiName,
          annotations: {
            ...copy.metadata.annotations,
            ...location(`${repoBase}/blob/main/catalog-info.yaml`),
          },
        };
        copy.spec = {
          ...copy.spec,
          owner: groupRef(ownerGroup),
          system: system.metadata.name,
        };
        apis.push(copy);
        return apiName;
      });
    }
    delete spec.consumesApis;
    if (apis.length > 0 && base.spec?.consumesApis) {
      spec.consumesApis = [
        ...new Set(
          Array.from(
            { length: int(random, 1, 3) },
            () => pick(random, apis).metadata.name,
          ),
        ),
      ];
    }
    if (Array.isArray(base.spec?.dependsOn)) {
      spec.dependsOn = (base.spec!.dependsOn as string[]).flatMap(ref => {
        if (ref.startsWith('resource:')) {
          return resourceNames.has(shortName(ref)) ? [ref] : [];
        }
        return libraries.length > 0
          ? [`component:default/${pick(random, libraries)}`]
          : [];
      });
    }
    if (spec.type === 'library') libraries.push(name);

    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        ...renameDeep(clone(base.metadata), renames),
        name,
        title: name,
        annotations,
      },
      spec,
    };
    components.push(component);
    const ref = lowerRef(component);
    services.push({
      index: i,
      name,
      ref,
      archetype: archetype.name,
      ...(archetype.level !== undefined
        ? { designedLevel: archetype.level }
        : {}),
      ...(spec.owner ? { owner: String(spec.owner) } : {}),
      system: system.metadata.name,
      ...(broken ? { broken } : {}),
      ...(repository ? { repository } : {}),
    });
    if (!broken) {
      for (const fact of archetype.facts) {
        facts.push({
          entityRef: ref,
          source: fact.source,
          values: Object.fromEntries(
            Object.entries(fact.values).map(([k, v]) => [
              k,
              typeof v === 'number'
                ? Math.round(v * (0.8 + 0.4 * random()) * 100) / 100
                : v,
            ]),
          ),
        });
      }
    }
  }

  // Not push(...list): at 100,000 services the arguments overflow the stack.
  for (const list of [
    [department],
    groups,
    users,
    domains,
    systems,
    resources,
    components,
    apis,
  ]) {
    for (const entity of list) entities.push(entity);
  }
  const brokenCounts = Object.fromEntries(
    BROKEN_KINDS.map(k => [k, 0]),
  ) as Record<BrokenKind, number>;
  for (const kind of brokenAt.values()) brokenCounts[kind]++;
  return {
    options: { seed, entities: n, broken: options.broken },
    entities,
    services,
    repositories,
    facts,
    counts: {
      components: components.length,
      apis: apis.length,
      groups: groups.length + 1,
      users: users.length,
      systems: systems.length,
      domains: domains.length,
      resources: resources.length,
      componentsInCatalog: components.length - brokenCounts['missing-owner'],
      withoutRepository: services.filter(s => !s.repository).length,
      broken: brokenCounts,
    },
  };
}

const CODE_LINES = [
  (a: string, b: string) =>
    `export function ${a}To${b}(input: string): string {\n  return input.replace(/${a}/g, '${b}');\n}\n`,
  (a: string, b: string) =>
    `const ${a}Limit = ${
      a.length * 17
    };\nexport const ${b}Enabled = ${a}Limit > 40;\n`,
  (a: string, b: string) =>
    `// ${a}: keep in sync with the ${b} contract.\nexport interface ${a}Options { ${b}: number; retries?: number }\n`,
  (a: string, b: string) =>
    `it('${a} handles ${b}', () => {\n  expect(${a}To${b}('x')).toBe('x');\n});\n`,
];

/** Source files the checks never read: they make the trees realistic. */
function noiseFiles(random: Random, name: string): RepoFile[] {
  const count = int(random, 4, 24);
  const files: RepoFile[] = [
    { path: '.gitignore', content: 'node_modules/\ndist/\ncoverage/\n.env\n' },
  ];
  for (let k = 0; k < count; k++) {
    const a = pick(random, WORDS);
    const b = pick(random, NOUNS);
    const kind = pick(random, ['src', 'src', 'test', 'scripts'] as const);
    const path = {
      src: `src/${b}/${a}-${k}.ts`,
      test: `test/${a}-${k}.test.ts`,
      scripts: `scripts/${a}-${k}.sh`,
    }[kind];
    const lines = int(random, 5, 60);
    let content = kind === 'scripts' ? '#!/bin/sh\nset -eu\n' : `// ${name}\n`;
    for (let l = 0; l < lines; l++) {
      content += pick(random, CODE_LINES)(a, b);
    }
    files.push({ path, content });
  }
  return files;
}

const YAML_FILE = /\.ya?ml$/;
const MALFORMED = [
  'on:\n  push:\n    branches: [main\njobs:\n  build:\n    runs-on: ubuntu-latest\n\tsteps: - run: make\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "unterminated\nspec: {replicas: 2\n',
  'key: value\n  - nested: [1, 2\n: orphan\n',
];

/**
 * The files of one repository: the archetype's, renamed, maybe with one or
 * two dropped, a malformed YAML file when the plan says so, and noise.
 * Deterministic from the seed and the repository's name.
 */
export function repositoryFiles(
  seed: number,
  plan: RepositoryPlan,
  templates: Templates,
): RepoFile[] {
  const archetype =
    plan.archetype === README_ONLY
      ? readmeOnlyArchetype()
      : templates.archetypes.find(a => a.name === plan.archetype);
  if (!archetype?.files) {
    throw new Error(`Archetype ${plan.archetype} has no repository`);
  }
  const random = randomFor(seed, `repo:${plan.org}/${plan.repo}`);
  let files = archetype.files.map(f => ({
    path: f.path,
    content: replaceAll(f.content, plan.renames),
  }));
  // One in three loses one or two files, so the levels spread.
  if (random() < 0.35) {
    const drops = int(random, 1, 2);
    for (let d = 0; d < drops; d++) {
      const candidates = files.filter(f => !/^README/i.test(f.path));
      if (candidates.length === 0) break;
      const victim = pick(random, candidates).path;
      files = files.filter(f => f.path !== victim);
    }
  }
  if (plan.malformed) {
    const yamlFiles = files.filter(f => YAML_FILE.test(f.path));
    const bad = pick(random, MALFORMED);
    if (yamlFiles.length > 0) {
      const victim = pick(random, yamlFiles);
      victim.content = `${victim.content}\n${bad}`;
    } else {
      files.push({ path: '.github/workflows/ci.yml', content: bad });
    }
  }
  // Code-point order, as `git ls-tree` lists them.
  const byPath = (x: RepoFile, y: RepoFile) => {
    if (x.path === y.path) return 0;
    return x.path < y.path ? -1 : 1;
  };
  return [...files, ...noiseFiles(random, plan.repo)].sort(byPath);
}
