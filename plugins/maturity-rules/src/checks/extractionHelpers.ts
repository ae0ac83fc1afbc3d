import {
  CiDeploy,
  CiPipeline,
  ContainerFacts,
  FoundScanner,
  RepoExtraction,
  ScannerKind,
  WorkloadFacts,
} from '../model';

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
