import { Entity } from '@backstage/catalog-model';
import {
  ContainerFacts,
  DockerfileFacts,
  KubernetesObjectFacts,
  WorkloadFacts,
} from '../model';
import { component } from '../testUtils/entities';
import {
  Case,
  container as baseContainer,
  deploy,
  hostileComponent,
  pipeline,
  repoFor,
  scanner,
  service,
  UNKNOWN,
  workload as baseWorkload,
} from '../testUtils/extractions';
import { signalsFor } from '../testUtils/signals';
import { parseDockerfile } from '../signals/dockerfile';
import { technologyEvaluators } from './technology';

/** A hardened container that passes every container check; tests take things away. */
const container = (overrides: Partial<ContainerFacts> = {}) =>
  baseContainer({
    name: 'api',
    limits: { memory: '256Mi' },
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
    image: 'ghcr.io/acme/checkout:1.4.2',
    ...overrides,
  });

const workload = (
  containers: ContainerFacts[] = [container()],
  overrides: Partial<WorkloadFacts> = {},
) => baseWorkload({ source: 'kustomize', containers, ...overrides });

function dockerfile(
  base: { image: string; tag?: string; digest?: string },
  user: string | null = 'app',
): DockerfileFacts {
  return {
    file: 'Dockerfile',
    baseImages: [
      { file: 'Dockerfile', line: 1, image: 'node', tag: '20' },
      { file: 'Dockerfile', line: 9, ...base },
    ],
    ...(user ? { user: { file: 'Dockerfile', line: 15, value: user } } : {}),
  };
}

function object(
  kind: string,
  overrides: Partial<KubernetesObjectFacts> = {},
): KubernetesObjectFacts {
  return {
    file: `deploy/${kind.toLowerCase()}.yaml`,
    line: 1,
    apiVersion: 'v1',
    kind,
    name: 'checkout',
    ...overrides,
  };
}

const svc = service;

const annotated = (annotations: Record<string, string>) =>
  svc({}, { annotations });

const noRepo = signalsFor(svc());
const repo = repoFor(svc);

function api(name: string, definition?: unknown): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'openapi',
      lifecycle: 'production',
      owner: 'payments-team',
      ...(definition !== undefined ? { definition } : {}),
    },
  };
}

const database: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'checkout-db', namespace: 'default' },
  spec: { type: 'database', owner: 'payments-team' },
};

const OPENAPI_WITH_AUTH = `openapi: 3.0.0
components:
  securitySchemes:
    bearer: { type: http, scheme: bearer }
`;

