import {
  ContainerFacts,
  FileLocation,
  KubernetesObjectFacts,
  WorkloadFacts,
} from '../../model';
import { asString, getPath, isRecord } from '../yaml';

/** Where the pod template sits in each workload kind. */
const POD_TEMPLATE: Record<string, string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  Rollout: ['spec', 'template'],
  // A Knative Service; a core Service has no pod template.
  Service: ['spec', 'template'],
};

/** Kinds whose name other API groups share: only these groups' objects are workloads. */
const WORKLOAD_GROUP: Record<string, string> = {
  Rollout: 'argoproj.io',
  Service: 'serving.knative.dev',
};

function quantity(v: unknown): string | undefined {
  return typeof v === 'number' ? String(v) : asString(v);
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') {
    return v;
  }
  // Helm values render to strings; take the obvious ones.
  if (v === 'true' || v === 'false') {
    return v === 'true';
  }
  return undefined;
}

function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) {
    return v;
  }
  return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
}

type SecurityContext = ContainerFacts['securityContext'];

function securityContext(
  sc: unknown,
  fields: Array<keyof SecurityContext>,
): SecurityContext {
  const out: SecurityContext = {};
  if (!isRecord(sc)) {
    return out;
  }
  for (const f of fields) {
    const v = f === 'runAsUser' ? int(sc[f]) : bool(sc[f]);
    if (v !== undefined) {
      (out as Record<string, unknown>)[f] = v;
    }
  }
  return out;
}

function stringMap(v: unknown): Record<string, string> {
  if (!isRecord(v)) {
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    const s = asString(x);
    if (s !== undefined) {
      out[k] = s;
    }
  }
  return out;
}

/** Maps and lists a Helm template took from values, with the file that set them. */
type Origins = ReadonlyMap<unknown, FileLocation>;

/** Which of a container's blocks came from chart values, and from where. */
function fromValues(
  c: Record<string, unknown>,
  podSpec: unknown,
  origins: Origins,
): ContainerFacts['fromValues'] {
  const out: NonNullable<ContainerFacts['fromValues']> = {};
  const set = (key: keyof typeof out, ...blocks: unknown[]) => {
    const at = blocks.map(b => origins.get(b)).find(Boolean);
    if (at) out[key] = at;
  };
  set('resources', c.resources);
  set('readinessProbe', c.readinessProbe);
  set('livenessProbe', c.livenessProbe);
  set(
    'securityContext',
    c.securityContext,
    getPath(podSpec, ['securityContext']),
  );
  return Object.keys(out).length > 0 ? out : undefined;
}

function containerFacts(
  c: Record<string, unknown>,
  podSc: SecurityContext,
  values: ContainerFacts['fromValues'],
): ContainerFacts {
  const resources = isRecord(c.resources) ? c.resources : {};
  const pick = (v: unknown) => {
    const out: { cpu?: string; memory?: string } = {};
    if (isRecord(v)) {
      const cpu = quantity(v.cpu);
      const memory = quantity(v.memory);
      if (cpu !== undefined) out.cpu = cpu;
      if (memory !== undefined) out.memory = memory;
    }
    return out;
  };
  const facts: ContainerFacts = {
    name: asString(c.name) ?? '',
    requests: pick(resources.requests),
    limits: pick(resources.limits),
    readinessProbe: isRecord(c.readinessProbe),
    livenessProbe: isRecord(c.livenessProbe),
    // The container's own settings win over the pod's, as in Kubernetes.
    securityContext: {
      ...podSc,
      ...securityContext(c.securityContext, [
        'runAsNonRoot',
        'runAsUser',
        'allowPrivilegeEscalation',
        'privileged',
        'readOnlyRootFilesystem',
      ]),
    },
  };
  const image = asString(c.image);
  if (image !== undefined) {
    facts.image = image;
  }
  if (values) {
    facts.fromValues = values;
  }
  return facts;
}

