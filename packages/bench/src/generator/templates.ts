import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A file of a template repository; paths are relative, with `/`. */
export interface RepoFile {
  path: string;
  content: string;
}

export interface FactTemplate {
  source: string;
  values: Record<string, number | string | boolean>;
}

/**
 * One demo component, its repository and its APIs: the generator copies and
 * varies these. The demo catalog is designed to land on levels 0 to 5
 * (examples/README.md), so the copies spread over the levels too.
 */
export interface Archetype {
  name: string;
  /** The level the demo designed it for (its `# LEVEL n` comment). */
  level?: number;
  component: Entity;
  /** The APIs it provides, as the demo defines them. */
  apis: Entity[];
  /** Its repository; undefined when it has no source location. */
  files?: RepoFile[];
  /** Facts its CI would push (examples/facts.yaml). */
  facts: FactTemplate[];
}

/**
 * An example repository no component points at: the platform team's shared
 * CI (reusable workflows) that the archetypes' own workflows call. The
 * bench serves it once, unrenamed, as a real organisation has one copy.
 */
export interface SharedRepository {
  name: string;
  files: RepoFile[];
}

export interface Templates {
  archetypes: Archetype[];
  /** Resources the archetypes depend on (the shared cluster). */
  resources: Entity[];
  /** Repositories the archetypes' files refer to (platform-pipelines). */
  shared: SharedRepository[];
}

/** Where the demo catalog and its repositories live in this monorepo. */
export const DEFAULT_EXAMPLES_DIR = resolvePackagePath(
  '@cnmaturity/bench',
  '../../examples',
);

function walk(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap(d => {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) return walk(p, base);
      return d.isFile()
        ? [path.relative(base, p).split(path.sep).join('/')]
        : [];
    })
    .sort();
}

const readFiles = (dir: string): RepoFile[] =>
  walk(dir).map(p => ({
    path: p,
    content: fs.readFileSync(path.join(dir, p), 'utf8'),
  }));

/**
 * The example repositories named after no component: an archetype's
 * repository is the directory of its name, so any other one is shared.
 */
function loadSharedRepositories(
  reposDir: string,
  componentNames: readonly string[],
): SharedRepository[] {
  if (!fs.existsSync(reposDir)) return [];
  const taken = new Set(componentNames);
  return fs
    .readdirSync(reposDir, { withFileTypes: true })
    .filter(d => d.isDirectory() && !taken.has(d.name))
    .map(d => d.name)
    .sort()
    .map(name => ({ name, files: readFiles(path.join(reposDir, name)) }));
}

function readYamlDocuments(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJSON())
    .filter(Boolean);
}

/** Reads the demo catalog, its repositories and its facts once. */
export function loadTemplates(examplesDir = DEFAULT_EXAMPLES_DIR): Templates {
  const entitiesFile = path.join(examplesDir, 'entities.yaml');
  const raw = fs.readFileSync(entitiesFile, 'utf8');
  const entities = readYamlDocuments(entitiesFile) as Entity[];

  // `# LEVEL 2 (Operate). ...` comments precede each demo component.
  const levels = new Map<string, number>();
  for (const m of raw.matchAll(
    /#\s*LEVEL (\d)\b[^]*?^\s+name:\s*([\w.-]+)/gm,
  )) {
    levels.set(m[2], Number(m[1]));
  }

  const factsFile = path.join(examplesDir, 'facts.yaml');
  const facts = new Map<string, FactTemplate[]>();
  if (fs.existsSync(factsFile)) {
    const doc = readYamlDocuments(factsFile)[0] ?? {};
    for (const f of doc.facts ?? []) {
      const name = String(f.entityRef).split('/').pop()!;
      const list = facts.get(name) ?? [];
      list.push({ source: f.source, values: f.values ?? f.facts ?? {} });
      facts.set(name, list);
    }
  }

  const apis = new Map(
    entities
      .filter(e => e.kind === 'API')
      .map(e => [e.metadata.name, e] as const),
  );
  const reposDir = path.join(examplesDir, 'repos');
  const archetypes = entities
    .filter(e => e.kind === 'Component')
    .map(component => {
      const name = component.metadata.name;
      const repoDir = path.join(reposDir, name);
      const hasSource =
        !!component.metadata.annotations?.['backstage.io/source-location'];
      const provided = ((component.spec?.providesApis as string[]) ?? [])
        .map(ref => apis.get(ref.split('/').pop()!.replace(/^api:/, '')))
        .filter((e): e is Entity => !!e);
      return {
        name,
        level: levels.get(name),
        component,
        apis: provided,
        files:
          hasSource && fs.existsSync(repoDir) ? readFiles(repoDir) : undefined,
        facts: facts.get(name) ?? [],
      };
    });
  return {
    archetypes,
    resources: entities.filter(e => e.kind === 'Resource'),
    shared: loadSharedRepositories(
      reposDir,
      archetypes.map(a => a.name),
    ),
  };
}
