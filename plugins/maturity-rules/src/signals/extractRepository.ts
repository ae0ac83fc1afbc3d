import { posix } from 'path';
import { FileLocation, RepoExtraction } from '../model';
import {
  extractCi,
  findRepositorySharedReferences,
  isCiFile,
} from './ci/extractCi';
import {
  noSharedCi,
  SharedCiContext,
  SharedReference,
} from './ci/sharedReferences';
import { parseDockerfile } from './dockerfile';
import { isStrayDockerfile } from './strayDockerfiles';
import { defaultChartValues } from './kubernetes/chartValues';
import { extractKubernetes, mergeFacts } from './kubernetes/extractKubernetes';
import { extractEnvironmentRenders } from './kubernetes/helmEnvironments';
import { sanitizeHelmTemplate } from './kubernetes/helmTemplate';
import {
  buildLayout,
  helmCharts,
  isKustomization,
  isTestFixture,
  kustomizeResources,
  layoutEnvironments,
} from './kubernetes/layout';
import { DEFAULT_MAX_FILE_BYTES, normalisePath, readText } from './readText';
import { parseCodeowners, pickCodeowners } from './repoFiles/codeowners';
import {
  isDependabotConfig,
  isRenovateConfig,
  readDependabot,
  readRenovate,
} from './repoFiles/dependencyUpdates';
import {
  DEPENDENCY_MANIFEST,
  openTelemetryDependency,
} from './repoFiles/dependencies';
import { readDocs } from './repoFiles/docs';
import {
  classifyConfigDoc,
  classifyTextFile,
  emptyPlatformFacts,
} from './repoFiles/platform';
import { mergeToolPatterns, ToolPatterns } from './tools';
import { parseYamlFast, YamlDoc } from './yaml';

/** Bump when the shape or meaning of the extraction changes, so caches recompute. */
export const EXTRACTION_VERSION = 3;

/** @public */
export interface ExtractOptions {
  /** Larger files are skipped with a note. Default 1 MiB. */
  maxFileBytes?: number;
  /** Extra patterns, added to the defaults. */
  tools?: Partial<ToolPatterns>;
  /** Shared CI files the repository calls, read beforehand; without it they are not followed. */
  sharedCi?: SharedCiContext;
}

/** @public */
export interface RepoFile {
  /** Relative to the repository root, `/` separated. */
  path: string;
  content: Buffer | string;
}

const DOCKERFILE =
  /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.(?:Dockerfile|Containerfile)$/i;
const YAML_FILE = /\.ya?ml$/i;
// Files that name what gets built, besides CI: compose, skaffold, Makefiles.
const BUILD_CONFIG =
  /(?:^|\/)(?:(?:[\w.-]*compose[\w.-]*|skaffold[\w.-]*)\.ya?ml|GNUmakefile|[Mm]akefile|[\w-]+\.mk)$/;

const dirOf = (p: string) => (posix.dirname(p) === '.' ? '' : posix.dirname(p));

function isHelmTemplatePath(path: string, chartDirs: string[]): boolean {
  return chartDirs.some(d =>
    path.startsWith(d ? `${d}/templates/` : 'templates/'),
  );
}

/** Files that were skipped or did not parse: their values are unknown, not empty. */
const unreadableIn = (notes: RepoExtraction['notes']) => {
  const files = new Set(notes.map(n => n.file));
  return (file: string) => files.has(file);
};

const byLocation = (a: FileLocation, b: FileLocation) =>
  a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0);

/** Sorted by file and line, then by the JSON text, without exact duplicates. */
function tidy<T extends FileLocation>(items: T[]): T[] {
  const seen = new Set<string>();
  return items
    .map(i => ({ i, key: JSON.stringify(i) }))
    .sort((a, b) => byLocation(a.i, b.i) || a.key.localeCompare(b.key))
    .filter(({ key }) => !seen.has(key) && !!seen.add(key))
    .map(({ i }) => i);
}

