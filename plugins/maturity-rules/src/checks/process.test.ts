import { Entity } from '@backstage/catalog-model';
import {
  CiDeploy,
  FoundScanner,
  MaturityCheckOutcome,
  MaturitySignals,
} from '../model';
import {
  annotatedComponent,
  Case,
  CI,
  deploy as baseDeploy,
  hostileComponent,
  pipeline,
  repoFor,
  scanner as baseScanner,
  workload,
} from '../testUtils/extractions';
import { emptyExtraction, signalsFor } from '../testUtils/signals';
import {
  evaluateAlerting,
  evaluateAutomatedRemediation,
  evaluateAutoscaling,
  evaluateCiExists,
  evaluateCiPipeline,
  evaluateCodeQuality,
  evaluateConfigScan,
  evaluateContainerBuild,
  evaluateContainerScan,
  evaluateContinuousDeployment,
  evaluateContinuousScanning,
  evaluateDeployFromScm,
  evaluateLogAggregation,
  evaluateNoHumanProdAccess,
  evaluateOnCall,
  evaluateProductionApprovalGate,
  evaluateReleaseCadence,
  evaluateSourceControl,
  evaluateSupplyChain,
  processEvaluators,
} from './process';

const scanner = (
  kind: FoundScanner['kind'],
  tool: string,
  blocking = true,
): FoundScanner => baseScanner({ kind, tool, blocking, line: 12 });

const deploy = (overrides: Partial<CiDeploy> = {}) =>
  baseDeploy({ tool: 'helm', file: CI, line: 40, ...overrides });

const svc = annotatedComponent;
const repo = repoFor(svc);
const noRepo = (entity = svc()) => signalsFor(entity);

function runCases(
  evaluate: (s: MaturitySignals) => MaturityCheckOutcome,
  cases: Case[],
) {
  it.each(cases)('%s', (_name, signals, status, message) => {
    const outcome = evaluate(signals);
    expect(outcome.status).toBe(status);
    expect(outcome.message).toContain(message);
  });
}

describe('processEvaluators', () => {
  it('covers exactly the process checks of the rubric', () => {
    expect(Object.keys(processEvaluators)).toEqual([
      'process.source-control',
      'process.ci-exists',
      'process.ci-pipeline',
      'process.container-build',
      'process.deploy-from-scm',
      'process.container-scan',
      'process.config-scan',
      'process.log-aggregation',
      'process.code-quality',
      'process.continuous-scanning',
      'process.alerting',
      'process.release-cadence',
      'process.production-approval-gate',
      'process.automated-remediation',
      'process.on-call',
      'process.autoscaling',
      'process.continuous-deployment',
      'process.supply-chain',
      'process.no-human-prod-access',
    ]);
  });

  const hostile: Array<[string, Entity]> = [
    [
      'annotations is an array',
      { ...svc(), metadata: { name: 'x', annotations: ['a'] as any } },
    ],
    [
      'annotation values are not strings',
      svc({ 'pagerduty.com/integration-key': 42, 'argocd/app-name': {} }),
    ],
    [
      'links is an object, spec missing',
      hostileComponent({ name: 'x', links: { type: 'logs' } }),
    ],
    [
      'links entries are junk',
      svc({}, { links: [null, 3, { type: 'logs', url: 7 }] }),
    ],
    ['metadata is missing', { apiVersion: 'v1', kind: 'Component' } as any],
  ];
  it.each(hostile)('never throws on a hostile entity (%s)', (_name, entity) => {
    for (const evaluate of Object.values(processEvaluators)) {
      for (const signals of [
        signalsFor(entity),
        signalsFor(entity, { extraction: {} }),
      ]) {
        const outcome = evaluate(signals);
        expect(['pass', 'fail', 'unknown']).toContain(outcome.status);
        expect(typeof outcome.message).toBe('string');
      }
    }
  });
});

