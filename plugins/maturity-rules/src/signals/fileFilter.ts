/**
 * Which repository files the checks need: the `filter` of the one
 * `readTree` per repository. Paths are relative to the repository root.
 */

const YAML = String.raw`\.ya?ml$`;

/** One rule per kind of file, so the list reads like RUBRIC.md. */
const RULES: Array<{ what: string; pattern: RegExp }> = [
  // CI
  {
    what: 'GitHub workflow',
    pattern: new RegExp(`^\\.github/workflows/[^/]+${YAML}`),
  },
  {
    what: 'GitHub composite action',
    pattern: new RegExp(`^\\.github/actions/.+/action${YAML}`),
  },
  { what: 'GitLab CI', pattern: /^\.gitlab-ci\.ya?ml$/ },
  { what: 'GitLab CI include', pattern: new RegExp(`^\\.gitlab/ci/.+${YAML}`) },
  { what: 'Jenkinsfile', pattern: /(?:^|\/)Jenkinsfile(?:\.[\w-]+)?$/ },
  { what: 'CircleCI', pattern: /^\.circleci\/config\.ya?ml$/ },
  {
    what: 'Azure Pipelines',
    pattern: /^(?:\.azure-pipelines\/.+|azure-pipelines)\.ya?ml$/,
  },
  { what: 'Tekton', pattern: new RegExp(`^\\.tekton/.+${YAML}`) },
  { what: 'Bitbucket Pipelines', pattern: /^bitbucket-pipelines\.ya?ml$/ },
  { what: 'Drone', pattern: /^\.drone\.ya?ml$/ },
  {
    what: 'Google Cloud Build',
    pattern: /(?:^|\/)(?:cloudbuild[\w.-]*\.ya?ml|cloudbuild\/[^/]+\.ya?ml)$/,
  },
  // Build tools CI calls, resolved one target deep (root only: they are small).
  {
    what: 'root Makefile',
    pattern: /^(?:GNUmakefile|[Mm]akefile|Makefile\.[\w-]+|[\w-]+\.mk)$/,
  },
  { what: 'root package.json', pattern: /^package\.json$/ },
  { what: 'Taskfile', pattern: /^Taskfile\.ya?ml$/ },
  { what: 'goreleaser', pattern: /^\.goreleaser\.ya?ml$/ },
  // containers
  {
    what: 'Dockerfile',
    pattern: /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$/,
  },
  { what: 'named Dockerfile', pattern: /\.(?:Dockerfile|Containerfile)$/i },
  { what: 'skaffold', pattern: /(?:^|\/)skaffold\.ya?ml$/ },
  // which Dockerfiles something builds (see strayDockerfiles.ts)
  {
    what: 'compose',
    pattern: /(?:^|\/)(?:docker-)?compose(?:[.-]\w+)*\.ya?ml$/,
  },
  // Kubernetes, kustomize, Helm, GitOps
  {
    what: 'manifest directory',
    pattern: new RegExp(
      `(?:^|/)(?:k8s|kube|deploy|deployment|deployments|manifests|[\\w.]+-manifests|(?:k8s|kubernetes)-[\\w-]+|kubernetes|kustomize|charts?|helm|templates|argocd|argo|flux|gitops|clusters|overlays|base|hpa)/.+${YAML}`,
    ),
  },
  // Outside those directories (examples/, extras/), manifests named for their kind.
  {
    what: 'workload manifest',
    pattern:
      /(?:^|\/)(?:manifests?|deployment|statefulset|daemonset|cronjob|hpa|ingress|service-?monitor|pod-?monitor)\.ya?ml$/,
  },
  { what: 'kustomization', pattern: /(?:^|\/)kustomization\.ya?ml$/ },
  { what: 'Helm chart', pattern: /(?:^|\/)Chart\.yaml$/ },
  { what: 'Helm values', pattern: /(?:^|\/)values(?:[-.][\w.-]+)?\.ya?ml$/ },
  // ownership, dependency updates
  {
    what: 'CODEOWNERS',
    pattern: /^(?:\.github\/|docs\/|\.gitlab\/)?CODEOWNERS$/,
  },
  {
    what: 'Renovate',
    pattern:
      /^(?:\.github\/|\.gitlab\/)?(?:renovate\.json5?|\.renovaterc(?:\.json5?)?)$/,
  },
  { what: 'Dependabot', pattern: /^\.github\/dependabot\.ya?ml$/ },
  // policy
  { what: 'Rego', pattern: /\.rego$/ },
  {
    what: 'policy directory',
    pattern: new RegExp(`(?:^|/)polic(?:y|ies)/.+${YAML}`),
  },
  // observability
  {
    what: 'OpenTelemetry Collector',
    pattern: new RegExp(
      `(?:^|/)[^/]*(?:otel|opentelemetry|collector)[^/]*${YAML}`,
      'i',
    ),
  },
  {
    what: 'observability directory',
    pattern: new RegExp(
      `(?:^|/)(?:observability|monitoring|alerts|prometheus|rules)/.+${YAML}`,
    ),
  },
  {
    // Prometheus rule files and folders named for alerts (`alerts.yaml`,
    // `prometheus-alerting-rules/`)
    what: 'alert rules',
    pattern: new RegExp(`(?:^|/)[^/]*alert[^/]*(?:/.+)?${YAML}`, 'i'),
  },
  {
    what: 'SLO',
    pattern: new RegExp(
      `(?:^|/)(?:slos?/.+|[^/]*\\.slo|[^/]*sloth[^/]*)${YAML}`,
      'i',
    ),
  },
  {
    what: 'Fluent Bit',
    pattern: /(?:^|\/)[^/]*fluent-?bit[^/]*\.(?:conf|ya?ml)$/i,
  },
  { what: 'Vector', pattern: /(?:^|\/)vector[^/]*\.(?:toml|ya?ml)$/i },
  {
    // The service's and, in monorepos, each service's own (src/<svc>/,
    // services/<svc>/, <svc>/...): for tracing SDKs. Not lock files, nor
    // manifests of tests, examples or docs.
    what: 'dependency manifest',
    pattern:
      /^(?:(?!(?:tests?|testdata|__tests__|fixtures?|e2e|examples?|docs?)\/)[^/]+\/){0,3}(?:go\.mod|package\.json|requirements[\w.-]*\.(?:txt|in)|pyproject\.toml|pom\.xml|build\.gradle(?:\.kts)?|[^/]+\.csproj)$/,
  },
  {
    // Dashboards as code: Grafana JSON and provisioning, GrafanaDashboard objects.
    what: 'Grafana dashboards',
    pattern:
      /(?:^|\/)(?:grafana|dashboards?)\/(?:[^/]+\/)*[^/]+\.(?:json|ya?ml)$|(?:^|\/)[^/]*dashboard[^/]*\.(?:json|ya?ml)$/i,
  },
  // docs
  { what: 'README', pattern: /^README(?:\.[\w]+)?$/i },
  { what: 'MkDocs', pattern: /(?:^|\/)mkdocs\.ya?ml$/ },
  { what: 'docs index', pattern: /^docs\/index\.md$/ },
  {
    what: 'ADR',
    pattern:
      /(?:^|\/)(?:docs?\/(?:adr|adrs|decisions|architecture\/decisions)|adr|adrs)\/[^/]+\.(?:md|markdown|adoc|rst)$/i,
  },
  // infrastructure as code
  { what: 'Terraform/OpenTofu', pattern: /\.(?:tf|tofu)$/ },
  { what: 'Pulumi', pattern: /(?:^|\/)Pulumi\.ya?ml$/ },
  {
    what: 'Crossplane',
    pattern: new RegExp(`(?:^|/)(?:crossplane|compositions?|xrds?)/.+${YAML}`),
  },
  {
    what: 'CloudFormation',
    pattern: new RegExp(
      `(?:^|/)(?:cloudformation/.+|[^/]*\\.cfn|[^/]*template)${YAML}`,
    ),
  },
];

// Third-party copies; `build/` stays, as Go repos keep `build/Dockerfile` there.
const IGNORED_DIRS = /(?:^|\/)(?:node_modules|vendor|\.git)\//;

/** True for the files the maturity checks read (see {@link RULES}). */
export function isRelevantRepoFile(path: string): boolean {
  const p = path.replace(/^\.?\//, '');
  if (IGNORED_DIRS.test(p)) {
    return false;
  }
  return RULES.some(r => r.pattern.test(p));
}
