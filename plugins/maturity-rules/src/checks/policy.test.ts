import { Entity } from '@backstage/catalog-model';
import {
  ContainerFacts,
  FoundScanner,
  MaturityCheckOutcome,
  MaturitySignals,
  RepoExtraction,
  WorkloadFacts,
} from '../model';
import {
  annotatedComponent,
  Case,
  CI,
  container as baseContainer,
  pipeline as basePipeline,
  repoFor,
  scanner as baseScanner,
  workload as baseWorkload,
} from '../testUtils/extractions';
import { signalsFor } from '../testUtils/signals';
import {
  evaluateComplianceRequirements,
  evaluateDocumentedStandards,
  evaluateInitialAudit,
  evaluatePolicyAsCodeInCi,
  evaluateResourceMetrics,
  evaluateSloDefined,
  policyEvaluators,
} from './policy';

const pipeline = (scanners: FoundScanner[]) => basePipeline({ scanners });

const scanner = (
  kind: FoundScanner['kind'],
  tool: string,
  blocking = true,
): FoundScanner => baseScanner({ kind, tool, blocking, line: 30 });

const container = (
  name: string,
  requests: ContainerFacts['requests'] = { cpu: '100m', memory: '128Mi' },
) => baseContainer({ name, requests });

const workload = (overrides: Partial<WorkloadFacts> = {}) =>
  baseWorkload({
    file: 'deploy/deployment.yaml',
    name: 'svc',
    containers: [container('app')],
    ...overrides,
  });

const scraped = { 'prometheus.io/scrape': 'true' };

const svc = (annotations: Record<string, unknown> = {}) =>
  annotatedComponent(annotations);
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

describe('policyEvaluators', () => {
  it('covers exactly the policy checks of the rubric', () => {
    expect(Object.keys(policyEvaluators)).toEqual([
      'policy.compliance-requirements',
      'policy.documented-standards',
      'policy.resource-metrics',
      'policy.initial-audit',
      'policy.policy-as-code-in-ci',
      'policy.slo-defined',
    ]);
  });

  it.each([
    [
      'annotations is a string',
      { ...svc(), metadata: { name: 'x', annotations: 'x' as any } },
    ],
    [
      'annotation values are objects',
      svc({ 'backstage.io/techdocs-ref': {}, 'grafana/x': 1 }),
    ],
    [
      'metadata is missing',
      { apiVersion: 'v1', kind: 'Component' } as any as Entity,
    ],
  ])('never throws on a hostile entity (%s)', (_name, entity) => {
    for (const evaluate of Object.values(policyEvaluators)) {
      for (const signals of [
        signalsFor(entity),
        signalsFor(entity, { extraction: { workloads: [workload()] } }),
      ]) {
        expect(['fail', 'unknown']).toContain(evaluate(signals).status);
      }
    }
  });
});

describe('policy.compliance-requirements', () => {
  it('fails until attested and says what to confirm', () => {
    const outcome = evaluateComplianceRequirements(noRepo());
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatch(
      /^Not attested yet: confirm which compliance requirements/,
    );
  });
});