describe('process.source-control', () => {
  runCases(evaluateSourceControl, [
    [
      'passes on a source location',
      noRepo(
        svc({
          'backstage.io/source-location': 'url:https://github.com/acme/svc/',
        }),
      ),
      'pass',
      'Source code is in url:https://github.com/acme/svc/',
    ],
    [
      'passes on a GitLab project slug',
      noRepo(svc({ 'gitlab.com/project-slug': 'acme/svc' })),
      'pass',
      'acme/svc (gitlab.com/project-slug)',
    ],
    [
      'does not take a Sentry project slug for a repository',
      noRepo(svc({ 'sentry.io/project-slug': 'svc' })),
      'fail',
      'No source control location',
    ],
    [
      'passes when the repository was read',
      repo({}),
      'pass',
      'https://example.com/repo',
    ],
    [
      'fails without any source annotation, never unknown',
      noRepo(svc({ 'backstage.io/source-location': '' })),
      'fail',
      'set backstage.io/source-location or a project slug annotation',
    ],
  ]);

  it('cites the annotation as evidence', () => {
    expect(
      evaluateSourceControl(
        noRepo(svc({ 'github.com/project-slug': 'acme/svc' })),
      ).evidence,
    ).toEqual([
      {
        type: 'annotation',
        label: 'github.com/project-slug',
        value: 'acme/svc',
      },
    ]);
  });
});

describe('process.ci-exists', () => {
  runCases(evaluateCiExists, [
    [
      'passes on a workflow',
      repo({ ci: [pipeline()] }),
      'pass',
      `CI runs in ${CI} (GitHub Actions)`,
    ],
    [
      'passes on a Jenkins job annotation without the repository',
      noRepo(svc({ 'jenkins.io/job-full-name': 'acme/svc' })),
      'pass',
      'A CI pipeline is linked: acme/svc (jenkins.io/job-full-name)',
    ],
    [
      'passes on a CI annotation when the repository has no CI file',
      repo({}, svc({ 'circleci.com/project-slug': 'github/acme/svc' })),
      'pass',
      'circleci.com/project-slug',
    ],
    [
      'fails when nothing runs CI',
      repo({}),
      'fail',
      'No CI pipeline: no GitHub Actions workflow, .gitlab-ci.yml, Jenkinsfile',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'The repository could not be read',
    ],
  ]);
});

