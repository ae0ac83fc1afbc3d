import { Entity } from '@backstage/catalog-model';
import { WorkloadFacts } from '../model';
import {
  Case,
  hostileComponent,
  repoFor,
  service,
  UNKNOWN,
  workload as baseWorkload,
} from '../testUtils/extractions';
import { emptyExtraction, signalsFor } from '../testUtils/signals';
import { businessEvaluators } from './business';

const svc = (metadata: Partial<Entity['metadata']> = {}) =>
  service({}, metadata);

const noRepo = signalsFor(svc());
const repo = repoFor(svc);

const workload = (
  labels: Record<string, string>,
  overrides: Partial<WorkloadFacts> = {},
) => baseWorkload({ labels, ...overrides });

describe('businessEvaluators', () => {
  it('covers exactly the Business outcomes checks of the rubric', () => {
    expect(Object.keys(businessEvaluators).sort()).toEqual(
      [
        'business.kpis-defined',
        'business.kpis-reported',
        'business.migration-rationale',
        'business.golden-path',
        'business.cost-allocation',
      ].sort(),
    );
  });

  const cases: Record<string, Case[]> = {
    'business.kpis-defined': [
      [
        'attestation only, whatever the repository shows',
        repo({ docs: { docsDir: true, adrs: ['docs/adr/0001.md'] } }),
        'fail',
        'Not attested yet: confirm the business KPIs the service is measured by, with a link to where they are defined.',
      ],
    ],
    'business.kpis-reported': [
      [
        'attestation only',
        noRepo,
        'fail',
        'Not attested yet: confirm that the service KPIs are reported, with a link to the KPI report.',
      ],
    ],
    'business.migration-rationale': [
      [
        'ADR annotation, without the repository',
        signalsFor(
          svc({ annotations: { 'backstage.io/adr-location': 'docs/adr' } }),
        ),
        'pass',
        'Decisions recorded as ADRs (backstage.io/adr-location: docs/adr).',
      ],
      [
        'TechDocs',
        signalsFor(
          svc({ annotations: { 'backstage.io/techdocs-ref': 'dir:.' } }),
        ),
        'pass',
        'Decisions documented in TechDocs (backstage.io/techdocs-ref: dir:.).',
      ],
      [
        'ADR files in the repository',
        repo({
          docs: {
            docsDir: true,
            adrs: [
              'docs/adr/0001-move-to-kubernetes.md',
              'docs/adr/0002-helm.md',
            ],
          },
        }),
        'pass',
        'Decisions recorded in 2 ADRs in the repository (docs/adr/0001-move-to-kubernetes.md).',
      ],
      [
        'nothing recorded',
        repo({}),
        'fail',
        'No recorded rationale: no ADRs (backstage.io/adr-location or ADR files) and no TechDocs (backstage.io/techdocs-ref); attest with a link if the rationale is written down elsewhere.',
      ],
      ['no repository and no annotation', noRepo, 'unknown', UNKNOWN],
    ],
    'business.golden-path': [
      [
        'created from a template',
        signalsFor(
          svc({
            annotations: {
              'backstage.io/source-template': 'template:default/node-service',
            },
          }),
        ),
        'pass',
        'Created from the software template template:default/node-service.',
      ],
      [
        'no template',
        repo({}),
        'fail',
        'Not created from a software template: backstage.io/source-template is not set.',
      ],
    ],
    'business.cost-allocation': [
      [
        'cost link, without the repository',
        signalsFor(
          svc({
            links: [
              {
                url: 'https://opencost.example.com/checkout',
                title: 'OpenCost',
                type: 'cost',
              },
            ],
          }),
        ),
        'pass',
        'Cost report linked: OpenCost.',
      ],
      [
        'every workload labelled',
        repo({
          workloads: [
            workload({
              'app.kubernetes.io/name': 'checkout',
              team: 'payments',
            }),
            workload(
              {},
              {
                name: 'worker',
                file: 'deploy/worker.yaml',
                annotations: { 'kubecost.com/department': 'retail' },
              },
            ),
          ],
        }),
        'pass',
        'Every workload carries a cost label (team=payments in deploy/base/deployment.yaml:1).',
      ],
      [
        'a workload without cost label',
        repo({
          workloads: [
            workload({ 'acme.com/cost-center': 'cc-42' }),
            workload(
              { app: 'worker' },
              { name: 'worker', file: 'deploy/worker.yaml', line: 3 },
            ),
            workload(
              {},
              { kind: 'CronJob', name: 'cleanup', file: 'deploy/cron.yaml' },
            ),
          ],
        }),
        'fail',
        'Deployment worker (deploy/worker.yaml:3) has no cost label (cost-center, team, kubecost.com/*, opencost) (and 1 more workload).',
      ],
      [
        'no workloads',
        repo({}),
        'fail',
        'No cost allocation: no metadata.links entry of type cost, and no Kubernetes workloads in the repository to carry cost labels.',
      ],
      ['no repository and no link', noRepo, 'unknown', UNKNOWN],
    ],
  };

  describe.each(Object.entries(cases))('%s', (id, table) => {
    it.each(table)('%s', (_name, signals, status, message) => {
      const outcome = businessEvaluators[id](signals);
      expect(outcome.status).toBe(status);
      expect(outcome.message).toBe(message);
    });
  });

  it('cites the annotation that decided the golden path', () => {
    expect(
      businessEvaluators['business.golden-path'](
        signalsFor(
          svc({
            annotations: {
              'backstage.io/source-template': 'template:default/x',
            },
          }),
        ),
      ).evidence,
    ).toEqual([
      {
        type: 'annotation',
        label: 'backstage.io/source-template',
        value: 'template:default/x',
      },
    ]);
  });

  it('never reads attestations itself: an attest annotation still fails here', () => {
    const entity = svc({
      annotations: {
        'cloud-native-maturity/attest.business.kpis-defined':
          '2026-10-01 https://wiki.example.com/kpis',
      },
    });
    expect(
      businessEvaluators['business.kpis-defined'](signalsFor(entity)).status,
    ).toBe('fail');
  });

  const hostile: Entity[] = [
    hostileComponent({ name: 'no-spec' }),
    hostileComponent(
      {
        name: 'wrong-types',
        annotations: 'backstage.io/adr-location',
        links: { type: 'cost' },
      },
      [],
    ),
    hostileComponent({
      name: 'odd-values',
      annotations: {
        'backstage.io/source-template': {},
        'backstage.io/techdocs-ref': 1,
      },
      links: [{ url: 'https://x', type: 7 }],
    }),
  ];

  it.each(hostile.map(e => [e.metadata.name, e]))(
    'never throws on a hostile entity (%s)',
    (_name, entity) => {
      for (const evaluate of Object.values(businessEvaluators)) {
        for (const signals of [
          signalsFor(entity as Entity),
          signalsFor(entity as Entity, {
            extraction: emptyExtraction({ workloads: [workload({})] }),
          }),
        ]) {
          expect(['pass', 'fail', 'unknown']).toContain(
            evaluate(signals).status,
          );
        }
      }
    },
  );
});
