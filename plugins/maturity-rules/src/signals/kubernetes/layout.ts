import { posix } from 'path';
import { RepoExtraction } from '../../model';
import { asString, asStringList, isRecord } from '../yaml';

const KUSTOMIZATION = /(?:^|\/)kustomization\.ya?ml$/i;
const VALUES_FILE = /^values(?:[-.][\w.-]+)?\.ya?ml$/i;
const VALUES_ENV = /^values[-.]([\w-]+)\.ya?ml$/i;
// Values files named for an environment: `values-prod.yaml`, `values/staging.yaml`.
const ENVIRONMENT =
  /^(?:dev|development|test|testing|qa|staging|stage|stg|uat|pre-?prod|prod|production|live)(?:[-_.][\w-]+)?$/i;
const VALUES_DIR_ENV = /^values\/([\w.-]+)\.ya?ml$/i;
const OVERLAY_ENV = /(?:^|\/)overlays\/([^/]+)\/kustomization\.ya?ml$/i;
// A kustomization directly in a directory named like an environment.
const ENV_DIR =
  /(?:^|\/)(dev|development|test|qa|staging|stage|uat|preprod|prod|production)\/kustomization\.ya?ml$/i;

// Manifests of tests and e2e runs; an environment named test
// (`overlays/test/`) is not one.
const TEST_DIR =
  /(?:^|\/)(?:test|tests|e2e|e2e-tests?|testdata|fixtures|__tests__)\//;
const ENVIRONMENT_TEST_DIR = /(?:^|\/)(?:overlays|environments|envs)\/tests?\//;

/** A file of a test or e2e fixture, not of the service's own deployment. */
export function isTestFixture(path: string): boolean {
  return TEST_DIR.test(path) && !ENVIRONMENT_TEST_DIR.test(path);
}

export function isKustomization(path: string): boolean {
  return KUSTOMIZATION.test(path);
}

/** `resources`, `bases` and `components` of a kustomization. */
export function kustomizeResources(value: unknown): string[] {
  if (!isRecord(value)) {
    return [];
  }
  return ['resources', 'bases', 'components'].flatMap(
    k => asStringList(value[k]) ?? [],
  );
}

export interface Layout {
  /** How a manifest is deployed: from a Helm chart, through kustomize, or as is. */
  sourceOf(path: string): 'manifest' | 'kustomize' | 'helm';
  /** The chart directory when `path` is one of its templates. */
  chartDirOf(path: string): string | undefined;
}

const dirOf = (path: string) => {
  const d = posix.dirname(path);
  return d === '.' ? '' : d;
};

/** Works out which files belong to Helm charts and kustomizations. */
export function buildLayout(
  paths: ReadonlyArray<string>,
  kustomizations: ReadonlyArray<{ file: string; resources: string[] }>,
): Layout {
  const chartDirs = paths
    .filter(p => posix.basename(p) === 'Chart.yaml')
    .map(dirOf);
  const kustomizeDirs = new Set(kustomizations.map(k => dirOf(k.file)));
  const referenced = new Set<string>();
  for (const k of kustomizations) {
    for (const r of k.resources) {
      if (!/^[a-z]+:\/\//i.test(r)) {
        referenced.add(posix.normalize(posix.join(dirOf(k.file), r)));
      }
    }
  }
  const chartDirOf = (path: string) =>
    chartDirs.find(d => path.startsWith(d ? `${d}/templates/` : 'templates/'));
  return {
    chartDirOf,
    sourceOf(path) {
      if (chartDirOf(path) !== undefined) {
        return 'helm';
      }
      if (kustomizeDirs.has(dirOf(path)) || referenced.has(path)) {
        return 'kustomize';
      }
      return 'manifest';
    },
  };
}

/** Chart.yaml files with their name and the values files beside them. */
export function helmCharts(
  paths: ReadonlyArray<string>,
  chartNames: ReadonlyMap<string, unknown>,
): RepoExtraction['helmCharts'] {
  return paths
    .filter(p => posix.basename(p) === 'Chart.yaml')
    .map(file => {
      const dir = dirOf(file);
      const chart = chartNames.get(file);
      const name = isRecord(chart) ? asString(chart.name) : undefined;
      return {
        file,
        ...(name !== undefined ? { name } : {}),
        valuesFiles: paths
          .filter(p => dirOf(p) === dir && VALUES_FILE.test(posix.basename(p)))
          .sort(),
      };
    });
}

/**
 * The values files a chart is deployed with per environment: beside
 * Chart.yaml as `values-<env>.yaml`, or in its `values/` folder as
 * `<env>.yaml`. Variants that do not name an environment are left out.
 */
export function environmentValuesFiles(
  paths: ReadonlyArray<string>,
  chartDir: string,
): string[] {
  const prefix = chartDir ? `${chartDir}/` : '';
  return paths.filter(p => {
    if (!p.startsWith(prefix)) return false;
    const rest = p.slice(prefix.length);
    const env = VALUES_ENV.exec(rest)?.[1] ?? VALUES_DIR_ENV.exec(rest)?.[1];
    return env !== undefined && ENVIRONMENT.test(env);
  });
}

/** Environments visible as kustomize overlays and Helm values files. */
export function layoutEnvironments(
  paths: ReadonlyArray<string>,
): RepoExtraction['environments'] {
  const out: RepoExtraction['environments'] = [];
  for (const file of paths) {
    const overlay = OVERLAY_ENV.exec(file) ?? ENV_DIR.exec(file);
    if (overlay) {
      out.push({ name: overlay[1], via: 'kustomize-overlay', file });
    }
    const values = VALUES_ENV.exec(posix.basename(file));
    if (values && values[1].toLowerCase() !== 'schema') {
      out.push({ name: values[1], via: 'helm-values', file });
    }
  }
  return out;
}