/** A repository's files as text, with every YAML file parsed once. */
export interface PreparedRepository {
  texts: Map<string, string>;
  paths: string[];
  /** Directories holding a Chart.yaml ('' for the root). */
  chartDirs: string[];
  yaml: Map<string, YamlDoc[]>;
  notes: RepoExtraction['notes'];
}

/**
 * Decodes and parses the files; never throws on content. `skipped` are the
 * files not read (over the size limit), noted with the rest.
 */
export function prepareRepository(
  files: ReadonlyArray<RepoFile>,
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
  skipped: Readonly<RepoExtraction['notes']> = [],
): PreparedRepository {
  const notes: RepoExtraction['notes'] = [...skipped];
  const texts = new Map<string, string>();
  for (const f of files) {
    const path = normalisePath(f.path);
    const read = readText(f.content, maxFileBytes);
    if ('skipped' in read) {
      notes.push({ file: path, message: read.skipped });
    } else {
      texts.set(path, read.text);
    }
  }
  const paths = [...texts.keys()].sort();

  // Parse every YAML file once; Helm templates are made parseable first.
  const chartDirs = paths
    .filter(p => posix.basename(p) === 'Chart.yaml')
    .map(dirOf);
  // Templates come last: their chart's values switch parts of them off.
  const yamlPaths = paths.filter(p => YAML_FILE.test(p));
  const parsed = new Map<string, YamlDoc[]>();
  const parse = (path: string, text: string) => {
    const result = parseYamlFast(text);
    result.errors.forEach(message => notes.push({ file: path, message }));
    parsed.set(path, result.docs);
  };
  const templates = yamlPaths.filter(p => isHelmTemplatePath(p, chartDirs));
  const isTemplate = new Set(templates);
  yamlPaths
    .filter(p => !isTemplate.has(p))
    .forEach(p => parse(p, texts.get(p)!));
  const unreadable = unreadableIn(notes);
  for (const path of templates) {
    const dir = chartDirs.find(d => isHelmTemplatePath(path, [d]))!;
    const values = defaultChartValues(dir, parsed, unreadable)?.value;
    parse(path, sanitizeHelmTemplate(texts.get(path)!, values));
  }
  const yaml = new Map(yamlPaths.map(p => [p, parsed.get(p)!]));
  return { texts, paths, chartDirs, yaml, notes };
}

/** The shared CI files (other repositories' workflows, templates) the repository calls. */
export function sharedCiReferences(
  prepared: PreparedRepository,
  organizations: ReadonlySet<string>,
): SharedReference[] {
  return findRepositorySharedReferences(
    prepared.paths,
    prepared.yaml,
    organizations,
  );
}

/**
 * Reads what the maturity checks need from a repository's files (already
 * filtered with `isRelevantRepoFile`). Pure: no I/O, never throws on file
 * content; anything skipped or unreadable becomes a note. Shared CI files
 * are followed only as far as `options.sharedCi` holds them.
 * @public
 */
export function extractRepository(
  files: ReadonlyArray<RepoFile>,
  options: ExtractOptions = {},
): RepoExtraction {
  return extractPrepared(
    prepareRepository(files, options.maxFileBytes),
    options,
  );
}

