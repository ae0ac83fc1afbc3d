import { posix } from 'path';
import { CheckEvidence } from '@cnmaturity/plugin-maturity-common';
import {
  CiDeploy,
  CiPipeline,
  ContainerFacts,
  FileLocation,
  FoundScanner,
  MaturityCheckOutcome,
  RepoExtraction,
  ScannerKind,
  WorkloadFacts,
} from '../model';
import { fileEvidence } from './evaluators';

// ---------------------------------------------------------------------------
// Helpers shared by the checks of every area for reading a repository
// extraction and for naming and listing what was found in messages.
// ---------------------------------------------------------------------------

/** Lower case and trimmed, for tool and environment names; '' if not a string. */
export const lc = (value: unknown) =>
  typeof value === 'string' ? value.trim().toLocaleLowerCase('en-US') : '';

/** "file:line", or just the file, for messages. */
export function where(location: { file: string; line?: number }): string {
  return location.line ? `${location.file}:${location.line}` : location.file;
}

/** Where an object or workload is, with the environment values file a Helm chart was rendered with. */
export const renderedWhere = (o: FileLocation & { valuesFile?: string }) =>
  o.valuesFile ? `${where(o)} with ${o.valuesFile}` : where(o);

/** Evidence for an object or workload, plus the environment values file that turned it on. */
export function renderedEvidence(
  o: FileLocation & { valuesFile?: string },
  value?: string,
): CheckEvidence[] {
  return [
    fileEvidence(o, value),
    ...(o.valuesFile ? [fileEvidence({ file: o.valuesFile }, value)] : []),
  ];
}

/** "a", "a and b", "a, b and c". */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Distinct files, in order, for pass messages. */
export const filesOf = (locations: Array<{ file: string }>) =>
  [...new Set(locations.map(l => l.file))].join(', ');

// Owners read "Trivy", not "aquasecurity/trivy-action"; the first match wins,
// so longer names come before the names they contain.
const TOOL_NAMES: Array<[string, string]> = [
  ['docker scout', 'Docker Scout'],
  ['snyk', 'Snyk'],
  ['trivy', 'Trivy'],
  ['grype', 'Grype'],
  ['anchore', 'Anchore'],
  ['checkov', 'Checkov'],
  ['kubescape', 'Kubescape'],
  ['kube-linter', 'kube-linter'],
  ['kics', 'KICS'],
  ['conftest', 'conftest'],
  ['tfsec', 'tfsec'],
  ['hadolint', 'hadolint'],
  ['polaris', 'Polaris'],
  ['kyverno', 'Kyverno'],
  ['gator', 'Gatekeeper gator'],
  ['sonar', 'SonarQube'],
  ['codeql', 'CodeQL'],
  ['semgrep', 'Semgrep'],
  ['syft', 'Syft'],
  ['cyclonedx', 'CycloneDX'],
  ['cosign', 'cosign'],
  ['notation', 'Notation'],
  ['slsa', 'SLSA'],
  ['gitleaks', 'Gitleaks'],
  ['trufflehog', 'TruffleHog'],
  ['renovate', 'Renovate'],
  ['dependabot', 'Dependabot'],
  ['argocd', 'Argo CD'],
  ['flux', 'Flux'],
  ['config-sync', 'Config Sync'],
  ['argo-rollouts', 'Argo Rollouts'],
  ['flagger', 'Flagger'],
  ['fluent-bit', 'Fluent Bit'],
  ['fluentbit', 'Fluent Bit'],
  ['fluentd', 'Fluentd'],
  ['otel', 'OpenTelemetry Collector'],
  ['opentelemetry', 'OpenTelemetry Collector'],
  ['vector', 'Vector'],
  ['promtail', 'Promtail'],
];

/** A tool as an owner would name it. */
export function toolName(tool: string): string {
  const key = lc(tool);
  return TOOL_NAMES.find(([needle]) => key.includes(needle))?.[1] ?? tool;
}