describe('technologyEvaluators', () => {
  it('covers exactly the Technology checks of the rubric', () => {
    expect(Object.keys(technologyEvaluators).sort()).toEqual(
      [
        'technology.container-image',
        'technology.infrastructure-as-code',
        'technology.smoke-tests',
        'technology.monitoring',
        'technology.in-production',
        'technology.requests-limits',
        'technology.container-hygiene',
        'technology.health-probes',
        'technology.api-exposed',
        'technology.declarative-deploy',
        'technology.secrets-hygiene',
        'technology.encryption-auth',
        'technology.staging-validation',
        'technology.helm-or-gitops',
        'technology.dashboards',
        'technology.secrets-manager',
        'technology.tracing',
        'technology.service-mesh',
        'technology.full-gitops',
        'technology.progressive-delivery',
      ].sort(),
    );
  });

  const cases: Record<string, Case[]> = {
    'technology.container-image': [
      [
        'CI tags the image with the commit',
        repo({
          ci: [
            pipeline({
              imageBuilds: [
                {
                  tool: 'docker/build-push-action',
                  file: '.github/workflows/ci.yml',
                  line: 30,
                  tags: [
                    'ghcr.io/acme/checkout:latest',
                    'ghcr.io/acme/checkout:${{github.sha}}',
                  ],
                },
              ],
            }),
          ],
        }),
        'pass',
        'CI builds the image with a version tag: docker/build-push-action tags ghcr.io/acme/checkout:${{github.sha}} (.github/workflows/ci.yml:30).',
      ],
      [
        'the manifests run a version-tagged image',
        repo({ workloads: [workload()] }),
        'pass',
        'The manifests run ghcr.io/acme/checkout:1.4.2 (deploy/base/deployment.yaml:1), an image with a version tag.',
      ],
      [
        'a versioned database beside an untagged service image',
        repo({
          workloads: [
            workload([
              container({ image: 'postgres:16.3' }),
              container({ image: 'ghcr.io/acme/checkout' }),
            ]),
          ],
        }),
        'fail',
        'No image with a version tag: the manifests run ghcr.io/acme/checkout (deploy/base/deployment.yaml:1), which has none; tag each image with its version or commit.',
      ],
      [
        'a versioned sidecar beside the latest image the repository builds',
        repo({
          dockerfiles: [
            {
              ...dockerfile({ image: 'node', tag: '22' }),
              file: 'checkout/Dockerfile',
            },
          ],
          workloads: [
            workload([
              container({
                image: 'quay.io/prometheus/blackbox-exporter:v0.27.0',
              }),
              container({ image: 'ghcr.io/acme/checkout:latest' }),
            ]),
          ],
        }),
        'fail',
        'No image with a version tag: the manifests run ghcr.io/acme/checkout:latest (deploy/base/deployment.yaml:1), which has none; tag each image with its version or commit.',
      ],
      [
        'CI pushes latest only',
        repo({
          ci: [
            pipeline({
              imageBuilds: [
                {
                  tool: 'docker build',
                  file: '.github/workflows/ci.yml',
                  line: 12,
                  tags: ['ghcr.io/acme/checkout:latest'],
                },
              ],
            }),
          ],
        }),
        'fail',
        'No image with a version tag: docker build tags ghcr.io/acme/checkout:latest (.github/workflows/ci.yml:12), which has none; tag each image with its version or commit.',
      ],
      [
        'CI builds, with no visible tag',
        repo({
          ci: [
            pipeline({
              imageBuilds: [
                {
                  tool: 'make image',
                  file: '.github/workflows/ci.yml',
                  line: 12,
                },
              ],
            }),
          ],
        }),
        'unknown',
        'Which tag the image ships with is not visible: make image builds an image (.github/workflows/ci.yml:12), and no image in the repository carries a version tag.',
      ],
      [
        'a pinned base image is not a versioned image',
        repo({
          dockerfiles: [dockerfile({ image: 'node', tag: '20-alpine' })],
        }),
        'fail',
        'Dockerfile is in the repository, but no CI step builds the image with a tag and no manifest runs it, so it does not ship as a versioned image.',
      ],
      [
        'a dev container alone',
        repo({
          dockerfiles: [
            {
              ...dockerfile({
                image: 'mcr.microsoft.com/devcontainers/java',
                tag: '17',
              }),
              file: '.devcontainer/Dockerfile',
              stray: true,
            },
          ],
        }),
        'fail',
        'The service does not ship as a container image: nothing builds .devcontainer/Dockerfile (a dev container), no CI step builds an image and no manifest runs one.',
      ],
      [
        'images from a remote chart',
        repo({ kubernetesObjects: [object('HelmRelease')] }),
        'unknown',
        'No image is named in the repository; the images come from what HelmRelease checkout (deploy/helmrelease.yaml:1) deploys, which is not read.',
      ],
      [
        'nothing',
        repo({}),
        'fail',
        'The service does not ship as a container image: no CI step builds one and no manifest runs one.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.infrastructure-as-code': [
      [
        'Terraform in the repository',
        repo({
          infrastructureAsCode: [
            { tool: 'terraform', file: 'infra/main.tf', line: 1 },
          ],
        }),
        'pass',
        'Infrastructure as code: terraform (infra/main.tf:1).',
      ],
      [
        'a Resource in the catalog, without the repository',
        signalsFor(svc({ dependsOn: ['resource:checkout-db'] }), {
          related: [database],
        }),
        'pass',
        'Infrastructure is described in the catalog: the service depends on resource:default/checkout-db.',
      ],
      [
        'neither',
        repo({}, svc({ dependsOn: ['resource:default/unknown-db'] })),
        'fail',
        'No infrastructure as code (Terraform, OpenTofu, Pulumi, Crossplane, CloudFormation) in the repository, and the service depends on no Resource in the catalog.',
      ],
      ['no repository and no Resource', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.smoke-tests': [
      [
        'smoke tests',
        repo({
          ci: [
            pipeline({
              smokeTests: [
                {
                  tool: 'npm run e2e',
                  file: '.github/workflows/ci.yml',
                  line: 40,
                },
              ],
            }),
          ],
        }),
        'pass',
        'CI tests a running instance: npm run e2e (.github/workflows/ci.yml:40).',
      ],
      [
        // A unit-test run starts nothing: it is not a test of a running instance.
        'unit tests only',
        repo({
          ci: [
            pipeline({
              tests: [{ tool: 'go test', file: '.gitlab-ci.yml', line: 7 }],
            }),
          ],
        }),
        'fail',
        'No test of a running instance in CI (.github/workflows/ci.yml): nothing probes or tests the service after a deploy, compose up or kind cluster, and no helm test, Playwright, Cypress, k6 or newman run. go test (.gitlab-ci.yml:7) runs tests without starting the service.',
      ],
      [
        'CI without tests',
        repo({ ci: [pipeline()] }),
        'fail',
        'No test of a running instance in CI (.github/workflows/ci.yml): nothing probes or tests the service after a deploy, compose up or kind cluster, and no helm test, Playwright, Cypress, k6 or newman run.',
      ],
      [
        'no CI',
        repo({}),
        'fail',
        'No CI pipeline found, so no smoke tests run.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.monitoring': [
      [
        'Grafana annotation, without the repository',
        signalsFor(
          annotated({ 'grafana/dashboard-selector': 'tags @> "checkout"' }),
        ),
        'pass',
        'Monitored: grafana/dashboard-selector is set.',
      ],
      [
        'ServiceMonitor in the repository',
        repo({ kubernetesObjects: [object('ServiceMonitor')] }),
        'pass',
        'Monitored: ServiceMonitor checkout (deploy/servicemonitor.yaml:1).',
      ],
      [
        'nothing',
        repo({ kubernetesObjects: [object('Service')] }),
        'fail',
        'No monitoring found: no grafana/dashboard-selector, grafana/overview-dashboard or prometheus.io/rule annotation and no ServiceMonitor or PodMonitor in the repository.',
      ],
      ['no repository and no annotation', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.in-production': [
      [
        'production on Kubernetes',
        signalsFor(annotated({ 'backstage.io/kubernetes-id': 'checkout' })),
        'pass',
        'In production on Kubernetes (backstage.io/kubernetes-id: checkout).',
      ],
      [
        'experimental',
        signalsFor(
          component(
            'checkout',
            { lifecycle: 'experimental' },
            { annotations: { 'backstage.io/kubernetes-id': 'checkout' } },
          ),
        ),
        'fail',
        'Not in production: spec.lifecycle is experimental.',
      ],
      [
        'no Kubernetes annotation',
        signalsFor(svc()),
        'fail',
        'In production, but no backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector annotation links it to its workloads on Kubernetes.',
      ],
    ],
    'technology.requests-limits': [
      [
        'all set',
        repo({ workloads: [workload()] }),
        'pass',
        'CPU and memory requests and a memory limit on every container (deploy/base/deployment.yaml).',
      ],
      [
        'missing requests and limit',
        repo({
          workloads: [
            workload([
              container(),
              container({
                name: 'sidecar',
                requests: { memory: '64Mi' },
                limits: {},
              }),
            ]),
          ],
        }),
        'fail',
        'Container sidecar in Deployment checkout (deploy/base/deployment.yaml:1) does not set requests.cpu, limits.memory.',
      ],
      [
        'no workloads',
        repo({}),
        'fail',
        'No Kubernetes workloads (Deployment, StatefulSet, ...) found in the repository to check for resource requests and limits.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.container-hygiene': [
      [
        'manifests and Dockerfile hardened',
        repo({
          workloads: [workload()],
          dockerfiles: [dockerfile({ image: 'node', tag: '20-alpine' })],
        }),
        'pass',
        'All containers run as non-root without privilege escalation; all Dockerfiles run as a non-root user on a pinned base image (deploy/base/deployment.yaml, Dockerfile).',
      ],
      [
        'runAsUser instead of runAsNonRoot',
        repo({
          workloads: [
            workload([
              container({
                securityContext: {
                  runAsUser: 10001,
                  allowPrivilegeEscalation: false,
                },
              }),
            ]),
          ],
        }),
        'pass',
        'All containers run as non-root without privilege escalation (deploy/base/deployment.yaml).',
      ],
      [
        'insecure container',
        repo({
          workloads: [
            workload([
              container({
                name: 'web',
                securityContext: { privileged: true },
              }),
            ]),
          ],
        }),
        'fail',
        'Container web in Deployment checkout (deploy/base/deployment.yaml:1) does not set runAsNonRoot: true, does not set allowPrivilegeEscalation: false, runs privileged.',
      ],
      [
        'Dockerfile without USER',
        repo({
          dockerfiles: [dockerfile({ image: 'node', tag: '20' }, null)],
        }),
        'fail',
        'Container hygiene: Dockerfile has no USER in its final stage, so the container runs as root.',
      ],
      [
        'FROM scratch needs no tag, but still runs as root without USER',
        repo({ dockerfiles: [dockerfile({ image: 'scratch' }, null)] }),
        'fail',
        'Container hygiene: Dockerfile has no USER in its final stage, so the container runs as root.',
      ],
      [
        'FROM scratch with a non-root USER',
        repo({ dockerfiles: [dockerfile({ image: 'scratch' }, '65532')] }),
        'pass',
        'All Dockerfiles run as a non-root user on a pinned base image (Dockerfile).',
      ],
      [
        'distroless :nonroot runs as uid 65532 without USER',
        repo({
          dockerfiles: [
            dockerfile(
              { image: 'gcr.io/distroless/static', tag: 'nonroot' },
              null,
            ),
          ],
        }),
        'pass',
        'All Dockerfiles run as a non-root user on a pinned base image (Dockerfile).',
      ],
      [
        'a latest-<arch> tag is latest',
        repo({
          dockerfiles: [
            dockerfile(
              { image: 'gcr.io/distroless/static', tag: 'latest-${GOARCH}' },
              'nobody',
            ),
          ],
        }),
        'fail',
        'Container hygiene: the runtime base image gcr.io/distroless/static:latest-${GOARCH} in Dockerfile:9 uses the latest tag.',
      ],
      [
        'USER root last',
        repo({
          dockerfiles: [dockerfile({ image: 'node', tag: '22' }, 'root')],
        }),
        'fail',
        'Container hygiene: Dockerfile:15 sets USER root.',
      ],
      [
        'a base image from an ARG without a default is not judged',
        repo({ dockerfiles: [dockerfile({ image: '${BASE_IMAGE}' })] }),
        'pass',
        'All Dockerfiles run as a non-root user on a pinned base image (Dockerfile).',
      ],
      [
        'a dev container is not checked',
        repo({
          workloads: [workload()],
          dockerfiles: [
            {
              ...dockerfile(
                {
                  image: 'mcr.microsoft.com/devcontainers/base',
                  tag: 'latest',
                },
                null,
              ),
              file: '.devcontainer/Dockerfile',
              stray: true,
            },
          ],
        }),
        'pass',
        'All containers run as non-root without privilege escalation (deploy/base/deployment.yaml).',
      ],
      [
        'Dockerfile as root on latest',
        repo({
          dockerfiles: [dockerfile({ image: 'node', tag: 'latest' }, '0:0')],
        }),
        'fail',
        'Container hygiene: Dockerfile:15 sets USER 0:0; the runtime base image node:latest in Dockerfile:9 uses the latest tag.',
      ],
      [
        'nothing to check',
        repo({}),
        'fail',
        'No Kubernetes workloads or Dockerfiles found to check how containers run.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.health-probes': [
      [
        'probes everywhere',
        repo({ workloads: [workload()] }),
        'pass',
        'Readiness and liveness probes on every container (deploy/base/deployment.yaml).',
      ],
      [
        'no liveness probe',
        repo({
          workloads: [
            workload([container({ livenessProbe: false })]),
            workload([container({ readinessProbe: false })], {
              file: 'deploy/worker.yaml',
            }),
          ],
        }),
        'fail',
        'Container api in Deployment checkout (deploy/base/deployment.yaml:1) has no liveness probe (and 1 more container).',
      ],
      [
        'no workloads',
        repo({}),
        'fail',
        'No Kubernetes workloads (Deployment, StatefulSet, ...) found in the repository to check for health probes.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.api-exposed': [
      [
        'APIs with definitions',
        signalsFor(
          svc({ providesApis: ['checkout-api', 'api:default/refunds'] }),
          {
            related: [
              api('checkout-api', OPENAPI_WITH_AUTH),
              api('refunds', '{}'),
            ],
          },
        ),
        'pass',
        'Provides 2 APIs with definitions: api:default/checkout-api, api:default/refunds.',
      ],
      [
        'no APIs',
        signalsFor(svc()),
        'fail',
        'No API exposed: spec.providesApis is empty; register the API the service provides, with its definition.',
      ],
      [
        'missing and empty definitions',
        signalsFor(svc({ providesApis: ['checkout-api', 'ghost-api', 7] }), {
          related: [api('checkout-api', '')],
        }),
        'fail',
        'Provided APIs without a usable definition: api:default/checkout-api has no definition; api:default/ghost-api is not in the catalog; 7 is not an API reference.',
      ],
    ],
    'technology.declarative-deploy': [
      [
        'kustomize',
        repo({
          kustomize: [
            { file: 'deploy/base/kustomization.yaml', resources: [] },
          ],
          workloads: [workload()],
        }),
        'pass',
        'Deployed declaratively: kustomization (deploy/base/kustomization.yaml).',
      ],
      [
        'Helm chart',
        repo({
          helmCharts: [
            {
              file: 'charts/checkout/Chart.yaml',
              name: 'checkout',
              valuesFiles: [],
            },
          ],
        }),
        'pass',
        'Deployed declaratively: Helm chart (charts/checkout/Chart.yaml).',
      ],
      [
        'nothing',
        repo({}),
        'fail',
        'No declarative deployment: no Kubernetes manifests, kustomization.yaml or Chart.yaml found in the repository.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.secrets-hygiene': [
      [
        'scanner and only sealed secrets',
        repo({
          ci: [pipeline({ scanners: [scanner()] })],
          kubernetesObjects: [object('SealedSecret')],
        }),
        'pass',
        'Secret scanning in CI (gitleaks, .github/workflows/ci.yml:20) and no Secret with data committed.',
      ],
      [
        'SOPS-encrypted Secret',
        repo({
          ci: [pipeline({ scanners: [scanner({ tool: 'trufflehog' })] })],
          kubernetesObjects: [
            object('Secret', {
              file: 'deploy/db.enc.yaml',
              hasSecretData: true,
            }),
          ],
        }),
        'pass',
        'Secret scanning in CI (trufflehog, .github/workflows/ci.yml:20) and no Secret with data committed.',
      ],
      [
        'committed Secret',
        repo({
          ci: [pipeline({ scanners: [scanner()] })],
          kubernetesObjects: [
            object('Secret', { name: 'db-credentials', hasSecretData: true }),
          ],
        }),
        'fail',
        'A Secret (db-credentials) with data is committed in deploy/secret.yaml:1; use SealedSecret, ExternalSecret or SOPS.',
      ],
      [
        'no scanner',
        repo({
          ci: [
            pipeline({
              scanners: [scanner({ kind: 'container', tool: 'trivy' })],
            }),
          ],
          kubernetesObjects: [object('Secret', { hasSecretData: false })],
        }),
        'fail',
        'No secret scanning (gitleaks, trufflehog, detect-secrets) runs in CI.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.encryption-auth': [
      [
        'securitySchemes in the provided API, without the repository',
        signalsFor(svc({ providesApis: ['checkout-api'] }), {
          related: [api('checkout-api', OPENAPI_WITH_AUTH)],
        }),
        'pass',
        'The provided API api:default/checkout-api declares securitySchemes for authentication.',
      ],
      [
        'Ingress with TLS',
        repo({ kubernetesObjects: [object('Ingress', { tls: true })] }),
        'pass',
        'TLS on Ingress checkout (deploy/ingress.yaml:1).',
      ],
      [
        'STRICT mTLS',
        repo({
          kubernetesObjects: [
            object('PeerAuthentication', {
              name: 'default',
              mtlsMode: 'STRICT',
            }),
          ],
        }),
        'pass',
        'Mesh mTLS is STRICT (PeerAuthentication, deploy/peerauthentication.yaml:1).',
      ],
      [
        'service mesh',
        repo({
          serviceMesh: [
            { tool: 'linkerd', file: 'deploy/base/namespace.yaml', line: 5 },
          ],
        }),
        'pass',
        'The linkerd service mesh encrypts traffic between services with mTLS (deploy/base/namespace.yaml:5).',
      ],
      [
        'Ingress without TLS',
        repo({ kubernetesObjects: [object('Ingress', { tls: false })] }),
        'fail',
        'Ingress checkout (deploy/ingress.yaml:1) has no TLS, and no mesh mTLS or securitySchemes in a provided API was found; attest if encryption and authentication are handled elsewhere.',
      ],
      [
        'nothing',
        repo({}),
        'fail',
        'No TLS on an Ingress or Gateway, no mesh mTLS and no securitySchemes in a provided API found; attest if encryption and authentication are handled elsewhere.',
      ],
      ['no repository and no API', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.staging-validation': [
      [
        'config scan on the staging overlay',
        repo({
          environments: [
            {
              name: 'staging',
              via: 'kustomize-overlay',
              file: 'deploy/overlays/staging/kustomization.yaml',
            },
          ],
          ci: [
            pipeline({
              scanners: [
                scanner({
                  tool: 'kubescape',
                  kind: 'config',
                  target: 'deploy/overlays/staging',
                }),
              ],
            }),
          ],
        }),
        'pass',
        'The staging environment (deploy/overlays/staging/kustomization.yaml) is validated by kubescape (.github/workflows/ci.yml:20).',
      ],
      [
        'CI deploys to staging',
        repo({
          ci: [pipeline({ deploys: [deploy({ environment: 'staging' })] })],
        }),
        'pass',
        'CI deploys to staging before production (.github/workflows/deploy.yml:30).',
      ],
      [
        'staging not validated',
        repo({
          environments: [
            { name: 'dev', via: 'helm-values', file: 'chart/values-dev.yaml' },
          ],
          ci: [
            pipeline({
              scanners: [
                scanner({
                  tool: 'checkov',
                  kind: 'config',
                  target: 'chart/values-prod.yaml',
                }),
              ],
              deploys: [deploy()],
            }),
          ],
        }),
        'fail',
        'The dev environment (chart/values-dev.yaml) is not validated: no config scan targets it and CI does not deploy to it.',
      ],
      [
        'production only',
        repo({
          environments: [
            {
              name: 'production',
              via: 'kustomize-overlay',
              file: 'deploy/overlays/production/kustomization.yaml',
            },
          ],
        }),
        'fail',
        'No staging, dev or test environment found (kustomize overlay, Helm values file or CI environment).',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.helm-or-gitops': [
      [
        'GitOps',
        repo({
          gitops: [
            { tool: 'argocd', file: 'argocd/application.yaml', line: 1 },
          ],
        }),
        'pass',
        'GitOps with argocd (argocd/application.yaml:1).',
      ],
      [
        'Helm chart',
        repo({
          helmCharts: [
            {
              file: 'charts/checkout/Chart.yaml',
              name: 'checkout',
              valuesFiles: [],
            },
          ],
        }),
        'pass',
        'Helm chart checkout (charts/checkout/Chart.yaml).',
      ],
      [
        'plain manifests',
        repo({ workloads: [workload()] }),
        'fail',
        'No Helm chart (Chart.yaml) or GitOps config (Argo CD, Flux, Config Sync) found in the repository.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.dashboards': [
      [
        'Grafana annotation',
        signalsFor(
          annotated({ 'grafana/overview-dashboard': 'https://grafana/d/abc' }),
        ),
        'pass',
        'Grafana dashboards linked (grafana/overview-dashboard).',
      ],
      [
        'dashboard link',
        signalsFor(
          svc(
            {},
            {
              links: [
                {
                  url: 'https://grafana.example.com/d/1',
                  title: 'Checkout SLOs',
                  type: 'dashboard',
                },
              ],
            },
          ),
        ),
        'pass',
        'Dashboard linked: Checkout SLOs.',
      ],
      [
        'none linked and none in the repository',
        repo({}),
        'fail',
        'No dashboard: set grafana/dashboard-selector or grafana/overview-dashboard, add a metadata.links entry of type dashboard, or commit dashboards as code (Grafana JSON, GrafanaDashboard, ConfigMap labelled grafana_dashboard).',
      ],
      [
        'none linked, and the repository unreadable',
        signalsFor(svc({}, { links: [{ url: 'https://wiki', type: 'docs' }] })),
        'unknown',
        UNKNOWN,
      ],
    ],
    'technology.secrets-manager': [
      [
        'ExternalSecret',
        repo({ kubernetesObjects: [object('ExternalSecret', { name: 'db' })] }),
        'pass',
        'Secrets from a secret manager: ExternalSecret db (deploy/externalsecret.yaml:1).',
      ],
      [
        'Vault agent annotations',
        repo({
          workloads: [
            workload([container()], {
              annotations: { 'vault.hashicorp.com/agent-inject': 'true' },
            }),
          ],
        }),
        'pass',
        'Secrets injected by Vault into Deployment checkout (deploy/base/deployment.yaml:1).',
      ],
      [
        'plain Secrets',
        repo({ kubernetesObjects: [object('Secret')] }),
        'fail',
        'No secret manager: no ExternalSecret, SealedSecret or Vault integration found in the repository.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.tracing': [
      [
        'OpenTelemetry',
        repo({
          observability: {
            openTelemetry: [{ file: 'src/tracing.ts', line: 3 }],
            slos: [],
            logPipelines: [],
            alertRules: [],
          },
        }),
        'pass',
        'Traced with OpenTelemetry (src/tracing.ts:3).',
      ],
      [
        'no OpenTelemetry',
        repo({}),
        'fail',
        'No tracing: no OpenTelemetry SDK as a direct dependency of a service (go.mod, package.json, requirements, pyproject.toml, pom.xml, build.gradle, *.csproj), no instrumentation annotation or OTLP endpoint in the manifests, and no collector configuration found in the repository.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.service-mesh': [
      [
        'Istio',
        repo({
          serviceMesh: [{ tool: 'istio', file: 'deploy/base/namespace.yaml' }],
        }),
        'pass',
        'Runs in the istio service mesh (deploy/base/namespace.yaml).',
      ],
      [
        'PeerAuthentication',
        repo({ kubernetesObjects: [object('PeerAuthentication')] }),
        'pass',
        'Runs in a service mesh (PeerAuthentication, deploy/peerauthentication.yaml:1).',
      ],
      [
        'no mesh',
        repo({}),
        'fail',
        'No service mesh (Istio, Linkerd, Cilium, Consul) configuration found in the repository.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.full-gitops': [
      [
        'GitOps only',
        repo({
          gitops: [
            { tool: 'flux', file: 'clusters/prod/checkout.yaml', line: 1 },
          ],
          ci: [pipeline({ deploys: [deploy({ tool: 'argocd app sync' })] })],
        }),
        'pass',
        'Every deploy goes through flux (clusters/prod/checkout.yaml:1); CI does not deploy imperatively.',
      ],
      [
        'GitOps beside helm upgrade in CI',
        repo({
          gitops: [
            { tool: 'argocd', file: 'argocd/application.yaml', line: 1 },
          ],
          ci: [
            pipeline({ deploys: [deploy({ tool: 'helm upgrade --install' })] }),
          ],
        }),
        'fail',
        'CI still deploys imperatively with helm upgrade --install (.github/workflows/deploy.yml:30) beside argocd.',
      ],
      [
        'no GitOps',
        repo({ ci: [pipeline({ deploys: [deploy()] })] }),
        'fail',
        'No GitOps controller config (Argo CD, Flux, Config Sync) found.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
    'technology.progressive-delivery': [
      [
        'Argo Rollouts',
        repo({
          progressiveDelivery: [
            { tool: 'argo-rollouts', file: 'deploy/rollout.yaml', line: 1 },
          ],
        }),
        'pass',
        'Progressive delivery with argo-rollouts (deploy/rollout.yaml:1).',
      ],
      [
        'a Flagger Canary object',
        repo({ kubernetesObjects: [object('Canary')] }),
        'pass',
        'Progressive delivery with a Canary (deploy/canary.yaml:1).',
      ],
      [
        'none',
        repo({ workloads: [workload()] }),
        'fail',
        'No progressive delivery (Argo Rollouts, Flagger) found; every release reaches all users at once.',
      ],
      ['no repository', noRepo, 'unknown', UNKNOWN],
    ],
  };

  describe.each(Object.entries(cases))('%s', (id, table) => {
    it.each(table)('%s', (_name, signals, status, message) => {
      const outcome = technologyEvaluators[id](signals);
      expect(outcome.status).toBe(status);
      expect(outcome.message).toBe(message);
    });
  });

  it('cites the offending container file and line', () => {
    const outcome = technologyEvaluators['technology.health-probes'](
      repo({ workloads: [workload([container({ livenessProbe: false })])] }),
    );
    expect(outcome.evidence).toEqual([
      {
        type: 'file',
        label: 'deploy/base/deployment.yaml',
        line: 1,
        value: 'api: has no liveness probe',
      },
    ]);
  });

  it('cites each provided API as a catalog fact', () => {
    const outcome = technologyEvaluators['technology.api-exposed'](
      signalsFor(svc({ providesApis: ['checkout-api'] }), {
        related: [api('checkout-api', OPENAPI_WITH_AUTH)],
      }),
    );
    expect(outcome.evidence).toEqual([
      {
        type: 'catalog',
        label: 'spec.providesApis',
        value: 'api:default/checkout-api',
        ref: 'api:default/checkout-api',
      },
    ]);
  });

  const hostile: Entity[] = [
    hostileComponent({ name: 'no-spec' }),
    hostileComponent(
      {
        name: 'wrong-types',
        annotations: ['grafana/dashboard-selector'],
        links: [null, 3, { url: 5, type: 'dashboard' }],
      },
      {
        lifecycle: { production: true },
        dependsOn: { ref: 'resource:default/db' },
        providesApis: [1, null, {}, 'api:'],
      },
    ),
    hostileComponent(
      {
        name: 'odd-values',
        annotations: {
          'grafana/dashboard-selector': 3,
          'backstage.io/kubernetes-id': null,
        },
      },
      'service',
    ),
  ];

  it.each(hostile.map(e => [e.metadata.name, e]))(
    'never throws on a hostile entity (%s)',
    (_name, entity) => {
      for (const evaluate of Object.values(technologyEvaluators)) {
        for (const signals of [
          signalsFor(entity as Entity),
          signalsFor(entity as Entity, { extraction: {} }),
        ]) {
          expect(['pass', 'fail', 'unknown']).toContain(
            evaluate(signals).status,
          );
        }
      }
    },
  );
});

describe('technology.container-hygiene on Dockerfiles as Docker builds them', () => {
  const hygiene = technologyEvaluators['technology.container-hygiene'];
  const check = (text: string) =>
    hygiene(
      repoFor(service)({ dockerfiles: [parseDockerfile('Dockerfile', text)] }),
    );
  const PASS =
    'All Dockerfiles run as a non-root user on a pinned base image (Dockerfile).';

  it.each([
    [
      'a stage reference is the stage, not an untagged image',
      'FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM build AS release\nUSER 10001',
    ],
    [
      'flags before an image with tag and digest',
      'FROM --platform=$BUILDPLATFORM node:22-slim@sha256:ab12\nUSER node',
    ],
    [
      'an ARG-templated tag',
      'ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}\nUSER 1000',
    ],
    [
      'an ARG without a default',
      'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nUSER app',
    ],
    [
      'FROM scratch',
      'FROM golang:1.22 AS build\nFROM scratch\nCOPY --from=build /app /app\nUSER 65532:65532',
    ],
    [
      'distroless :nonroot without USER',
      'FROM gcr.io/distroless/static:nonroot\nCOPY app /',
    ],
  ])('passes %s', (_name, text) => {
    expect(check(text)).toMatchObject({ status: 'pass', message: PASS });
  });

  it.each([
    [
      'a stage built on an untagged image',
      'FROM golang AS build\nFROM build AS release\nUSER 10001',
      'the runtime base image golang (stage build) in Dockerfile:2 has no version tag',
      2,
    ],
    [
      'an ARG default without a tag',
      'ARG BASE_IMAGE=alpine\nFROM ${BASE_IMAGE}\nUSER app',
      'the runtime base image alpine in Dockerfile:2 has no version tag',
      2,
    ],
    [
      'a latest-<arch> tag',
      'ARG ARCH\nFROM gcr.io/distroless/static:latest-${ARCH}\nUSER nobody',
      'the runtime base image gcr.io/distroless/static:latest-${ARCH} in Dockerfile:2 uses the latest tag',
      2,
    ],
    [
      'USER root last',
      'FROM node:22 AS build\nUSER node\nFROM node:22-slim\nUSER app\nUSER root',
      'Dockerfile:5 sets USER root',
      5,
    ],
  ])('fails %s', (_name, text, problem, line) => {
    const outcome = check(text);
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toBe(`Container hygiene: ${problem}.`);
    expect(outcome.evidence).toEqual([
      expect.objectContaining({ label: 'Dockerfile', line }),
    ]);
  });

  it('fails a USER that only a build stage sets', () => {
    const outcome = check(
      'FROM golang:1.22 AS build\nUSER builder\nFROM alpine:3.20\nCOPY --from=build /app /app',
    );
    expect(outcome).toMatchObject({
      status: 'fail',
      message:
        'Container hygiene: Dockerfile has no USER in its final stage, so the container runs as root.',
    });
  });
});
