import { evaluateResourceMetrics } from '../../checks/policy';
import { evaluateAutoscaling } from '../../checks/process';
import {
  evaluateHealthProbes,
  evaluateMonitoring,
  evaluateRequestsLimits,
  evaluateServiceMesh,
} from '../../checks/technology';
import { MaturityCheckOutcome, MaturitySignals } from '../../model';
import { component, signalsFor } from '../../testUtils';
import { extractRepository } from '../extractRepository';

/** The verdict of one check on a repository of a few inline files. */
function verdict(
  evaluate: (s: MaturitySignals) => MaturityCheckOutcome,
  files: Record<string, string>,
): MaturityCheckOutcome {
  const extraction = extractRepository(
    Object.entries(files).map(([path, content]) => ({ path, content })),
  );
  return evaluate(signalsFor(component('svc'), { extraction }));
}

const evidenceFiles = (o: MaturityCheckOutcome) =>
  (o.evidence ?? []).map(e => (e.line ? `${e.label}:${e.line}` : e.label));

const CHART = { 'chart/Chart.yaml': 'apiVersion: v2\nname: svc\n' };

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "svc.fullname" . }}
spec:
  template:
    metadata:
      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      containers:
        - name: svc
          image: "ghcr.io/acme/svc:1.0.0"
          readinessProbe: { httpGet: { path: /ready, port: 8080 } }
          livenessProbe: { httpGet: { path: /live, port: 8080 } }
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
`;

const RESOURCES = `resources:
  requests: { cpu: 10m, memory: 32Mi }
  limits: { memory: 64Mi }
`;

describe('Helm hooks and test pods', () => {
  it('are not workloads of the service', () => {
    const outcome = verdict(evaluateRequestsLimits, {
      ...CHART,
      'chart/values.yaml': RESOURCES,
      'chart/templates/deployment.yaml': DEPLOYMENT,
      'chart/templates/tests/test-connection.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: test-connection
spec:
  containers:
    - name: wget
      image: busybox:1.36
`,
      'chart/templates/migrate.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    "helm.sh/hook": pre-upgrade
spec:
  template:
    spec:
      containers:
        - name: migrate
          image: ghcr.io/acme/svc:1.0.0
`,
    });
    expect(outcome.status).toBe('pass');
    expect(evidenceFiles(outcome)).toEqual([
      'chart/templates/deployment.yaml:1',
    ]);
  });
});

describe('resources, probes and securityContext from the chart values', () => {
  it('fails on `resources: {}` in values.yaml, citing the values file and line', () => {
    const outcome = verdict(evaluateRequestsLimits, {
      ...CHART,
      'chart/values.yaml': 'replicaCount: 1\nresources: {}\n',
      'chart/templates/deployment.yaml': DEPLOYMENT,
    });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe(
      'Container svc in Deployment (chart/templates/deployment.yaml:1) does not set requests.cpu, requests.memory, limits.memory (resources from chart/values.yaml:2).',
    );
    expect(evidenceFiles(outcome)).toEqual([
      'chart/templates/deployment.yaml:1',
      'chart/values.yaml:2',
    ]);
  });

  it('passes on resources set in values.yaml, inline or in a `with` block', () => {
    const inline = DEPLOYMENT.replace(
      /resources:\n.*\n/,
      'resources: {{ toYaml .Values.resources | nindent 12 }}\n',
    );
    const withBlock = DEPLOYMENT.replace(
      / {10}resources:\n.*\n/,
      `          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
