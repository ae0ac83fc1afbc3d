import {
  FileLocation,
  KubernetesObjectFacts,
  RepoExtraction,
} from '../../model';
import { getPath, isRecord } from '../yaml';
import { dashboardObject, grafanaDashboardJson } from './dashboards';

/** The parts of the extraction that platform files feed, every list present. */
export type PlatformFacts = Pick<
  RepoExtraction,
  | 'policies'
  | 'infrastructureAsCode'
  | 'gitops'
  | 'progressiveDelivery'
  | 'serviceMesh'
> & { observability: Required<RepoExtraction['observability']> };

export function emptyPlatformFacts(): PlatformFacts {
  return {
    policies: [],
    observability: {
      openTelemetry: [],
      slos: [],
      logPipelines: [],
      alertRules: [],
      dashboards: [],
    },
    infrastructureAsCode: [],
    gitops: [],
    progressiveDelivery: [],
    serviceMesh: [],
  };
}

function hasAlertRule(groups: unknown): boolean {
  return (
    Array.isArray(groups) &&
    groups.some(
      g =>
        isRecord(g) &&
        Array.isArray(g.rules) &&
        g.rules.some(r => isRecord(r) && 'alert' in r),
    )
  );
}

/** An OpenTelemetry Collector config (receivers, exporters, service pipelines). */
function isCollectorConfig(v: unknown): v is Record<string, unknown> {
  return (
    isRecord(v) &&
    isRecord(v.receivers) &&
    isRecord(v.exporters) &&
    isRecord(v.service)
  );
}

function collectorHasLogs(v: Record<string, unknown>): boolean {
  const pipelines = getPath(v, ['service', 'pipelines']);
  return (
    isRecord(pipelines) && Object.keys(pipelines).some(k => /^logs\b/.test(k))
  );
}

// What puts workloads into a mesh: an opt-in injection label or annotation
// (not an opt-out such as `sidecar.istio.io/inject: "false"`), or a mesh
// policy object. Istio Gateway, VirtualService and ServiceEntry route
// ingress traffic without any sidecar, so they are not evidence.
const MESH: Array<{
  tool: 'istio' | 'linkerd' | 'cilium' | 'consul';
  api: RegExp;
  kinds?: RegExp;
  meta?: RegExp;
}> = [
  {
    tool: 'istio',
    api: /(^|\.)istio\.io\//,
    kinds: /^(?:PeerAuthentication|AuthorizationPolicy|Sidecar)$/,
    meta: /"sidecar\.istio\.io\/inject":"?true\b|"istio-injection":"enabled"|"istio\.io\/rev":"[\w.-]+"|"istio\.io\/dataplane-mode":"ambient"/,
  },
  {
    tool: 'linkerd',
    api: /(^|\.)linkerd\.io\//,
    meta: /"linkerd\.io\/inject":"(?:enabled|ingress)"/,
  },
  {
    // Cilium's own service mesh is its Envoy config; its network policies are a CNI feature.
    tool: 'cilium',
    api: /(^|\.)cilium\.io\//,
    kinds: /EnvoyConfig$/,
  },
  {
    tool: 'consul',
    api: /consul\.hashicorp\.com\//,
    meta: /"consul\.hashicorp\.com\/connect-inject":"?true\b/,
  },
];

/**
 * Files the platform checks read, from a Kubernetes-style object:
 * policies, GitOps, progressive delivery, mesh, alerts, SLOs, telemetry.
 */
