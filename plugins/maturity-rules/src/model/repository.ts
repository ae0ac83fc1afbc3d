/**
 * What the checks know about a service's repository: a compact extraction of
 * the files that matter (CI, containers, Kubernetes, policy, observability,
 * docs), computed once per repository version and cacheable by etag.
 *
 * Every found item names its file (a path relative to the repository root)
 * and, where cheap, the 1-based line, so a check can cite it as evidence.
 */

/**
 * Where something was found. For a finding in a shared CI definition (a
 * reusable workflow, an action or a template in another repository), `file`
 * names the shared file, `url` is where it was read, and `calledFrom` is the
 * repository file (and line) that calls it.
 * @public
 */
export interface FileLocation {
  file: string;
  line?: number;
  url?: string;
  calledFrom?: { file: string; line?: number };
}

/**
 * A call to a shared CI definition, and whether its content was inspected.
 * - `inspected`: read and attributed to the pipeline
 * - `by-name`: not read, recognised by its name (GitLab's own templates and components)
 * - `unreadable`: could not be read or parsed; checks it might satisfy read `unknown`
 * - `not-inspected`: cannot be read by design (a Jenkins shared library, a host
 *   without a known file layout, too deep); same effect as `unreadable`
 * @public
 */
export interface SharedCiUse {
  /** The calling file and line. */
  file: string;
  line?: number;
  kind: 'reusable-workflow' | 'action' | 'include' | 'template' | 'library';
  /** The reference as written, e.g. `acme/pipelines/.github/workflows/build.yml@v2`. */
  ref: string;
  status: 'inspected' | 'by-name' | 'unreadable' | 'not-inspected';
  /** Where it was read. */
  url?: string;
  reason?: string;
  /**
   * For a use not inspected: when the calling job runs, where the caller
   * alone decides it (a GitHub workflow whose every event is one the triggers
   * describe, narrowed by the job's `if:`). Absent when the shared file may
   * run at other times or bring its own triggers (GitLab includes, Jenkins
   * libraries, `workflow_run`, `workflow_call`).
   */
  runsOn?: CiTriggers;
  /**
   * Its workflow runs only on triage events (a greeting or labelling bot on
   * `pull_request_target` opened, `issues`, ...): it builds, scans and
   * deploys nothing of the change, so it can change no check.
   */
  triageOnly?: boolean;
  /**
   * A GitHub reusable workflow called with no secrets and a token that can
   * neither push, publish, deploy nor sign: it cannot deploy or sign.
   */
  withoutCredentials?: boolean;
}

/** @public */
export type CiSystem =
  | 'github-actions'
  | 'gitlab-ci'
  | 'jenkins'
  | 'circleci'
  | 'azure-pipelines'
  | 'tekton'
  | 'bitbucket-pipelines'
  | 'drone'
  | 'cloud-build';

/**
 * What a CI step or job was recognised as.
 * - `container`: image scanning (Trivy image, Grype, Snyk container, Docker Scout)
 * - `config`: IaC/manifest scanning (trivy config, Checkov, Kubescape, kube-linter, KICS, tfsec, hadolint, Polaris)
 * - `policy`: policy-as-code run (conftest, kyverno apply/test, gator); see `blocking`
 * - `secret`: secret scanning (gitleaks, trufflehog, detect-secrets)
 * - `sast`: static analysis (CodeQL, Semgrep, SonarQube/SonarCloud scanner)
 * - `sbom`, `signing`, `provenance`: supply chain (syft/cyclonedx, cosign/notation, SLSA generators)
 * - `dependency`: dependency audit (npm audit, OWASP dependency-check, osv-scanner)
 * @public
 */
export type ScannerKind =
  | 'container'
  | 'config'
  | 'policy'
  | 'secret'
  | 'sast'
  | 'sbom'
  | 'signing'
  | 'provenance'
  | 'dependency';

/** @public */
export interface FoundTool extends FileLocation {
  /** The tool as recognised, e.g. `trivy`, `npm test`, `docker build`. */
  tool: string;
}

/** @public */
export interface ImageBuild extends FoundTool {
  /**
   * The image references or tags the step builds or pushes, as written
   * (`-t`, `--tag`, `--destination`, `tags:` input, `docker tag`/`push`),
   * e.g. `ghcr.io/acme/app:${{ github.sha }}`; absent when none is visible.
   */
  tags?: string[];
}