`,
    );
    for (const template of [DEPLOYMENT, inline, withBlock]) {
      const outcome = verdict(evaluateRequestsLimits, {
        ...CHART,
        'chart/values.yaml': RESOURCES,
        'chart/templates/deployment.yaml': template,
      });
      expect(outcome.status).toBe('pass');
    }
  });

  it('judges the render with an environment values file too, naming that file', () => {
    const outcome = verdict(evaluateRequestsLimits, {
      ...CHART,
      'chart/values.yaml': RESOURCES,
      'chart/values-production.yaml':
        'resources:\n  limits:\n    memory: null\n',
      'chart/templates/deployment.yaml': DEPLOYMENT,
    });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe(
      'Container svc in Deployment (chart/templates/deployment.yaml:1 with chart/values-production.yaml) does not set limits.memory (resources from chart/values-production.yaml:2).',
    );
  });
});

const SERVICE_MONITOR = `{{- if .Values.serviceMonitor.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: svc
spec:
  endpoints: [{ port: http }]
{{- end }}
`;

describe('objects behind a values flag', () => {
  const chart = {
    ...CHART,
    'chart/values.yaml': `${RESOURCES}serviceMonitor:\n  enabled: false\nautoscaling:\n  enabled: false\n`,
    'chart/templates/deployment.yaml': DEPLOYMENT,
    'chart/templates/servicemonitor.yaml': SERVICE_MONITOR,
    'chart/templates/hpa.yaml': `{{- if .Values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: svc
{{- end }}
`,
  };

  it('do not exist when values.yaml leaves the flag off', () => {
    const monitoring = verdict(evaluateMonitoring, chart);
    expect(monitoring.status).toBe('fail');
    expect(verdict(evaluateAutoscaling, chart).status).toBe('fail');
    expect(verdict(evaluateResourceMetrics, chart).message).toContain(
      'Metrics are not scraped',
    );
  });

  it('count when an environment values file turns them on, citing that file', () => {
    const outcome = verdict(evaluateMonitoring, {
      ...chart,
      'chart/values/prod.yaml': 'serviceMonitor:\n  enabled: true\n',
    });
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toBe(
      'Monitored: ServiceMonitor svc (chart/templates/servicemonitor.yaml:2 with chart/values/prod.yaml).',
    );
    expect(evidenceFiles(outcome)).toEqual([
      'chart/templates/servicemonitor.yaml:2',
      'chart/values/prod.yaml',
    ]);
  });
});

describe('look-alike and opt-out keys', () => {
  const files = {
    'README.md': 'Runs with Istio and Linkerd; Prometheus scrapes it.\n',
    'k8s/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc
spec:
  template:
    metadata:
      labels:
        sidecar.istio.io/inject: "false"
      annotations:
        linkerd.io/inject: disabled
        prometheus.io/scrapes: "true"
        prometheus.io/scrape: "false"
    spec:
      containers:
        - name: svc
          image: ghcr.io/acme/svc:1.0.0
          resources: { requests: { cpu: 10m, memory: 32Mi } }
`,
    'k8s/gateway.yaml': `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: ingress
spec:
  servers: [{ port: { number: 80, protocol: HTTP }, hosts: ["*"] }]
`,
  };

  it('are no evidence of a mesh or of scraping', () => {
    expect(verdict(evaluateServiceMesh, files)).toMatchObject({
      status: 'fail',
      message:
        'No service mesh (Istio, Linkerd, Cilium, Consul) configuration found in the repository.',
    });
    expect(verdict(evaluateResourceMetrics, files).message).toBe(
      'Metrics are not scraped: Deployment svc in k8s/deployment.yaml has no prometheus.io/scrape: "true" pod annotation, nor has any other workload, and there is no ServiceMonitor or PodMonitor in the repository nor a prometheus.io/rule or grafana/* annotation.',
    );
  });

  it('leave the opt-in keys as evidence', () => {
    const outcome = verdict(evaluateServiceMesh, {
      ...files,
      'k8s/namespace.yaml':
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled\n',
    });
    expect(outcome.status).toBe('pass');
    expect(evidenceFiles(outcome)).toEqual(['k8s/namespace.yaml:1']);
  });
});

describe('test and e2e manifests', () => {
  const fixture = {
    'tests/manifests/hpa.yaml':
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: fixture\n',
    'e2e/cronjob.yaml': `apiVersion: batch/v1
kind: Deployment
metadata:
  name: fixture
spec:
  template:
    spec:
      containers: [{ name: fixture, image: "busybox:1.36" }]
`,
  };
  const own = {
    'deploy/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc
spec:
  template:
    spec:
      containers:
        - name: svc
          image: ghcr.io/acme/svc:1.0.0
          readinessProbe: { tcpSocket: { port: 8080 } }
          livenessProbe: { tcpSocket: { port: 8080 } }
`,
  };

  it('are not the service workloads when the repository has its own', () => {
    expect(verdict(evaluateAutoscaling, { ...fixture, ...own }).status).toBe(
      'fail',
    );
    expect(verdict(evaluateHealthProbes, { ...fixture, ...own }).status).toBe(
      'pass',
    );
  });

  it('are read when they are the only manifests', () => {
    expect(verdict(evaluateAutoscaling, fixture).message).toBe(
      'Scales automatically: HorizontalPodAutoscaler fixture in tests/manifests/hpa.yaml.',
    );
  });
});

describe('pod annotations from a named template', () => {
  const withInclude = DEPLOYMENT.replace(
    `      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}`,
    `      annotations:
        {{- include "svc.podAnnotations" . | nindent 8 }}
        {{- include "svc.extraAnnotations" . | nindent 8 }}`,
  );

  it('leave scraping unknown, naming the template, rather than failing it', () => {
    const outcome = verdict(evaluateResourceMetrics, {
      ...CHART,
      'chart/values.yaml': RESOURCES,
      'chart/templates/deployment.yaml': withInclude,
    });
    expect(outcome.status).toBe('unknown');
    expect(outcome.message).toContain(
      'the pod annotations of Deployment in chart/templates/deployment.yaml come from the named template svc.podAnnotations, which is not evaluated',
    );
  });

  it('do not hide a scrape annotation written beside them', () => {
    const outcome = verdict(evaluateResourceMetrics, {
      ...CHART,
      'chart/values.yaml': RESOURCES,
      'chart/templates/deployment.yaml': withInclude.replace(
        '        {{- include "svc.extraAnnotations" . | nindent 8 }}',
        '        prometheus.io/scrape: "true"',
      ),
    });
    expect(outcome.status).toBe('pass');
  });
});
