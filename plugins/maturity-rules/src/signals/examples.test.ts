import fs from 'fs';
import path from 'path';
import { RepoExtraction } from '../model';
import { extractRepository } from './extractRepository';
import { EXAMPLE_REPOS } from '../__testUtils__/exampleRepos';
import { loadRepo } from '../testUtils/loadRepo';

const extract = (name: string): RepoExtraction =>
  extractRepository(loadRepo(path.join(EXAMPLE_REPOS, name)));

const allContainers = (x: RepoExtraction) =>
  x.workloads.flatMap(w => w.containers);

describe('the example repositories', () => {
  it('has one directory per component with code, and none for legacy-billing', () => {
    const names = fs.readdirSync(EXAMPLE_REPOS);
    expect(names).toContain('checkout-service');
    expect(names).not.toContain('legacy-billing');
  });

  it.each(fs.readdirSync(EXAMPLE_REPOS))('%s is read without notes', name => {
    const x = extract(name);
    // Read alone, without the collector, a shared workflow is not followed.
    expect(x.notes).toEqual(
      name === 'catalog-service'
        ? [
            {
              file: '.github/workflows/ci.yml',
              message:
                'acme/platform-pipelines/.github/workflows/security-scan.yml@v1: not read: shared CI files are read by the repository collector only',
            },
          ]
        : [],
    );
    expect(x.ci.length).toBeGreaterThan(0);
    expect(x.docs.readme).toBe('README.md');
  });

  it('checkout-service: Level 2 pipeline, scans and kustomize workloads', () => {
    const x = extract('checkout-service');
    const ci = x.ci.find(c => c.file === '.github/workflows/ci.yml')!;
    expect(ci.system).toBe('github-actions');
    expect(ci.triggers.pullRequest).toBe(true);
    expect(ci.tests).toEqual([
      { tool: 'npm test', file: '.github/workflows/ci.yml', line: 21 },
    ]);
    expect(ci.imageBuilds.map(b => b.tool)).toEqual(['docker build']);
    expect(ci.smokeTests.length).toBeGreaterThan(0);

    const scanners = x.ci.flatMap(c => c.scanners);
    expect(scanners).toContainEqual(
      expect.objectContaining({
        kind: 'container',
        tool: 'trivy',
        blocking: true,
      }),
    );
    expect(scanners).toContainEqual(
      expect.objectContaining({
        kind: 'config',
        tool: 'trivy config',
        blocking: true,
        target: 'deploy/overlays/staging',
      }),
    );
    // continue-on-error: true makes the Kubescape audit report-only.
    expect(scanners).toContainEqual(
      expect.objectContaining({ tool: 'kubescape', blocking: false }),
    );
    expect(scanners).toContainEqual(
      expect.objectContaining({ kind: 'secret', tool: 'gitleaks' }),
    );

    const deploys = x.ci.flatMap(c => c.deploys);
    expect(deploys).toEqual([
      expect.objectContaining({
        file: '.github/workflows/deploy.yml',
        tool: 'kubectl apply',
        environment: 'production',
        onDefaultBranch: true,
        manualApproval: false,
      }),
    ]);

    expect(x.workloads).toHaveLength(1);
    expect(x.workloads[0].source).toBe('kustomize');
    for (const c of allContainers(x)) {
      expect(c.requests.cpu).toBeDefined();
      expect(c.requests.memory).toBeDefined();
      expect(c.limits.memory).toBeDefined();
      expect(c.readinessProbe && c.livenessProbe).toBe(true);
      expect(c.securityContext.runAsNonRoot).toBe(true);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    }
    expect(x.environments.map(e => `${e.via}:${e.name}`).sort()).toEqual([
      'ci-environment:production',
      'kustomize-overlay:production',
      'kustomize-overlay:staging',
    ]);
    expect(x.kubernetesObjects).toContainEqual(
      expect.objectContaining({ kind: 'Ingress', tls: true }),
    );
    expect(x.kubernetesObjects.map(o => o.kind)).toContain('ServiceMonitor');
    expect(x.dockerfiles[0].user?.value).toBe('node');
    expect(x.codeowners?.owners).toEqual([
      '@example/payments-team',
      '@example/platform-team',
    ]);
    expect(x.docs).toEqual({
      readme: 'README.md',
      mkdocs: 'mkdocs.yml',
      docsDir: true,
      adrs: ['docs/adr/0001-use-fastify.md'],
    });
    expect(x.dependencyUpdates).toEqual([]);
    expect(x.observability.alertRules).toEqual([]);
  });

  it('notification-service: latest base image, committed Secret, privileged container', () => {
    const x = extract('notification-service');
    expect(x.dockerfiles[0].baseImages).toEqual([
      { image: 'node', tag: 'latest', file: 'Dockerfile', line: 1 },
    ]);
    expect(x.dockerfiles[0].user).toBeUndefined();
    expect(x.kubernetesObjects).toContainEqual(
      expect.objectContaining({
        kind: 'Secret',
        hasSecretData: true,
        file: 'deploy/secret.yaml',
      }),
    );
    const [c] = allContainers(x);
    expect(c.securityContext.privileged).toBe(true);
    expect(c.requests).toEqual({});
    expect(c.readinessProbe).toBe(false);
    expect(x.ci[0].triggers.pullRequest).toBe(false);
    expect(x.ci[0].tests).toEqual([]);
    expect(x.ci[0].scanners).toEqual([]);
  });

  it('payments-platform: supply chain, pinned actions, rollouts and GitOps', () => {
    const x = extract('payments-platform');
    const ci = x.ci.find(c => c.file === '.github/workflows/ci.yml')!;
    const kinds = new Set(ci.scanners.map(s => s.kind));
    for (const kind of [
      'sbom',
      'signing',
      'provenance',
      'container',
      'config',
      'policy',
      'secret',
      'sast',
    ]) {
      expect(kinds).toContain(kind);
    }
    expect(ci.scanners).toContainEqual(
      expect.objectContaining({ kind: 'sbom', tool: 'syft' }),
    );
    expect(ci.scanners).toContainEqual(
      expect.objectContaining({ kind: 'signing', tool: 'cosign' }),
    );
    expect(ci.actions).toEqual({ total: 10, pinnedBySha: 10 });
    expect(ci.deploys).toEqual([
      expect.objectContaining({
        environment: 'production',
        onDefaultBranch: true,
        onTags: false,
        manualApproval: false,
      }),
    ]);
    expect(x.progressiveDelivery).toEqual([
      { tool: 'argo-rollouts', file: 'deploy/base/rollout.yaml', line: 1 },
    ]);
    expect(x.gitops.map(g => g.tool)).toEqual(['argocd']);
    expect(x.workloads[0]).toMatchObject({
      kind: 'Rollout',
      source: 'kustomize',
    });
    expect(x.serviceMesh.map(m => m.tool)).toEqual(['linkerd']);
    expect(x.policies).toEqual([
      { file: 'deploy/argocd/verify-images.kyverno.yaml', engine: 'kyverno' },
      { file: 'policy/payments.rego', engine: 'rego' },
    ]);
    expect(x.observability.slos).toEqual([
      { file: 'slo/payments.openslo.yaml', line: 1, format: 'openslo' },
    ]);
    expect(x.observability.logPipelines.map(l => l.tool)).toEqual([
      'opentelemetry-collector',
    ]);
    expect(x.dependencyUpdates).toEqual([
      expect.objectContaining({ tool: 'renovate', securityUpdates: true }),
    ]);
    expect(x.dockerfiles[0].baseImages[1]).toMatchObject({
      image: 'gcr.io/distroless/nodejs20-debian12',
      tag: 'nonroot',
    });
  });

  it('auth-gateway: Helm chart with values, Istio STRICT mTLS, Sloth SLO, tag release', () => {
    const x = extract('auth-gateway');
    expect(x.helmCharts).toEqual([
      {
        file: 'chart/Chart.yaml',
        name: 'auth-gateway',
        valuesFiles: ['chart/values-staging.yaml', 'chart/values.yaml'],
      },
    ]);
    expect(x.workloads[0].source).toBe('helm');
    // Template values come from the chart's values.yaml.
    expect(allContainers(x)[0]).toMatchObject({
      requests: { cpu: '250m', memory: '128Mi' },
      image: 'harbor.example.com/platform/auth-gateway:1.9.0',
    });
    expect(x.kubernetesObjects).toContainEqual(
      expect.objectContaining({
        kind: 'PeerAuthentication',
        mtlsMode: 'STRICT',
      }),
    );
    expect(x.serviceMesh.map(m => m.tool)).toContain('istio');
    expect(x.observability.slos.map(s => s.format)).toEqual(['sloth']);
    const deploys = x.ci[0].deploys;
    expect(deploys.find(d => d.environment === 'staging')).toMatchObject({
      onDefaultBranch: true,
      onTags: false,
    });
    expect(deploys.find(d => d.environment === 'production')).toMatchObject({
      onDefaultBranch: false,
      onTags: true,
    });
    expect(x.ci[0].scanners).toContainEqual(
      expect.objectContaining({
        tool: 'conftest',
        blocking: true,
        target: 'chart/values-staging.yaml',
      }),
    );
  });

  it('catalog-service: report-only Polaris and a helm upgrade on tags', () => {
    const x = extract('catalog-service');
    const scanners = x.ci[0].scanners;
    expect(scanners).toContainEqual(
      expect.objectContaining({
        tool: 'polaris',
        blocking: false,
        target: 'chart/values-staging.yaml',
      }),
    );
    expect(scanners).toContainEqual(
      expect.objectContaining({
        tool: 'trivy config',
        blocking: true,
        target: 'chart/values-staging.yaml',
      }),
    );
    expect(x.ci[0].deploys).toEqual([
      expect.objectContaining({
        tool: 'helm upgrade',
        onTags: true,
        onDefaultBranch: false,
      }),
    ]);
    expect(x.ci[0].imageBuilds.map(b => b.tool)).toEqual([
      'docker/build-push-action',
    ]);
    expect(x.kubernetesObjects).toContainEqual(
      expect.objectContaining({ kind: 'Ingress', tls: true }),
    );
  });

  it('data-pipeline: blocking kyverno, SealedSecret, Renovate without security updates', () => {
    const x = extract('data-pipeline');
    expect(x.ci[0].scanners).toContainEqual(
      expect.objectContaining({
        kind: 'policy',
        tool: 'kyverno',
        blocking: true,
      }),
    );
    expect(x.ci[0].scanners).toContainEqual(
      expect.objectContaining({
        kind: 'config',
        tool: 'checkov',
        target: 'chart/values-staging.yaml',
      }),
    );
    expect(
      x.kubernetesObjects.find(o => o.kind === 'SealedSecret')?.hasSecretData,
    ).toBeUndefined();
    expect(x.dependencyUpdates).toEqual([
      expect.objectContaining({ tool: 'renovate', securityUpdates: false }),
    ]);
    expect(x.policies.map(p => p.engine)).toEqual(['kyverno', 'kyverno']);
    expect(x.kubernetesObjects.map(o => o.kind)).toContain('PodMonitor');
  });

  it('storefront-web: Dependabot, nightly scheduled scans, OpenTelemetry injection', () => {
    const x = extract('storefront-web');
    expect(x.dependencyUpdates).toEqual([
      {
        tool: 'dependabot',
        file: '.github/dependabot.yml',
        line: 1,
        securityUpdates: true,
      },
    ]);
    const nightly = x.ci.find(c => c.file.endsWith('nightly-scan.yml'))!;
    expect(nightly.triggers).toMatchObject({
      schedule: true,
      manual: true,
      pullRequest: false,
    });
    expect(
      nightly.scanners.map(s => `${s.kind}:${s.tool}:${s.blocking}`),
    ).toEqual([
      'dependency:trivy fs:true',
      // trivy-action exits 0 unless exit-code is set: report-only.
      'container:trivy:false',
    ]);
    expect(x.observability.openTelemetry).toEqual([
      { file: 'deploy/base/deployment.yaml', line: expect.any(Number) },
      {
        file: 'package.json',
        line: 13,
        dependency: '@opentelemetry/auto-instrumentations-node',
      },
    ]);
  });

  it('search-service: push-only CI gives no pull request feedback', () => {
    const x = extract('search-service');
    expect(x.ci[0].triggers).toMatchObject({
      pullRequest: false,
      pushDefaultBranch: true,
    });
    expect(x.ci[0].tests.map(t => t.tool)).toEqual(['go test']);
    expect(x.workloads).toEqual([]);
  });

  it('inventory-service: Terraform in infra/', () => {
    const x = extract('inventory-service');
    expect(x.infrastructureAsCode).toEqual([
      { tool: 'terraform', file: 'infra/main.tf', line: 1 },
    ]);
    expect(x.ci[0].tests.map(t => t.tool)).toEqual(['pytest']);
  });

  it('shared-ui-library: the Storybook smoke test counts as test and smoke test', () => {
    const x = extract('shared-ui-library');
    expect(x.ci[0].smokeTests.length).toBeGreaterThan(0);
    expect(x.ci[0].tests.map(t => t.tool)).toContain('npm test');
    expect(x.ci[0].deploys).toEqual([]);
    expect(x.dockerfiles).toEqual([]);
  });

  it('user-profile-service: production deploy inherits the main-only condition of what it needs', () => {
    const x = extract('user-profile-service');
    const prod = x.ci[0].deploys.find(d => d.environment === 'production');
    expect(prod).toMatchObject({ onDefaultBranch: true, onTags: false });
    expect(x.ci[0].actions.pinnedBySha).toBe(0);
  });
});