describe('process.ci-pipeline', () => {
  runCases(evaluateCiPipeline, [
    [
      'passes and names each file',
      repo({
        ci: [
          pipeline(),
          pipeline({ system: 'gitlab-ci', file: '.gitlab-ci.yml' }),
        ],
      }),
      'pass',
      `CI is configured in ${CI} (GitHub Actions) and .gitlab-ci.yml (GitLab CI).`,
    ],
    [
      'fails without a CI config, even with a CI annotation',
      repo({}, svc({ 'jenkins.io/job-full-name': 'acme/svc' })),
      'fail',
      'No CI configuration in the repository',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('process.container-build', () => {
  const dockerfile = { file: 'Dockerfile', baseImages: [] };
  const dockerBuild = { tool: 'docker build', file: CI, line: 20 };
  runCases(evaluateContainerBuild, [
    [
      'passes on a Dockerfile built in CI',
      repo({
        dockerfiles: [dockerfile],
        ci: [pipeline({ imageBuilds: [dockerBuild] })],
      }),
      'pass',
      `CI builds the image from Dockerfile (docker build in ${CI}).`,
    ],
    [
      'passes on ko without a Dockerfile',
      repo({
        ci: [pipeline({ imageBuilds: [{ tool: 'ko build', file: CI }] })],
      }),
      'pass',
      `CI builds the image with ko build in ${CI}.`,
    ],
    [
      'fails on a Dockerfile that CI never builds',
      repo({ dockerfiles: [dockerfile], ci: [pipeline()] }),
      'fail',
      'Dockerfile is in the repository, but no CI pipeline builds an image',
    ],
    [
      'fails on a docker build without a Dockerfile',
      repo({ ci: [pipeline({ imageBuilds: [dockerBuild] })] }),
      'fail',
      'there is no Dockerfile or Containerfile in the repository',
    ],
    [
      'does not take a dev container for the service recipe',
      repo({
        dockerfiles: [
          { file: '.devcontainer/Dockerfile', baseImages: [], stray: true },
        ],
        ci: [pipeline({ imageBuilds: [dockerBuild] })],
      }),
      'fail',
      `CI runs docker build in ${CI}, but there is no Dockerfile or Containerfile in the repository (.devcontainer/Dockerfile is not one: nothing builds it)`,
    ],
    [
      'fails with neither',
      repo({}),
      'fail',
      'No container build: no Dockerfile or Containerfile',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('process.deploy-from-scm', () => {
  runCases(evaluateDeployFromScm, [
    [
      'passes on a deploy on merge',
      repo({ ci: [pipeline({ deploys: [deploy()] })] }),
      'pass',
      `helm in ${CI} deploys to production on merge to the default branch.`,
    ],
    [
      'passes on a deploy on tags',
      repo({
        ci: [
          pipeline({
            deploys: [deploy({ onDefaultBranch: false, onTags: true })],
          }),
        ],
      }),
      'pass',
      'on tags',
    ],
    [
      'passes on GitOps config in the repository',
      repo({
        gitops: [{ tool: 'flux', file: 'clusters/prod/kustomization.yaml' }],
      }),
      'pass',
      'Flux deploys from Git: configured in clusters/prod/kustomization.yaml.',
    ],
    [
      'passes on argocd/app-name without the repository',
      noRepo(svc({ 'argocd/app-name': 'svc-prod' })),
      'pass',
      'Argo CD deploys the service from Git (argocd/app-name: svc-prod).',
    ],
    [
      'fails on a deploy that runs only by hand',
      repo({
        ci: [
          pipeline({
            deploys: [deploy({ onDefaultBranch: false, manualApproval: true })],
          }),
        ],
      }),
      'fail',
      `the deploy in ${CI} runs only by hand`,
    ],
    [
      'fails without any deploy',
      repo({ ci: [pipeline()] }),
      'fail',
      'no CI deploy job runs on merge to the default branch or on tags, there is no Argo CD, Flux or Config Sync config in the repository, and no argocd/app-name annotation',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('process.container-scan', () => {
  runCases(evaluateContainerScan, [
    [
      'passes on Trivy',
      repo({ ci: [pipeline({ scanners: [scanner('container', 'trivy')] })] }),
      'pass',
      `Trivy scans the image in ${CI}.`,
    ],
    [
      'passes on a report-only Grype scan and says so',
      repo({
        ci: [
          pipeline({
            scanners: [
              scanner('container', 'anchore/scan-action grype', false),
            ],
          }),
        ],
      }),
      'pass',
      `Grype scans the image in ${CI} (report only)`,
    ],
    [
      'fails on a config scan only',
      repo({ ci: [pipeline({ scanners: [scanner('config', 'checkov')] })] }),
      'fail',
      'No container image scan in CI: no Trivy, Grype, Snyk container or Docker Scout step, and no pushed container-scan fact',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);

  it('cites the step file and line', () => {
    const outcome = evaluateContainerScan(
      repo({ ci: [pipeline({ scanners: [scanner('container', 'trivy')] })] }),
    );
    expect(outcome.evidence).toEqual([
      { type: 'file', label: CI, line: 12, value: 'trivy' },
    ]);
  });
});

describe('process.config-scan', () => {
  runCases(evaluateConfigScan, [
    [
      'passes on Checkov',
      repo({ ci: [pipeline({ scanners: [scanner('config', 'checkov')] })] }),
      'pass',
      `Checkov scans the configuration in ${CI}.`,
    ],
    [
      'passes on conftest (a policy run)',
      repo({
        ci: [pipeline({ scanners: [scanner('policy', 'conftest', false)] })],
      }),
      'pass',
      'conftest scans the configuration',
    ],
    [
      'fails on an image scan only',
      repo({ ci: [pipeline({ scanners: [scanner('container', 'trivy')] })] }),
      'fail',
      'No configuration scan in CI: no trivy config, Checkov, Kubescape',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('process.log-aggregation', () => {
  runCases(evaluateLogAggregation, [
    [
      'passes on a logs link without the repository',
      noRepo(
        svc(
          {},
          {
            links: [
              {
                url: 'https://logs.example.com/svc',
                type: 'logs',
                title: 'Loki',
              },
            ],
          },
        ),
      ),
      'pass',
      'Logs are linked from the catalog: Loki.',
    ],
    [
      'passes on a log annotation without the repository',
      noRepo(svc({ 'logs.example.com/query': '{app="svc"}' })),
      'pass',
      'Logs are configured by the annotation logs.example.com/query.',
    ],
    [
      'passes on a log pipeline in the repository',
      repo({
        observability: {
          openTelemetry: [],
          slos: [],
          alertRules: [],
          logPipelines: [
            { tool: 'fluent-bit', file: 'deploy/fluent-bit.yaml' },
          ],
        },
      }),
      'pass',
      'Logs are shipped by Fluent Bit (deploy/fluent-bit.yaml).',
    ],
    [
      'does not read its own attestation annotation as a log annotation',
      repo(
        {},
        svc({
          'cloud-native-maturity/attest.process.log-aggregation':
            '2026-01-01 https://x',
        }),
      ),
      'fail',
      'No log aggregation: no metadata.links entry of type logs, no log annotation, and no log pipeline',
    ],
    [
      'is unknown without the repository and without catalog hints',
      noRepo(svc({}, { links: [{ url: 'https://x', type: 'dashboard' }] })),
      'unknown',
      'could not be read',
    ],
  ]);

  it('cites the link', () => {
    expect(
      evaluateLogAggregation(
        noRepo(svc({}, { links: [{ url: 'https://logs', type: 'LOGS' }] })),
      ).evidence,
    ).toEqual([
      { type: 'catalog', label: 'metadata.links', value: 'https://logs' },
    ]);
  });
});

describe('process.code-quality', () => {
  runCases(evaluateCodeQuality, [
    [
      'passes on the SonarQube annotation without the repository',
      noRepo(svc({ 'sonarqube.org/project-key': 'acme_svc' })),
      'pass',
      'SonarQube analyses the code (project acme_svc).',
    ],
    [
      'passes on a Sonar scan in CI',
      repo({
        ci: [
          pipeline({ scanners: [scanner('sast', 'sonarcloud-github-action')] }),
        ],
      }),
      'pass',
      `A SonarQube analysis runs in ${CI}.`,
    ],
    [
      'fails on CodeQL only',
      repo({ ci: [pipeline({ scanners: [scanner('sast', 'codeql')] })] }),
      'fail',
      'no sonarqube.org/project-key annotation and no SonarQube or SonarCloud scan in CI',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('process.continuous-scanning', () => {
  const scheduled = pipeline({
    file: '.github/workflows/nightly.yml',
    triggers: { ...pipeline().triggers, schedule: true },
    scanners: [scanner('container', 'trivy')],
  });
  runCases(evaluateContinuousScanning, [
    [
      'passes on a scheduled scan',
      repo({ ci: [scheduled] }),
      'pass',
      'Scans run continuously: Trivy on a schedule in .github/workflows/nightly.yml.',
    ],
    [
      'passes on Renovate',
      repo({
        dependencyUpdates: [
          { tool: 'renovate', file: 'renovate.json', securityUpdates: false },
        ],
      }),
      'pass',
      'Renovate (renovate.json)',
    ],
    [
      'fails when scans run only on changes',
      repo({ ci: [pipeline({ scanners: [scanner('container', 'trivy')] })] }),
      'fail',
      `no scheduled pipeline runs a scanner (the scans in ${CI} run only on changes), and neither Dependabot nor Renovate is configured`,
    ],
    [
      'fails on a schedule without a scanner',
      repo({ ci: [{ ...scheduled, scanners: [] }] }),
      'fail',
      'No continuous scanning',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('process.alerting', () => {
  runCases(evaluateAlerting, [
    [
      'passes on grafana/alert-label-selector without the repository',
      noRepo(svc({ 'grafana/alert-label-selector': 'service=svc' })),
      'pass',
      'Alerts are configured (grafana/alert-label-selector: service=svc).',
    ],
    [
      'passes on a PrometheusRule',
      repo({
        kubernetesObjects: [
          {
            apiVersion: 'monitoring.coreos.com/v1',
            kind: 'PrometheusRule',
            file: 'deploy/alerts.yaml',
          },
        ],
      }),
      'pass',
      'Alert rules are defined in deploy/alerts.yaml.',
    ],
    [
      'fails without rules',
      repo({}),
      'fail',
      'No alerting: no alert rules or PrometheusRule in the repository, and no prometheus.io/alert or grafana/alert-label-selector annotation',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('process.release-cadence', () => {
  it.each([
    ['without the repository', noRepo()],
    ['with the repository', repo({ ci: [pipeline({ deploys: [deploy()] })] })],
  ])('is unknown until delivery facts are pushed (%s)', (_name, signals) => {
    expect(evaluateReleaseCadence(signals)).toEqual({
      status: 'unknown',
      message:
        'No delivery metrics have been pushed for this service yet (POST /api/maturity/facts)',
      evidence: [],
    });
  });

  const dora = (
    deploymentsPerWeek: unknown,
    timestamp = '2026-11-24T18:00:00Z',
  ) =>
    signalsFor(svc(), {
      facts: [{ source: 'dora', timestamp, values: { deploymentsPerWeek } }],
    });

  it('passes on at least weekly deploys from recent delivery metrics', () => {
    expect(evaluateReleaseCadence(dora(6))).toMatchObject({
      status: 'pass',
      message: 'Deploys 6 times per week (delivery metrics of 2026-11-24).',
    });
  });

  it('fails on rare deploys or stale metrics, saying which', () => {
    expect(evaluateReleaseCadence(dora(0.5)).message).toBe(
      'The service deploys 0.5 per week; a regular cadence is at least weekly.',
    );
    expect(
      evaluateReleaseCadence(dora(6, '2026-09-01T00:00:00Z')).message,
    ).toBe(
      'The delivery metrics are from 2026-09-01T00:00:00Z, more than 30 days ago; push current ones from CI.',
    );
    expect(evaluateReleaseCadence(dora('lots')).status).toBe('fail');
  });
});

describe('process.production-approval-gate', () => {
  runCases(evaluateProductionApprovalGate, [
    [
      'passes on a manual approval',
      repo({
        ci: [
          pipeline({
            system: 'jenkins',
            file: 'Jenkinsfile',
            deploys: [deploy({ file: 'Jenkinsfile', manualApproval: true })],
          }),
        ],
      }),
      'pass',
      'The production deploy in Jenkinsfile waits for a manual approval.',
    ],
    [
      'passes on a GitHub production environment and says rules are not visible',
      repo({
        ci: [pipeline({ deploys: [deploy({ environment: 'production-eu' })] })],
      }),
      'pass',
      `The production deploy in ${CI} runs in the GitHub environment "production-eu"; its approval rules are set in GitHub and are not visible in the repository.`,
    ],
    [
      'passes on Argo Rollouts with an AnalysisTemplate',
      repo({
        progressiveDelivery: [
          { tool: 'argo-rollouts', file: 'deploy/rollout.yaml' },
        ],
        kubernetesObjects: [
          {
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'AnalysisTemplate',
            file: 'deploy/analysis.yaml',
          },
        ],
      }),
      'pass',
      'Argo Rollouts promotes to production only after the analysis in deploy/analysis.yaml.',
    ],
    [
      'fails on Argo Rollouts without analysis',
      repo({
        progressiveDelivery: [
          { tool: 'argo-rollouts', file: 'deploy/rollout.yaml' },
        ],
      }),
      'fail',
      'no production deploy is visible in CI, and there is no progressive delivery with automated analysis',
    ],
    [
      'fails on an ungated Jenkins production deploy',
      repo({
        ci: [
          pipeline({
            system: 'jenkins',
            file: 'Jenkinsfile',
            deploys: [deploy({ file: 'Jenkinsfile' })],
          }),
        ],
      }),
      'fail',
      'the production deploy in Jenkinsfile needs no approval',
    ],
    [
      'fails when only staging is gated',
      repo({
        ci: [
          pipeline({
            deploys: [deploy({ environment: 'staging', manualApproval: true })],
          }),
        ],
      }),
      'fail',
      'No approval gate before production',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('process.automated-remediation', () => {
  runCases(evaluateAutomatedRemediation, [
    [
      'passes on Dependabot security updates',
      repo({
        dependencyUpdates: [
          {
            tool: 'dependabot',
            file: '.github/dependabot.yml',
            securityUpdates: true,
          },
        ],
      }),
      'pass',
      'Dependabot opens security updates (.github/dependabot.yml).',
    ],
    [
      'fails on Renovate without security updates',
      repo({
        dependencyUpdates: [
          { tool: 'renovate', file: 'renovate.json', securityUpdates: false },
        ],
      }),
      'fail',
      'Renovate is configured in renovate.json, but security updates are not enabled',
    ],
    [
      'is unknown when Renovate extends a preset kept elsewhere',
      repo({
        dependencyUpdates: [
          {
            tool: 'renovate',
            file: '.github/renovate.json5',
            securityUpdates: false,
            sharedPresets: ['github>acme/renovate-config'],
          },
        ],
      }),
      'unknown',
      'Renovate in .github/renovate.json5 extends github>acme/renovate-config, a preset kept elsewhere that is not read',
    ],
    [
      'fails without a bot',
      repo({}),
      'fail',
      'neither Dependabot nor Renovate is configured with security updates',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('process.on-call', () => {
  const pagerduty = { 'pagerduty.com/integration-key': 'abc123' };
  runCases(evaluateOnCall, [
    [
      'passes on PagerDuty with an alert annotation, without the repository',
      noRepo(svc({ ...pagerduty, 'prometheus.io/alert': 'svc' })),
      'pass',
      'PagerDuty is on call (pagerduty.com/integration-key) and alerts are set up.',
    ],
    [
      'passes on Opsgenie with alert rules in the repository',
      repo(
        {
          observability: {
            openTelemetry: [],
            slos: [],
            logPipelines: [],
            alertRules: [{ file: 'alerts/rules.yaml', line: 1 }],
          },
        },
        svc({ 'opsgenie.com/team': 'payments' }),
      ),
      'pass',
      'Opsgenie is on call (opsgenie.com/team) and alerts are set up.',
    ],
    [
      'fails without an on-call annotation, even without the repository',
      noRepo(svc({ 'prometheus.io/alert': 'svc' })),
      'fail',
      'No on-call rotation: set pagerduty.com/integration-key, pagerduty.com/service-id, opsgenie.com/component-selector or opsgenie.com/team',
    ],
    [
      'fails when nothing alerts the rotation',
      repo({}, svc(pagerduty)),
      'fail',
      'PagerDuty is on call (pagerduty.com/integration-key), but nothing alerts it',
    ],
    [
      'is unknown when alerting needs the unreadable repository',
      noRepo(svc(pagerduty)),
      'unknown',
      'whether alerts reach it is unknown. The repository could not be read',
    ],
  ]);
});

describe('process.autoscaling', () => {
  runCases(evaluateAutoscaling, [
    [
      'passes on an HPA',
      repo({
        kubernetesObjects: [
          {
            apiVersion: 'autoscaling/v2',
            kind: 'HorizontalPodAutoscaler',
            name: 'svc',
            file: 'deploy/hpa.yaml',
          },
        ],
      }),
      'pass',
      'Scales automatically: HorizontalPodAutoscaler svc in deploy/hpa.yaml.',
    ],
    [
      'passes on a KEDA ScaledObject',
      repo({
        kubernetesObjects: [
          {
            apiVersion: 'keda.sh/v1alpha1',
            kind: 'ScaledObject',
            file: 'deploy/keda.yaml',
          },
        ],
      }),
      'pass',
      'ScaledObject in deploy/keda.yaml',
    ],
    [
      'fails without one',
      repo({
        kubernetesObjects: [
          { apiVersion: 'apps/v1', kind: 'Deployment', file: 'deploy/d.yaml' },
        ],
      }),
      'fail',
      'No autoscaling: no HorizontalPodAutoscaler or KEDA ScaledObject in the manifests.',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

const productionOverlay = {
  name: 'production',
  via: 'kustomize-overlay' as const,
  file: 'deploy/overlays/production/kustomization.yaml',
};

describe('process.continuous-deployment', () => {
  runCases(evaluateContinuousDeployment, [
    [
      'passes on an unattended production deploy on merge',
      repo({ ci: [pipeline({ deploys: [deploy()] })] }),
      'pass',
      `Every merge to the default branch deploys to production (${CI}) without a manual step.`,
    ],
    [
      'passes on GitOps with a production overlay of the service',
      repo({
        gitops: [{ tool: 'argocd', file: 'argocd/app.yaml' }],
        environments: [productionOverlay],
        kustomize: [
          {
            file: 'deploy/overlays/production/kustomization.yaml',
            resources: ['../../base'],
          },
        ],
        workloads: [workload()],
      }),
      'pass',
      'Argo CD syncs production from Git (argocd/app.yaml, deploy/overlays/production/kustomization.yaml).',
    ],
    [
      'fails on GitOps with a production overlay that only adds configuration',
      repo({
        gitops: [{ tool: 'config-sync', file: 'iac/acm.tf' }],
        environments: [productionOverlay],
        kustomize: [
          {
            file: 'deploy/overlays/production/kustomization.yaml',
            resources: ['namespace.yaml', 'configmap.yaml'],
          },
        ],
        workloads: [workload({ file: 'apps/checkout/deployment.yaml' })],
      }),
      'fail',
      'No continuous deployment: Config Sync is configured in iac/acm.tf, but no production environment is visible.',
    ],
    [
      'passes on a production overlay whose HelmRelease deploys the service',
      repo({
        gitops: [{ tool: 'flux', file: 'clusters/production/apps.yaml' }],
        environments: [productionOverlay],
        kustomize: [
          {
            file: 'deploy/overlays/production/kustomization.yaml',
            resources: ['../../base/app'],
          },
        ],
        kubernetesObjects: [
          {
            apiVersion: 'helm.toolkit.fluxcd.io/v2',
            kind: 'HelmRelease',
            name: 'app',
            file: 'deploy/base/app/release.yaml',
          },
        ],
      }),
      'pass',
      'Flux syncs production from Git',
    ],
    [
      'fails on a manual production step',
      repo({ ci: [pipeline({ deploys: [deploy({ manualApproval: true })] })] }),
      'fail',
      `No continuous deployment: the production deploy in ${CI} needs a manual step.`,
    ],
    [
      'fails on tag-only production deploys',
      repo({
        ci: [
          pipeline({
            deploys: [deploy({ onDefaultBranch: false, onTags: true })],
          }),
        ],
      }),
      'fail',
      'does not run on merge to the default branch',
    ],
    [
      'fails on GitOps without a production environment',
      repo({ gitops: [{ tool: 'flux', file: 'flux/kustomization.yaml' }] }),
      'fail',
      'Flux is configured in flux/kustomization.yaml, but no production environment is visible',
    ],
    [
      'fails when only staging deploys on merge',
      repo({
        ci: [pipeline({ deploys: [deploy({ environment: 'staging' })] })],
      }),
      'fail',
      'no production deploy runs on merge to the default branch, and no GitOps config syncs a production environment',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('process.supply-chain', () => {
  const complete = [
    scanner('sbom', 'syft'),
    scanner('signing', 'cosign sign'),
    scanner('provenance', 'slsa-framework/slsa-github-generator'),
  ];
  runCases(evaluateSupplyChain, [
    [
      'passes with SBOM, signing, provenance and pinned actions',
      repo({
        ci: [
          pipeline({
            scanners: complete,
            actions: { total: 5, pinnedBySha: 5 },
          }),
        ],
      }),
      'pass',
      `Supply chain secured: SBOM by Syft in ${CI}, signing by cosign in ${CI}, provenance by SLSA in ${CI} and all 5 GitHub Actions pinned by commit SHA.`,
    ],
    [
      'passes on GitLab where there are no actions to pin',
      repo({
        ci: [
          pipeline({
            system: 'gitlab-ci',
            file: '.gitlab-ci.yml',
            scanners: complete,
          }),
        ],
      }),
      'pass',
      'Supply chain secured',
    ],
    [
      'lists everything that is missing',
      repo({
        ci: [
          pipeline({
            scanners: [scanner('sbom', 'syft')],
            actions: { total: 7, pinnedBySha: 4 },
          }),
        ],
      }),
      'fail',
      'Supply chain incomplete: no image signing (cosign, Notation), no build provenance (SLSA generator) and 3 of 7 GitHub Actions not pinned by commit SHA.',
    ],
    [
      'fails on unpinned actions alone',
      repo({
        ci: [
          pipeline({
            scanners: complete,
            actions: { total: 2, pinnedBySha: 1 },
          }),
        ],
      }),
      'fail',
      'Supply chain incomplete: 1 of 2 GitHub Actions not pinned by commit SHA.',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('process.no-human-prod-access', () => {
  it('fails until attested, even with a perfect repository', () => {
    const outcome = evaluateNoHumanProdAccess(repo(emptyExtraction()));
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatch(
      /^Not attested yet: confirm that no person has standing access to change production by hand/,
    );
  });
});

describe('scans pushed from outside the repository', () => {
  const pushed = (source: string, timestamp: string) =>
    signalsFor(svc(), {
      facts: [{ source, timestamp, values: { critical: 0 } }],
    });

  it('a recent container-scan fact passes process.container-scan, even without the repository', () => {
    expect(
      evaluateContainerScan(pushed('container-scan', '2026-11-25T06:00:00Z')),
    ).toMatchObject({
      status: 'pass',
      message:
        'The image is scanned outside this repository (pushed container-scan fact of 2026-11-25).',
    });
  });

  it('a recent config-scan fact passes process.config-scan', () => {
    expect(
      evaluateConfigScan(pushed('config-scan', '2026-11-20T06:00:00Z')).status,
    ).toBe('pass');
  });

  it('an old fact does not count', () => {
    expect(
      evaluateContainerScan(pushed('container-scan', '2026-09-01T06:00:00Z'))
        .status,
    ).toBe('unknown');
  });
});
