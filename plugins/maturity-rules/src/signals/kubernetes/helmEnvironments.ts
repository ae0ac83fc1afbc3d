import { RepoExtraction } from '../../model';
import { PlatformFacts } from '../repoFiles/platform';
import { parseYamlFast, YamlDoc } from '../yaml';
import { environmentChartValues } from './chartValues';
import { extractKubernetes, factKey } from './extractKubernetes';
import { ChartValues, sanitizeHelmTemplate } from './helmTemplate';
import { environmentValuesFiles } from './layout';

type Facts = Pick<RepoExtraction, 'kubernetesObjects' | 'workloads'> &
  PlatformFacts;

/**
 * Renders each chart again with each environment's values file
 * (`values-prod.yaml`, `values/staging.yaml`) and adds what differs from
 * the defaults, naming that file: a ServiceMonitor that only production
 * turns on, a container whose resources production sets (but no workload
 * that only production turns on: see `ManifestContext.defaults`). A template is
 * parsed again only when the environment switches a part of it on or off.
 */
export function extractEnvironmentRenders(
  repo: {
    paths: ReadonlyArray<string>;
    texts: ReadonlyMap<string, string>;
    yaml: ReadonlyMap<string, YamlDoc[]>;
  },
  chartValues: ReadonlyMap<string, ChartValues | undefined>,
  acc: Facts,
): void {
  const rendered = {
    facts: new Set([...acc.kubernetesObjects, ...acc.workloads].map(factKey)),
    workloads: new Set(acc.workloads.map(w => `${w.file}:${w.line}`)),
  };
  for (const [chartDir, defaults] of chartValues) {
    const envFiles = defaults
      ? environmentValuesFiles(repo.paths, chartDir)
      : [];
    if (!defaults || envFiles.length === 0) continue;
    const prefix = chartDir ? `${chartDir}/templates/` : 'templates/';
    const templates = repo.paths.filter(
      p => p.startsWith(prefix) && /\.ya?ml$/i.test(p),
    );
    for (const valuesFile of envFiles) {
      const values = environmentChartValues(
        defaults,
        valuesFile,
        repo.yaml.get(valuesFile)?.[0],
      );
      for (const file of templates) {
        const raw = repo.texts.get(file)!;
        const text = sanitizeHelmTemplate(raw, values.value);
        const docs =
          text === sanitizeHelmTemplate(raw, defaults.value)
            ? repo.yaml.get(file) ?? []
            : parseYamlFast(text).docs;
        extractKubernetes(
          file,
          docs,
          { source: 'helm', values, valuesFile, defaults: rendered },
          acc,
        );
      }
    }
  }
}