/** @public */
export interface FoundScanner extends FoundTool {
  kind: ScannerKind;
  /** False when the step cannot fail the pipeline (continue-on-error, `|| true`, report-only flags). */
  blocking: boolean;
  /** The environment/overlay/values file the scan targets, when visible (e.g. `deploy/overlays/staging`). */
  target?: string;
}

/** @public */
export interface CiTriggers {
  /** Runs for pull/merge requests (GitHub `pull_request`, GitLab MR pipelines, Jenkins multibranch, ...). */
  pullRequest: boolean;
  /** Runs on push to the default branch (main/master, or any branch when unrestricted). */
  pushDefaultBranch: boolean;
  /** Runs on tags. */
  tags: boolean;
  /** Runs on a schedule (cron). */
  schedule: boolean;
  /** Can be run by hand (workflow_dispatch, web). */
  manual: boolean;
  /**
   * The triggers are configured outside the repository (Google Cloud Build
   * triggers), so the flags above say nothing: when it runs is unknown.
   */
  configuredOutside?: boolean;
}

/** @public */
export interface CiDeploy extends FoundTool {
  /** Environment name, e.g. `production`, `staging`. */
  environment?: string;
  /** The job runs on merge to the default branch. */
  onDefaultBranch: boolean;
  /** The job runs on tags. */
  onTags: boolean;
  /** The job needs a person: GitHub environment with reviewers is not visible in files, so this is `when: manual`, `workflow_dispatch` only, or an approval step. */
  manualApproval: boolean;
}

/** One CI configuration file (a GitHub workflow, `.gitlab-ci.yml`, a Jenkinsfile, ...). */
/** @public */
export interface CiPipeline {
  system: CiSystem;
  file: string;
  triggers: CiTriggers;
  /** Test steps: npm/yarn/pnpm test, go test, mvn verify/test, gradle test, pytest, cargo test, dotnet test, ... */
  tests: FoundTool[];
  /** Smoke/e2e test steps, a subset of what tests recognise plus names containing smoke/e2e. */
  smokeTests: FoundTool[];
  /** Container image builds: docker build/buildx, docker/build-push-action, kaniko, buildah, jib, ko, pack. */
  imageBuilds: ImageBuild[];
  deploys: CiDeploy[];
  scanners: FoundScanner[];
  /** GitHub Actions `uses:` references: how many, and how many are pinned by a full commit SHA. */
  actions: { total: number; pinnedBySha: number };
  /** Other tools seen (for the org allow/deny lists), e.g. `helm`, `kubectl`, `argocd`. */
  tools: string[];
  /** Shared definitions the pipeline calls, directly or through other shared files. */
  shared: SharedCiUse[];
}

/** @public */
export interface DockerfileFacts {
  file: string;
  /**
   * Every FROM of the file, in order; the last one is the runtime image. A
   * FROM of an earlier stage carries that stage's image and names it in
   * `fromStage`. An ARG without a default stays as written, e.g. tag `${V}`.
   */
  baseImages: Array<
    FileLocation & {
      image: string;
      tag?: string;
      digest?: string;
      fromStage?: string;
    }
  >;
  /** The last USER of the final stage (or of the stage it builds on), if any. */
  user?: FileLocation & { value: string };
  /**
   * Nothing ships it: a dev container, or a test/example/one-line Dockerfile
   * that no CI, compose or skaffold file refers to.
   */
  stray?: boolean;
}

/** @public */
export interface ContainerFacts {
  name: string;
  requests: { cpu?: string; memory?: string };
  limits: { cpu?: string; memory?: string };
  readinessProbe: boolean;
  livenessProbe: boolean;
  /** Merged pod and container securityContext as far as it is set. */
  securityContext: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    allowPrivilegeEscalation?: boolean;
    privileged?: boolean;
    readOnlyRootFilesystem?: boolean;
  };
  image?: string;
  /** For a Helm template: the values file (and line) each block was taken from, so evidence can name it. */
  fromValues?: {
    resources?: FileLocation;
    readinessProbe?: FileLocation;
    livenessProbe?: FileLocation;
    securityContext?: FileLocation;
  };
}

/**
 * In a Helm workload's `annotations` and `labels`: a key `HELM_INCLUDE.<line>`
 * stands where a named template is included (`{{ include "x.podAnnotations" . }}`);
 * its value is the template's name. What that template adds is not known.
 * @public
 */
