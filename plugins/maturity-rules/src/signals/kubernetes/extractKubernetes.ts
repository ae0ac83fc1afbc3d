import { RepoExtraction } from '../../model';
import { classifyObject, PlatformFacts } from '../repoFiles/platform';
import { YamlDoc } from '../yaml';
import { applyChartValues } from './helmTemplate';
import { Layout } from './layout';
import { readKubernetesDoc } from './objects';

// Build-tool configs that look like objects but are never applied to a cluster.
const NOT_CLUSTER_OBJECTS =
  /^(?:kustomize\.config\.k8s\.io|skaffold|config\.kubernetes\.io)\//;

/** Kubernetes objects and workloads of one YAML file; Helm templates get the chart's default values. */
export function extractKubernetes(
  file: string,
  docs: YamlDoc[],
  layout: Layout,
  chartValues: ReadonlyMap<string, unknown>,
  acc: Pick<RepoExtraction, 'kubernetesObjects' | 'workloads'> & PlatformFacts,
): void {
  const chartDir = layout.chartDirOf(file);
  const values = chartDir !== undefined ? chartValues.get(chartDir) : undefined;
  const source = layout.sourceOf(file);
  for (const doc of docs) {
    const value =
      values !== undefined ? applyChartValues(doc.value, values) : doc.value;
    const read = readKubernetesDoc(value, { file, line: doc.line });
    if (!read || NOT_CLUSTER_OBJECTS.test(read.object.apiVersion)) {
      continue;
    }
    acc.kubernetesObjects.push(read.object);
    if (read.workload) {
      acc.workloads.push({ ...read.workload, source });
    }
    classifyObject(read.object, value as Record<string, unknown>, acc);
  }
}
