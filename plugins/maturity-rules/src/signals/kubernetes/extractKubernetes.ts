import { RepoExtraction, WorkloadFacts } from '../../model';
import { classifyObject, PlatformFacts } from '../repoFiles/platform';
import { getPath, isRecord, YamlDoc } from '../yaml';
import { applyChartValues, ChartValues, ValueOrigins } from './helmTemplate';
import { readKubernetesDoc } from './objects';

// Build-tool configs that look like objects but are never applied to a cluster.
const NOT_CLUSTER_OBJECTS =
  /^(?:kustomize\.config\.k8s\.io|skaffold|config\.kubernetes\.io)\//;

// `helm test` pods: they check a release, they are not part of it.
const HELM_TESTS = /(?:^|\/)templates\/tests\//;

/** How a YAML file reaches the cluster. */
export interface ManifestContext {
  source: WorkloadFacts['source'];
  /** For a Helm template: the chart's values. */
  values?: ChartValues;
  /** For a render with an environment values file instead of the defaults: that file. */
  valuesFile?: string;
  /**
   * For an environment render, what the defaults render: facts as
   * {@link factKey}, and workloads as `file:line`. Only what differs is
   * added, and a workload only as a variant of a default one: a workload
   * the defaults leave off is not the service's as deployed by default.
   */
  defaults?: { facts: ReadonlySet<string>; workloads: ReadonlySet<string> };
}

/** A fact as a comparable string, whatever values file rendered it. */
export function factKey(fact: { valuesFile?: string }): string {
  const { valuesFile: _, ...rest } = fact;
  return JSON.stringify(rest);
}

/** Hooks (install jobs, migrations, tests) run around a release; they are not the service's workload. */
function isHelmHook(value: unknown): boolean {
  const annotations = getPath(value, ['metadata', 'annotations']);
  return isRecord(annotations) && 'helm.sh/hook' in annotations;
}

type Facts = Pick<RepoExtraction, 'kubernetesObjects' | 'workloads'> &
  PlatformFacts;

/** Adds every fact of `from` to `into`. */
export function mergeFacts(into: Facts, from: Facts): void {
  into.kubernetesObjects.push(...from.kubernetesObjects);
  into.workloads.push(...from.workloads);
  into.policies.push(...from.policies);
  into.infrastructureAsCode.push(...from.infrastructureAsCode);
  into.gitops.push(...from.gitops);
  into.progressiveDelivery.push(...from.progressiveDelivery);
  into.serviceMesh.push(...from.serviceMesh);
  for (const key of Object.keys(from.observability) as Array<
    keyof Facts['observability']
  >) {
    (into.observability[key] as unknown[]).push(...from.observability[key]);
  }
}

/** Kubernetes objects and workloads of one YAML file; Helm templates get the chart's values. */
export function extractKubernetes(
  file: string,
  docs: YamlDoc[],
  context: ManifestContext,
  acc: Facts,
): void {
  if (context.source === 'helm' && HELM_TESTS.test(file)) {
    return;
  }
  const { values, valuesFile, defaults } = context;
  for (const doc of docs) {
    const origins: ValueOrigins = new Map();
    const value = values
      ? applyChartValues(doc.value, values, origins)
      : doc.value;
    const read = readKubernetesDoc(value, { file, line: doc.line }, origins);
    if (
      !read ||
      NOT_CLUSTER_OBJECTS.test(read.object.apiVersion) ||
      isHelmHook(value)
    ) {
      continue;
    }
    const workload = read.workload && {
      ...read.workload,
      source: context.source,
    };
    if (
      defaults &&
      (workload
        ? !defaults.workloads.has(`${file}:${doc.line}`) ||
          defaults.facts.has(factKey(workload))
        : defaults.facts.has(factKey(read.object)))
    ) {
      continue;
    }
    const rendered = valuesFile ? { valuesFile } : {};
    acc.kubernetesObjects.push({ ...read.object, ...rendered });
    if (workload) {
      acc.workloads.push({ ...workload, ...rendered });
    }
    // What only an environment values file turns on is evidence from that file.
    const { line: _, ...at } = read.object;
    classifyObject(
      valuesFile ? { ...at, file: valuesFile } : read.object,
      value as Record<string, unknown>,
      acc,
    );
  }
}
