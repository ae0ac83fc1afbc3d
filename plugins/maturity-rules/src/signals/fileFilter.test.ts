import { isRelevantRepoFile } from './fileFilter';

describe('isRelevantRepoFile', () => {
  it.each([
    '.github/workflows/ci.yml',
    '.github/workflows/release.yaml',
    '.github/actions/build/action.yml',
    '.gitlab-ci.yml',
    '.gitlab/ci/deploy.yml',
    'Jenkinsfile',
    '.circleci/config.yml',
    'azure-pipelines.yml',
    '.tekton/pull-request.yaml',
    'bitbucket-pipelines.yml',
    '.drone.yml',
    'cloudbuild.yaml',
    'examples/prometheus-alerting-rules/alerts.yaml',
    'alerts.yml',
    'src/api/cloudbuild.yaml',
    '.github/cloudbuild/ci-pr.yaml',
    'Makefile',
    'Makefile.common',
    'package.json',
    'Taskfile.yml',
    '.goreleaser.yaml',
    'Dockerfile',
    'services/api/Dockerfile',
    'Dockerfile.prod',
    'api.Dockerfile',
    'Containerfile',
    'k8s/deployment.yaml',
    'deploy/overlays/staging/kustomization.yaml',
    'apps/web/kustomization.yml',
    'chart/Chart.yaml',
    'charts/web/templates/deployment.yaml',
    'values-production.yaml',
    'CODEOWNERS',
    '.github/CODEOWNERS',
    'docs/CODEOWNERS',
    'renovate.json',
    '.renovaterc.json',
    '.github/renovate.json5',
    '.github/dependabot.yml',
    'policy/deny.rego',
    'policies/require-labels.yaml',
    'otel-collector.yaml',
    'observability/collector.yaml',
    'slo/availability.yaml',
    'api.slo.yaml',
    'fluent-bit.conf',
    'vector.toml',
    'README.md',
    'mkdocs.yml',
    'docs/index.md',
    'docs/adr/0001-record.md',
    'adr/0002-more.md',
    'infra/main.tf',
    'Pulumi.yaml',
    'skaffold.yaml',
    'docker-compose.yml',
    'result/docker-compose.test.yml',
    'compose.override.yaml',
  ])('reads %s', path => {
    expect(isRelevantRepoFile(path)).toBe(true);
  });

  it.each([
    'src/index.ts',
    'docs/runbook.md',
    '.github/workflows/README.md',
    'node_modules/foo/Dockerfile',
    'vendor/k8s/deployment.yaml',
    'config/app.yaml',
    'logo.png',
    // Build files are read at the root only: CI calls those. (A service's
    // package.json is read, for its dependencies: see below.)
    'tools/Makefile',
  ])('skips %s', path => {
    expect(isRelevantRepoFile(path)).toBe(false);
  });

  it.each([
    'go.mod',
    'package.json',
    'src/frontend/go.mod',
    'services/cart/package.json',
    'apps/api/requirements.txt',
    'src/email/requirements.in',
    'vote/pyproject.toml',
    'src/ledger/writer/pom.xml',
    'src/ad/build.gradle.kts',
    'src/cart/src/cart.csproj',
    'grafana/dashboards/service.json',
    'deploy/dashboards/latency.json',
    'monitoring/checkout-dashboard.json',
    'grafana/provisioning/dashboards/provider.yaml',
  ])('reads the dependency manifest or dashboard %s', path => {
    expect(isRelevantRepoFile(path)).toBe(true);
  });

  it.each([
    'package-lock.json',
    'go.sum',
    'yarn.lock',
    'node_modules/@opentelemetry/api/package.json',
    'vendor/go.opentelemetry.io/otel/go.mod',
    'test/telemetry/requirements.txt',
    'src/cart/tests/cart.tests.csproj',
    'examples/app/go.mod',
    'a/b/c/d/package.json',
    'src/app/tsconfig.json',
    'dashboards/mixin.libsonnet',
  ])('skips the lock file, fixture or deep manifest %s', path => {
    expect(isRelevantRepoFile(path)).toBe(false);
  });

  it('accepts a leading ./', () => {
    expect(isRelevantRepoFile('./Dockerfile')).toBe(true);
  });
});
