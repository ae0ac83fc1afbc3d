import { evaluateDashboards } from '../../checks/technology';
import { component, signalsFor } from '../../testUtils';
import { extractRepository, RepoFile } from '../extractRepository';
import { isRelevantRepoFile } from '../fileFilter';

/** The dashboards verdict for a repository of these files, read as the collector would. */
function dashboards(files: RepoFile[], maxFileBytes?: number) {
  const extraction = extractRepository(
    files.filter(f => isRelevantRepoFile(f.path)),
    { maxFileBytes },
  );
  return evaluateDashboards(signalsFor(component('svc'), { extraction }));
}

const GRAFANA_JSON = `{
  "panels": [{ "type": "timeseries", "title": "Latency" }],
  "schemaVersion": 39,
  "title": "Checkout"
}
`;

describe('dashboards as code', () => {
  it('passes on provisioned Grafana dashboard JSON, naming the file', () => {
    const result = dashboards([
      { path: 'grafana/dashboards/checkout.json', content: GRAFANA_JSON },
    ]);
    expect(result).toMatchObject({
      status: 'pass',
      message:
        'Dashboards as code: Grafana dashboard JSON (grafana/dashboards/checkout.json:1).',
    });
  });

  it('passes on a GrafanaDashboard of the grafana-operator', () => {
    const result = dashboards([
      {
        path: 'deploy/checkout-dashboard.yaml',
        content: `apiVersion: grafana.integreatly.org/v1beta1
kind: GrafanaDashboard
metadata:
  name: checkout
spec:
  json: "{}"
`,
      },
    ]);
    expect(result.message).toBe(
      'Dashboards as code: GrafanaDashboard (deploy/checkout-dashboard.yaml:1).',
    );
  });

  it('passes on a ConfigMap labelled grafana_dashboard', () => {
    const result = dashboards([
      {
        path: 'k8s/monitoring.yaml',
        content: `apiVersion: v1
kind: ConfigMap
metadata:
  name: other
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: checkout-dashboard
  labels:
    grafana_dashboard: "1"
data:
  checkout.json: "{}"
`,
      },
    ]);
    expect(result.message).toBe(
      'Dashboards as code: ConfigMap labelled grafana_dashboard (k8s/monitoring.yaml:6).',
    );
  });

  it('fails on jsonnet sources, a Cloud Monitoring dashboard and Grafana datasources', () => {
    const result = dashboards([
      {
        path: 'mixin/dashboards/host.libsonnet',
        content: 'grafana.dashboard.new("Host")',
      },
      {
        path: 'extras/dashboard.json',
        content:
          '{ "displayName": "Latency", "gridLayout": { "widgets": [] } }',
      },
      {
        path: 'grafana/datasources.yaml',
        content: 'apiVersion: 1\ndatasources:\n  - name: Prometheus\n',
      },
    ]);
    expect(result.status).toBe('fail');
    expect(result.message).toContain('commit dashboards as code');
  });

  it('is unknown when a dashboard JSON was too large to read', () => {
    const result = dashboards(
      [{ path: 'dashboards/big.json', content: GRAFANA_JSON }],
      40,
    );
    expect(result.status).toBe('unknown');
    expect(result.message).toMatch(
      /^No dashboard linked or found as code, but dashboards\/big\.json was not read \(Skipped: /,
    );
  });
});