/** Every scanner step of every pipeline, with the pipeline it runs in. */
export function scannersOf(
  extraction: RepoExtraction,
  kinds: readonly ScannerKind[],
): Array<FoundScanner & { pipeline: CiPipeline }> {
  return extraction.ci.flatMap(pipeline =>
    (pipeline.scanners ?? [])
      .filter(s => kinds.includes(s.kind))
      .map(s => ({ ...s, pipeline })),
  );
}

/** Every deploy step, with the pipeline it runs in. */
export function deploysOf(
  extraction: RepoExtraction,
): Array<CiDeploy & { pipeline: CiPipeline }> {
  return extraction.ci.flatMap(pipeline =>
    (pipeline.deploys ?? []).map(d => ({ ...d, pipeline })),
  );
}

/** "Deployment checkout", or just the kind when the workload has no name. */
export const workloadName = (w: WorkloadFacts) =>
  w.name ? `${w.kind} ${w.name}` : w.kind;

/** Every container with its workload, skipping workloads without containers. */
export function containersOf(
  extraction: RepoExtraction,
): Array<{ workload: WorkloadFacts; container: ContainerFacts }> {
  return extraction.workloads.flatMap(workload =>
    (workload.containers ?? []).map(container => ({ workload, container })),
  );
}

/**
 * `unknown` for a CI check that would fail while a pipeline's triggers are
 * configured outside the repository (Cloud Build triggers): when that
 * pipeline runs cannot be read, so it may be what the check looks for.
 */
export function triggersNotInRepository(
  pipelines: ReadonlyArray<CiPipeline>,
  failure: string,
): MaturityCheckOutcome | undefined {
  const outside = pipelines.find(p => p.triggers?.configuredOutside);
  if (!outside) return undefined;
  return {
    status: 'unknown',
    message: `${failure.replace(/\.?$/, '.')} ${
      outside.file
    } runs on triggers configured outside the repository (Google Cloud Build), so when it runs cannot be read.`,
    evidence: [{ type: 'file', label: outside.file }],
  };
}

const dirOf = (path: string) =>
  posix.dirname(path) === '.' ? '' : posix.dirname(path);
const under = (path: string, dir: string) =>
  dir === '' || path === dir || path.startsWith(`${dir}/`);

// Objects that deploy workloads named elsewhere: a chart, an application.
const WORKLOAD_DEPLOYERS = [
  'HelmRelease',
  'Application',
  'ApplicationSet',
  'Kustomization',
  'RootSync',
  'RepoSync',
];

/**
 * Whether an environment deploys any workload: a kustomize overlay whose
 * tree (its folder and what its kustomizations pull in, bases and components
 * included) holds no workload, nor a HelmRelease or Application that
 * deploys one, only adds configuration. A remote resource may hold
 * workloads, so it counts; a Helm values file or a CI environment counts.
 */
export function environmentDeploysWorkloads(
  extraction: RepoExtraction,
  environment: RepoExtraction['environments'][number],
): boolean {
  if (environment.via !== 'kustomize-overlay') return true;
  const reached = new Set([dirOf(environment.file)]);
  const pending = [...reached];
  while (pending.length > 0 && reached.size < 100) {
    const dir = pending.pop()!;
    for (const k of extraction.kustomize.filter(x => dirOf(x.file) === dir)) {
      for (const resource of k.resources) {
        if (/^[a-z]+:\/\/|^(?:github\.com|gitlab\.com)\//i.test(resource)) {
          return true;
        }
        const target = posix.normalize(posix.join(dir, resource));
        if (!target.startsWith('..') && !reached.has(target)) {
          reached.add(target);
          pending.push(target);
        }
      }
    }
  }
  const inTree = (file: string) => [...reached].some(dir => under(file, dir));
  return (
    extraction.workloads.some(w => inTree(w.file)) ||
    extraction.kubernetesObjects.some(
      o => WORKLOAD_DEPLOYERS.includes(o.kind) && inTree(o.file),
    )
  );
}