export function classifyObject(
  o: KubernetesObjectFacts,
  value: Record<string, unknown>,
  acc: PlatformFacts,
): void {
  const { apiVersion, kind } = o;
  const at: FileLocation = {
    file: o.file,
    ...(o.line !== undefined ? { line: o.line } : {}),
  };
  const group = apiVersion.split('/')[0];

  if (group.endsWith('kyverno.io') && /Policy$/.test(kind)) {
    acc.policies.push({ file: o.file, engine: 'kyverno' });
  } else if (
    group === 'templates.gatekeeper.sh' ||
    group === 'constraints.gatekeeper.sh'
  ) {
    acc.policies.push({ file: o.file, engine: 'gatekeeper' });
  }

  if (
    group === 'argoproj.io' &&
    (kind === 'Application' || kind === 'ApplicationSet')
  ) {
    acc.gitops.push({ tool: 'argocd', ...at });
  } else if (group.endsWith('toolkit.fluxcd.io')) {
    acc.gitops.push({ tool: 'flux', ...at });
  } else if (
    group === 'configsync.gke.io' &&
    (kind === 'RootSync' || kind === 'RepoSync')
  ) {
    acc.gitops.push({ tool: 'config-sync', ...at });
  }

  if (group === 'argoproj.io' && kind === 'Rollout') {
    acc.progressiveDelivery.push({ tool: 'argo-rollouts', ...at });
  } else if (group === 'flagger.app' && kind === 'Canary') {
    acc.progressiveDelivery.push({ tool: 'flagger', ...at });
  }

  if (group === 'apiextensions.crossplane.io') {
    acc.infrastructureAsCode.push({ tool: 'crossplane', ...at });
  }

  if (
    kind === 'PrometheusRule' &&
    hasAlertRule(getPath(value, ['spec', 'groups']))
  ) {
    acc.observability.alertRules.push(at);
  }

  if (apiVersion.startsWith('openslo/') && kind === 'SLO') {
    acc.observability.slos.push({ ...at, format: 'openslo' });
  } else if (group === 'sloth.slok.dev') {
    acc.observability.slos.push({ ...at, format: 'sloth' });
  } else if (/ServiceLevelObjective|^SLO$/.test(kind)) {
    acc.observability.slos.push({ ...at, format: 'other' });
  }

  if (group === 'opentelemetry.io') {
    acc.observability.openTelemetry.push(at);
    const config = getPath(value, ['spec', 'config']);
    if (
      kind === 'OpenTelemetryCollector' &&
      isCollectorConfig(config) &&
      collectorHasLogs(config)
    ) {
      acc.observability.logPipelines.push({
        tool: 'opentelemetry-collector',
        ...at,
      });
    }
  }
  const dashboard = dashboardObject(o, value);
  if (dashboard) acc.observability.dashboards.push(dashboard);
  if (group === 'fluentbit.fluent.io' || group === 'fluentd.fluent.io') {
    acc.observability.logPipelines.push({ tool: group.split('.')[0], ...at });
  } else if (group === 'logging.banzaicloud.io') {
    acc.observability.logPipelines.push({ tool: 'logging-operator', ...at });
  }

  // Metadata of the object and of its pod template, as compact JSON to search.
  const meta = JSON.stringify([
    getPath(value, ['metadata', 'labels']),
    getPath(value, ['metadata', 'annotations']),
    getPath(value, ['spec', 'template', 'metadata']),
    getPath(value, ['spec', 'jobTemplate', 'spec', 'template', 'metadata']),
  ]);
  for (const m of MESH) {
    const meshObject =
      m.api.test(apiVersion) && (!m.kinds || m.kinds.test(kind));
    if (meshObject || m.meta?.test(meta)) {
      acc.serviceMesh.push({ tool: m.tool, ...at });
    }
  }

  // A workload instrumented by the OTel operator or exporting OTLP itself.
  if (
    group !== 'opentelemetry.io' &&
    /instrumentation\.opentelemetry\.io\/inject|"OTEL_EXPORTER_OTLP_(?:TRACES_)?ENDPOINT"/.test(
      JSON.stringify(getPath(value, ['spec'])) + meta,
    )
  ) {
    acc.observability.openTelemetry.push(at);
  }
}