/** The workload facts of a doc, if it is a workload with a pod template. */
function workloadFacts(
  doc: Record<string, unknown>,
  kind: string,
  apiVersion: string,
  origins: Origins,
): Omit<WorkloadFacts, 'file' | 'line' | 'source'> | undefined {
  const path = POD_TEMPLATE[kind];
  const group = WORKLOAD_GROUP[kind];
  if (!path || (group && !apiVersion.startsWith(group))) {
    return undefined;
  }
  const template = getPath(doc, path);
  const metadata = getPath(template, ['metadata']);
  const podSpec = getPath(template, ['spec']);
  const podSc = securityContext(getPath(podSpec, ['securityContext']), [
    'runAsNonRoot',
    'runAsUser',
  ]);
  const containers = getPath(podSpec, ['containers']);
  const name = objectName(doc);
  return {
    kind,
    ...(name !== undefined ? { name } : {}),
    containers: Array.isArray(containers)
      ? containers
          .filter(isRecord)
          .map(c => containerFacts(c, podSc, fromValues(c, podSpec, origins)))
      : [],
    annotations: stringMap(getPath(metadata, ['annotations'])),
    labels: stringMap(getPath(metadata, ['labels'])),
  };
}

function tlsOf(
  doc: Record<string, unknown>,
  kind: string,
  apiVersion: string,
): boolean | undefined {
  if (kind === 'Ingress') {
    const tls = getPath(doc, ['spec', 'tls']);
    return Array.isArray(tls) && tls.length > 0;
  }
  if (
    kind === 'Gateway' &&
    apiVersion.startsWith('gateway.networking.k8s.io')
  ) {
    const listeners = getPath(doc, ['spec', 'listeners']);
    return (
      Array.isArray(listeners) &&
      listeners.some(
        l =>
          isRecord(l) &&
          (isRecord(l.tls) || /^(HTTPS|TLS)$/.test(String(l.protocol))),
      )
    );
  }
  if (kind === 'Gateway' && apiVersion.startsWith('networking.istio.io')) {
    const servers = getPath(doc, ['spec', 'servers']);
    return (
      Array.isArray(servers) &&
      servers.some(s => isRecord(s) && isRecord(s.tls))
    );
  }
  return undefined;
}

function nonEmptyMap(v: unknown): boolean {
  return isRecord(v) && Object.keys(v).length > 0;
}

/** `metadata.name`, unless a Helm template makes it (then it is not known here). */
function objectName(value: unknown): string | undefined {
  const name = asString(getPath(value, ['metadata', 'name']));
  return name?.includes('HELM_TEMPLATE') ? undefined : name;
}

/**
 * Reads one YAML document as a Kubernetes object (anything with string
 * `apiVersion` and `kind`), plus its workload facts when it has a pod template.
 * `origins` are the blocks a Helm template took from values.
 */
export function readKubernetesDoc(
  value: unknown,
  at: { file: string; line: number },
  origins: Origins = new Map(),
):
  | { object: KubernetesObjectFacts; workload?: Omit<WorkloadFacts, 'source'> }
  | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const apiVersion = value.apiVersion;
  const kind = value.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return undefined;
  }
  const object: KubernetesObjectFacts = { ...at, apiVersion, kind };
  const name = objectName(value);
  if (name !== undefined) {
    object.name = name;
  }
  if (kind === 'Secret' && apiVersion === 'v1') {
    object.hasSecretData =
      nonEmptyMap(value.data) || nonEmptyMap(value.stringData);
  }
  const tls = tlsOf(value, kind, apiVersion);
  if (tls !== undefined) {
    object.tls = tls;
  }
  if (kind === 'PeerAuthentication') {
    const mode = asString(getPath(value, ['spec', 'mtls', 'mode']));
    if (mode !== undefined) {
      object.mtlsMode = mode;
    }
  }
  const workload = workloadFacts(value, kind, apiVersion, origins);
  return { object, ...(workload ? { workload: { ...workload, ...at } } : {}) };
}