export const HELM_INCLUDE = 'HELM_INCLUDE';

/** A workload with pod template: Deployment, StatefulSet, DaemonSet, Job, CronJob, Argo Rollout. */
/** @public */
export interface WorkloadFacts extends FileLocation {
  kind: string;
  name?: string;
  /** Where it came from: a plain manifest, a kustomize base/overlay, or a Helm chart template. */
  source: 'manifest' | 'kustomize' | 'helm';
  containers: ContainerFacts[];
  /** Pod template annotations (e.g. prometheus.io/scrape) and labels, for scrape and cost checks. */
  annotations: Record<string, string>;
  labels: Record<string, string>;
  /** Rendered from a Helm chart with this environment values file over the chart's defaults. */
  valuesFile?: string;
}

/** Any Kubernetes object seen, by kind: ServiceMonitor, PrometheusRule, HorizontalPodAutoscaler, ... */
/** @public */
export interface KubernetesObjectFacts extends FileLocation {
  apiVersion: string;
  kind: string;
  name?: string;
  /** For `kind: Secret`: it carries `data` or `stringData` with at least one key. */
  hasSecretData?: boolean;
  /** For Ingress/Gateway: TLS is configured. */
  tls?: boolean;
  /** For PeerAuthentication: mTLS mode, e.g. STRICT. */
  mtlsMode?: string;
  /** Rendered from a Helm chart with this environment values file over the chart's defaults; absent with the defaults alone. */
  valuesFile?: string;
}

/** @public */
export interface RepoExtraction {
  /** Bumped when the shape changes, so a cached extraction of an older shape is recomputed. */
  version: number;
  /** Paths of the files that were read (after filtering), sorted. */
  files: string[];
  ci: CiPipeline[];
  dockerfiles: DockerfileFacts[];
  workloads: WorkloadFacts[];
  kubernetesObjects: KubernetesObjectFacts[];
  kustomize: Array<{ file: string; resources: string[] }>;
  helmCharts: Array<{ file: string; name?: string; valuesFiles: string[] }>;
  /** Environments visible as overlays, values files or CI environments, e.g. `staging`, `production`. */
  environments: Array<
    FileLocation & {
      name: string;
      via: 'kustomize-overlay' | 'helm-values' | 'ci-environment';
    }
  >;
  policies: Array<{ file: string; engine: 'rego' | 'kyverno' | 'gatekeeper' }>;
  observability: {
    /** Collector configs, instrumented workloads, and direct SDK dependencies (`dependency`: the package). */
    openTelemetry: Array<FileLocation & { dependency?: string }>;
    slos: Array<FileLocation & { format: 'openslo' | 'sloth' | 'other' }>;
    logPipelines: FoundTool[];
    alertRules: FileLocation[];
    /** Dashboards as code: Grafana JSON, `GrafanaDashboard`, ConfigMaps labelled `grafana_dashboard`. */
    dashboards?: Array<
      FileLocation & {
        format: 'grafana-json' | 'grafana-operator' | 'configmap';
      }
    >;
  };
  codeowners?: FileLocation & { owners: string[] };
  dependencyUpdates: Array<
    FoundTool & {
      tool: 'renovate' | 'dependabot';
      securityUpdates: boolean;
      /**
       * Renovate presets kept in other repositories or packages
       * (`github>org/repo`, `local>org/renovate-config`, `@org/config`):
       * not read, so they may turn security updates on.
       */
      sharedPresets?: string[];
    }
  >;
  docs: { readme?: string; mkdocs?: string; docsDir: boolean; adrs: string[] };
  infrastructureAsCode: Array<
    FoundTool & {
      tool:
        | 'terraform'
        | 'pulumi'
        | 'crossplane'
        | 'cloudformation'
        | 'opentofu';
    }
  >;
  gitops: Array<FoundTool & { tool: 'argocd' | 'flux' | 'config-sync' }>;
  progressiveDelivery: Array<FoundTool & { tool: 'argo-rollouts' | 'flagger' }>;
  serviceMesh: Array<
    FoundTool & { tool: 'istio' | 'linkerd' | 'cilium' | 'consul' }
  >;
  /** Files skipped or unparsable: never a crash, always a note. */
  notes: Array<{ file: string; message: string }>;
}