/** Plain YAML/TOML/conf documents: collector configs, SLO specs, rule files, CloudFormation. */
export function classifyConfigDoc(
  file: string,
  line: number,
  value: unknown,
  acc: PlatformFacts,
): void {
  if (!isRecord(value)) {
    return;
  }
  const at = { file, line };
  if (isCollectorConfig(value)) {
    acc.observability.openTelemetry.push(at);
    if (collectorHasLogs(value)) {
      acc.observability.logPipelines.push({
        tool: 'opentelemetry-collector',
        ...at,
      });
    }
  }
  if (value.version === 'prometheus/v1' && Array.isArray(value.slos)) {
    acc.observability.slos.push({ ...at, format: 'sloth' });
  } else if (
    /(?:^|\/)slos?\/|\.slo\.ya?ml$/i.test(file) &&
    (Array.isArray(value.slos) || 'objective' in value || 'objectives' in value)
  ) {
    acc.observability.slos.push({ ...at, format: 'other' });
  }
  if (typeof value.apiVersion !== 'string' && hasAlertRule(value.groups)) {
    acc.observability.alertRules.push(at);
  }
  if (
    isRecord(value.pipeline) &&
    ('inputs' in value.pipeline || 'outputs' in value.pipeline)
  ) {
    acc.observability.logPipelines.push({ tool: 'fluent-bit', ...at });
  }
  if (isRecord(value.sources) && isRecord(value.sinks)) {
    acc.observability.logPipelines.push({ tool: 'vector', ...at });
  }
  if (
    'AWSTemplateFormatVersion' in value ||
    (isRecord(value.Resources) &&
      Object.values(value.Resources).some(
        r => isRecord(r) && /^AWS::/.test(String(r.Type)),
      ))
  ) {
    acc.infrastructureAsCode.push({ tool: 'cloudformation', ...at });
  }
}

/** Non-YAML config files recognised by name and a cheap look at the text. */
// ECS task definitions send container logs to a log service through a log
// driver: CloudWatch Logs (awslogs), FireLens, Splunk.
const LOG_DRIVER =
  /\blogDriver["']?\s*[=:]\s*["'](awslogs|awsfirelens|splunk)["']/;

// Config Sync (GKE's GitOps controller) set up in Terraform: the ACM module
// with a repository to sync, or a fleet feature's `config_sync` block.
const CONFIG_SYNC_TF =
  /modules\/acm["'][\s\S]{0,600}?\bsync_repo\s*=|\bconfig_sync\s*\{[\s\S]{0,400}?\b(?:git|oci)\s*\{/;

/** The 1-based line where `re` first matches, or undefined. */
function lineOf(text: string, re: RegExp): number | undefined {
  const m = re.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

/** A log driver that ships the containers' logs, with its line. */
function shippedContainerLogs(
  text: string,
): { tool: string; line: number } | undefined {
  const m = LOG_DRIVER.exec(text);
  return m ? { tool: m[1], line: lineOf(text, LOG_DRIVER)! } : undefined;
}

export function classifyTextFile(
  path: string,
  text: string,
  acc: PlatformFacts,
): void {
  const base = path.split('/').pop() ?? '';
  if (/\.rego$/.test(base)) {
    acc.policies.push({ file: path, engine: 'rego' });
  } else if (/\.tf$/.test(base)) {
    acc.infrastructureAsCode.push({ tool: 'terraform', file: path, line: 1 });
    const shipped = shippedContainerLogs(text);
    if (shipped)
      acc.observability.logPipelines.push({ ...shipped, file: path });
    const sync = lineOf(text, CONFIG_SYNC_TF);
    if (sync) acc.gitops.push({ tool: 'config-sync', file: path, line: sync });
  } else if (/\.tofu$/.test(base)) {
    acc.infrastructureAsCode.push({ tool: 'opentofu', file: path, line: 1 });
  } else if (
    /fluent-?bit.*\.conf$/i.test(base) ||
    (/\.conf$/.test(base) && /^\s*\[OUTPUT\]/im.test(text))
  ) {
    acc.observability.logPipelines.push({
      tool: 'fluent-bit',
      file: path,
      line: 1,
    });
  } else if (/vector.*\.toml$/i.test(base) && /^\s*\[sinks\./m.test(text)) {
    acc.observability.logPipelines.push({
      tool: 'vector',
      file: path,
      line: 1,
    });
  } else if (/^Pulumi\.ya?ml$/.test(base)) {
    acc.infrastructureAsCode.push({ tool: 'pulumi', file: path, line: 1 });
  } else if (/\.json$/i.test(base)) {
    const dashboard = grafanaDashboardJson(path, text);
    if (dashboard) acc.observability.dashboards.push(dashboard);
  }
}