describe('policy.documented-standards', () => {
  const techdocs = svc({ 'backstage.io/techdocs-ref': 'dir:.' });
  runCases(evaluateDocumentedStandards, [
    [
      'passes on techdocs-ref and a README',
      repo(
        { docs: { readme: 'README.md', docsDir: false, adrs: [] } },
        techdocs,
      ),
      'pass',
      'Documented in TechDocs (backstage.io/techdocs-ref: dir:.) and README.md.',
    ],
    [
      'passes on docs/ with mkdocs.yml and a README',
      repo({
        docs: {
          readme: 'README.md',
          mkdocs: 'mkdocs.yml',
          docsDir: true,
          adrs: [],
        },
      }),
      'pass',
      'Documented in TechDocs in docs/ with mkdocs.yml and README.md.',
    ],
    [
      'fails without a README even with TechDocs',
      repo({ docs: { docsDir: false, adrs: [] } }, techdocs),
      'fail',
      'Standards are not documented: no README in the repository.',
    ],
    [
      'fails on docs/ without mkdocs.yml',
      repo({ docs: { readme: 'README.md', docsDir: true, adrs: [] } }),
      'fail',
      'docs/ has no mkdocs.yml and no backstage.io/techdocs-ref annotation is set',
    ],
    [
      'lists both gaps',
      repo({}),
      'fail',
      'no TechDocs: set backstage.io/techdocs-ref or add docs/ with mkdocs.yml and no README in the repository',
    ],
    [
      'is unknown without the repository, even with TechDocs',
      noRepo(techdocs),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('policy.resource-metrics', () => {
  runCases(evaluateResourceMetrics, [
    [
      'passes on requests and a ServiceMonitor',
      repo({
        workloads: [workload()],
        kubernetesObjects: [
          {
            apiVersion: 'monitoring.coreos.com/v1',
            kind: 'ServiceMonitor',
            file: 'deploy/monitor.yaml',
          },
        ],
      }),
      'pass',
      'Every container requests cpu and memory (1 workload), and a ServiceMonitor in deploy/monitor.yaml scrapes the metrics.',
    ],
    [
      'passes on requests and a pod scrape annotation',
      repo({ workloads: [workload({ annotations: scraped })] }),
      'pass',
      'Deployment svc (deploy/deployment.yaml) is scraped via prometheus.io/scrape.',
    ],
    [
      'passes on requests and a grafana/* entity annotation',
      repo(
        { workloads: [workload()] },
        svc({ 'grafana/dashboard-selector': 'svc' }),
      ),
      'pass',
      'metrics are wired up by the annotation grafana/dashboard-selector',
    ],
    [
      'does not require a scraped migration Job',
      repo({
        workloads: [
          workload({ annotations: scraped }),
          workload({ kind: 'Job', name: 'migrate', file: 'deploy/job.yaml' }),
        ],
      }),
      'pass',
      'Every container requests cpu and memory (2 workloads)',
    ],
    [
      'names the first container without a memory request',
      repo({
        workloads: [
          workload({
            annotations: scraped,
            containers: [
              container('app'),
              container('sidecar', { cpu: '50m' }),
            ],
          }),
        ],
      }),
      'fail',
      'Container "sidecar" of Deployment svc in deploy/deployment.yaml sets no memory request.',
    ],
    [
      'names both missing requests',
      repo({ workloads: [workload({ containers: [container('app', {})] })] }),
      'fail',
      'Container "app" of Deployment svc in deploy/deployment.yaml sets no cpu and memory requests.',
    ],
    [
      'fails when the workload is not scraped',
      repo({
        workloads: [
          workload({ annotations: { 'prometheus.io/scrape': 'false' } }),
        ],
      }),
      'fail',
      'Metrics are not scraped: Deployment svc in deploy/deployment.yaml has no prometheus.io/scrape: "true" pod annotation',
    ],
    [
      'fails clearly without workloads',
      repo({}),
      'fail',
      'No Kubernetes workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob, Rollout) in the repository',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);

  it('cites the offending file', () => {
    const outcome = evaluateResourceMetrics(
      repo({
        workloads: [workload({ containers: [container('app', { cpu: '1' })] })],
      }),
    );
    expect(outcome.evidence).toEqual([
      {
        type: 'file',
        label: 'deploy/deployment.yaml',
        line: 1,
        value: 'app: no memory request',
      },
    ]);
  });
});

describe('policy.initial-audit', () => {
  runCases(evaluateInitialAudit, [
    [
      'passes on a report-only Kubescape run',
      repo({ ci: [pipeline([scanner('config', 'kubescape scan', false)])] }),
      'pass',
      `Policies are audited in CI: Kubescape in ${CI} (report only).`,
    ],
    [
      'passes on a blocking conftest run',
      repo({ ci: [pipeline([scanner('policy', 'conftest test')])] }),
      'pass',
      `conftest in ${CI} (blocking)`,
    ],
    [
      'fails on an unrelated config scan',
      repo({ ci: [pipeline([scanner('config', 'checkov')])] }),
      'fail',
      'No policy audit in CI: no conftest, Kyverno, Kubescape or Polaris run. A dated audit attestation also counts.',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('policy.policy-as-code-in-ci', () => {
  const policies: RepoExtraction['policies'] = [
    { file: 'policy/deny.rego', engine: 'rego' },
    { file: 'policy/limits.rego', engine: 'rego' },
  ];
  runCases(evaluatePolicyAsCodeInCi, [
    [
      'passes on Rego enforced by a blocking conftest',
      repo({ policies, ci: [pipeline([scanner('policy', 'conftest test')])] }),
      'pass',
      `Rego policies (2 files) are enforced by conftest in ${CI}.`,
    ],
    [
      'fails on a report-only policy run',
      repo({
        policies,
        ci: [pipeline([scanner('policy', 'kyverno apply', false)])],
      }),
      'fail',
      `Kyverno in ${CI} is report only and cannot fail the pipeline`,
    ],
    [
      'fails on a blocking run without policy files',
      repo({ ci: [pipeline([scanner('policy', 'conftest test')])] }),
      'fail',
      'Policies are not enforced in CI: no policy files (Rego, Kyverno or Gatekeeper) in the repository.',
    ],
    [
      'fails on policy files that CI never runs',
      repo({ policies }),
      'fail',
      'no policy check in CI (conftest, kyverno apply/test, gator) that fails the pipeline',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});

describe('policy.slo-defined', () => {
  const observability = (slos: RepoExtraction['observability']['slos']) => ({
    observability: {
      openTelemetry: [],
      logPipelines: [],
      alertRules: [],
      slos,
    },
  });
  runCases(evaluateSloDefined, [
    [
      'passes on an OpenSLO file',
      repo(
        observability([{ file: 'slo/availability.yaml', format: 'openslo' }]),
      ),
      'pass',
      'SLOs are defined in slo/availability.yaml (OpenSLO).',
    ],
    [
      'passes on a Sloth file',
      repo(observability([{ file: 'slo/sloth.yaml', format: 'sloth' }])),
      'pass',
      'slo/sloth.yaml (Sloth)',
    ],
    [
      'fails on an SLO in another format and names it',
      repo(observability([{ file: 'slo/pyrra.yaml', format: 'other' }])),
      'fail',
      'slo/pyrra.yaml looks like an SLO but is neither OpenSLO nor Sloth',
    ],
    [
      'fails without an SLO',
      repo({}),
      'fail',
      'No SLO defined: no OpenSLO or Sloth file in the repository.',
    ],
    [
      'is unknown without the repository',
      noRepo(),
      'unknown',
      'could not be read',
    ],
  ]);
});
