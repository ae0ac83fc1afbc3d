import { FileLocation, KubernetesObjectFacts } from '../../model';
import { getPath, isRecord } from '../yaml';

/**
 * Dashboards committed as code: Grafana dashboard JSON, grafana-operator
 * `GrafanaDashboard` objects, and ConfigMaps labelled `grafana_dashboard`
 * (the Grafana sidecar's convention). Jsonnet sources are not dashboards
 * until rendered, so they are not read.
 */
export type DashboardFacts = FileLocation & {
  format: 'grafana-json' | 'grafana-operator' | 'configmap';
};

// A dashboard has panels and a dashboard-level title or schemaVersion; a
// Grafana export may wrap it in `{"dashboard": ...}`. Plain substring tests:
// linear on files up to the size limit, with no JSON parse.
const PANELS = /"panels"\s*:\s*\[/;
const DASHBOARD_KEY = /"(?:schemaVersion|title)"\s*:/;

/** A Grafana dashboard JSON file (only files named like dashboards are read). */
export function grafanaDashboardJson(
  path: string,
  text: string,
): DashboardFacts | undefined {
  if (!/\.json$/i.test(path) || !PANELS.test(text)) return undefined;
  return DASHBOARD_KEY.test(text)
    ? { file: path, line: 1, format: 'grafana-json' }
    : undefined;
}

/** A `GrafanaDashboard` object or a ConfigMap labelled `grafana_dashboard`. */
export function dashboardObject(
  o: KubernetesObjectFacts,
  value: Record<string, unknown>,
): DashboardFacts | undefined {
  const at = {
    file: o.file,
    ...(o.line !== undefined ? { line: o.line } : {}),
  };
  if (
    o.kind === 'GrafanaDashboard' &&
    o.apiVersion.startsWith('grafana.integreatly.org/')
  ) {
    return { ...at, format: 'grafana-operator' };
  }
  const labels = getPath(value, ['metadata', 'labels']);
  if (
    o.kind === 'ConfigMap' &&
    isRecord(labels) &&
    labels.grafana_dashboard !== undefined
  ) {
    return { ...at, format: 'configmap' };
  }
  return undefined;
}
