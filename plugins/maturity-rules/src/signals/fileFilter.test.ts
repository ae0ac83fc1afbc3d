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
  ])('reads %s', path => {
    expect(isRelevantRepoFile(path)).toBe(true);
  });

  it.each([
    'src/index.ts',
    'package.json',
    'docs/runbook.md',
    '.github/workflows/README.md',
    'node_modules/foo/Dockerfile',
    'vendor/k8s/deployment.yaml',
    'config/app.yaml',
    'logo.png',
  ])('skips %s', path => {
    expect(isRelevantRepoFile(path)).toBe(false);
  });

  it('accepts a leading ./', () => {
    expect(isRelevantRepoFile('./Dockerfile')).toBe(true);
  });
});