/** `extractRepository` over files already prepared. */
export function extractPrepared(
  prepared: PreparedRepository,
  options: ExtractOptions = {},
): RepoExtraction {
  const patterns = mergeToolPatterns(options.tools);
  const { texts, paths, chartDirs, yaml } = prepared;
  const notes = [...prepared.notes];
  const firstDoc = (path: string) => yaml.get(path)?.[0]?.value;

  const kustomize = paths
    .filter(isKustomization)
    .map(file => ({ file, resources: kustomizeResources(firstDoc(file)) }));
  const layout = buildLayout(paths, kustomize);
  const unreadable = unreadableIn(prepared.notes);
  const chartValues = new Map(
    chartDirs.map(d => [d, defaultChartValues(d, yaml, unreadable)]),
  );

  const {
    ci,
    environments: ciEnvironments,
    notes: ciNotes,
  } = extractCi(paths, texts, yaml, patterns, options.sharedCi ?? noSharedCi);
  notes.push(...ciNotes);

  const emptyFacts = () => ({
    ...emptyPlatformFacts(),
    kubernetesObjects: [] as RepoExtraction['kubernetesObjects'],
    workloads: [] as RepoExtraction['workloads'],
  });
  const facts = emptyFacts();
  // Manifests of tests and e2e runs, kept apart until we know whether the
  // repository has manifests of its own.
  const testFacts = emptyFacts();
  const dependencyUpdates: RepoExtraction['dependencyUpdates'] = [];
  const dockerfiles: RepoExtraction['dockerfiles'] = [];
  const builders = new Map(
    paths
      .filter(p => isCiFile(p) || BUILD_CONFIG.test(p))
      .map(p => [p, texts.get(p)!]),
  );
  for (const path of paths) {
    const text = texts.get(path)!;
    if (isCiFile(path)) {
      continue;
    } else if (DOCKERFILE.test(path)) {
      const dockerfile = parseDockerfile(path, text);
      dockerfiles.push(
        isStrayDockerfile(path, text, builders)
          ? { ...dockerfile, stray: true }
          : dockerfile,
      );
    } else if (isRenovateConfig(path)) {
      dependencyUpdates.push(readRenovate(path, text));
    } else if (isDependabotConfig(path)) {
      dependencyUpdates.push(readDependabot(path, firstDoc(path)));
    } else if (DEPENDENCY_MANIFEST.test(path)) {
      const otel = openTelemetryDependency(path, text);
      if (otel) facts.observability.openTelemetry.push(otel);
    } else if (YAML_FILE.test(path)) {
      const docs = yaml.get(path) ?? [];
      const chartDir = layout.chartDirOf(path);
      extractKubernetes(
        path,
        docs,
        {
          source: layout.sourceOf(path),
          values:
            chartDir !== undefined ? chartValues.get(chartDir) : undefined,
        },
        isTestFixture(path) ? testFacts : facts,
      );
      docs.forEach(d => classifyConfigDoc(path, d.line, d.value, facts));
    } else {
      classifyTextFile(path, text, facts);
    }
  }

  extractEnvironmentRenders(prepared, chartValues, facts);
  if (facts.kubernetesObjects.length === 0) {
    mergeFacts(facts, testFacts);
  }

  const codeownersFile = pickCodeowners(paths);
  const o = facts.observability;
  return {
    version: EXTRACTION_VERSION,
    files: paths,
    ci,
    dockerfiles,
    workloads: tidy(facts.workloads),
    kubernetesObjects: tidy(facts.kubernetesObjects),
    kustomize,
    helmCharts: helmCharts(
      paths,
      new Map(
        chartDirs.map(d => [
          d ? `${d}/Chart.yaml` : 'Chart.yaml',
          firstDoc(d ? `${d}/Chart.yaml` : 'Chart.yaml'),
        ]),
      ),
    ),
    environments: tidy([...layoutEnvironments(paths), ...ciEnvironments]),
    policies: [
      ...new Map(
        facts.policies.map(p => [`${p.file} ${p.engine}`, p]),
      ).values(),
    ].sort(
      (a, b) =>
        a.file.localeCompare(b.file) || a.engine.localeCompare(b.engine),
    ),
    observability: {
      openTelemetry: tidy(o.openTelemetry),
      slos: tidy(o.slos),
      logPipelines: tidy(o.logPipelines),
      alertRules: tidy(o.alertRules),
      dashboards: tidy(o.dashboards),
    },
    ...(codeownersFile
      ? {
          codeowners: parseCodeowners(
            codeownersFile,
            texts.get(codeownersFile)!,
          ),
        }
      : {}),
    dependencyUpdates: tidy(dependencyUpdates),
    docs: readDocs(paths),
    infrastructureAsCode: tidy(facts.infrastructureAsCode),
    gitops: tidy(facts.gitops),
    progressiveDelivery: tidy(facts.progressiveDelivery),
    serviceMesh: tidy(facts.serviceMesh),
    notes: notes.sort(
      (a, b) =>
        a.file.localeCompare(b.file) || a.message.localeCompare(b.message),
    ),
  };
}
