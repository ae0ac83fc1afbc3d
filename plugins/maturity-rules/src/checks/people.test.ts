import { Entity } from '@backstage/catalog-model';
import { CiDeploy, CiPipeline } from '../model';
import { component, group } from '../testUtils/entities';
import {
  Case,
  deploy as baseDeploy,
  hostileComponent,
  pipeline as basePipeline,
  repoFor,
  service,
} from '../testUtils/extractions';
import { signalsFor } from '../testUtils/signals';
import { evaluateTeamOwner, peopleEvaluators } from './people';

const teamWithMembers = group('payments-team', ['ada', 'linus']);
const emptyTeam = group('legacy-ops', []);
const related = [teamWithMembers, emptyTeam];

describe('people.team-owner', () => {
  it('passes when the owner is a group with members, naming the group and count', () => {
    const outcome = evaluateTeamOwner(
      signalsFor(component('checkout', { owner: 'payments-team' }), {
        related,
      }),
    );
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toBe(
      'Owned by group:default/payments-team, a group with 2 members.',
    );
    expect(outcome.evidence).toEqual([
      expect.objectContaining({
        label: 'spec.owner',
        ref: 'group:default/payments-team',
      }),
    ]);
  });

  it('accepts a full group ref', () => {
    expect(
      evaluateTeamOwner(
        signalsFor(
          component('checkout', { owner: 'group:default/payments-team' }),
          { related },
        ),
      ).status,
    ).toBe('pass');
  });

  it.each([
    [{}, 'spec.owner is not set'],
    [{ owner: '' }, 'spec.owner is not set'],
    [{ owner: 42 }, 'spec.owner is not a string (number)'],
    [{ owner: { name: 'x' } }, 'spec.owner is not a string (object)'],
    [{ owner: 'group:' }, 'is not a valid entity reference'],
    [{ owner: 'user:default/ada' }, 'is not a Group'],
    [{ owner: 'ghost-team' }, 'does not exist in the catalog'],
    [{ owner: 'legacy-ops' }, 'has no members'],
  ])('fails with a reason for owner %j, never throws', (spec, reason) => {
    const outcome = evaluateTeamOwner(
      signalsFor(component('svc', spec), { related }),
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toContain(reason);
  });

  it('resolves a bare owner in the entity namespace', () => {
    const outcome = evaluateTeamOwner(
      signalsFor(
        component('svc', { owner: 'payments-team' }, { namespace: 'other' }),
        { related },
      ),
    );
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toContain('group:other/payments-team');
  });
});

// ---------------------------------------------------------------------------
// The other People checks. Each case says what an owner would read.
// ---------------------------------------------------------------------------

/** People tests run CI on pushes only, and deploy to staging with helm. */
const pipeline = (overrides: Partial<CiPipeline> = {}) =>
  basePipeline({
    triggers: {
      pullRequest: false,
      pushDefaultBranch: true,
      tags: false,
      schedule: false,
      manual: false,
    },
    ...overrides,
  });

const deploy = (overrides: Partial<CiDeploy> = {}) =>
  baseDeploy({ tool: 'helm upgrade', environment: 'staging', ...overrides });

const svc = (
  spec: Record<string, unknown> = {},
  annotations: Record<string, unknown> = {},
) => service(spec, { annotations: annotations as Record<string, string> });

const noRepo = signalsFor(svc());
const repo = repoFor(svc);

function cluster(owner?: unknown): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name: 'prod-cluster', namespace: 'default' },
    spec: { type: 'kubernetes-cluster', ...(owner ? { owner } : {}) },
  };
}

describe('peopleEvaluators', () => {
  it('covers exactly the People checks of the rubric', () => {
    expect(Object.keys(peopleEvaluators).sort()).toEqual(
      [
        'people.owner-set',
        'people.team-owner',
        'people.fast-feedback',
        'people.consolidated-tooling',
        'people.cluster-security-owner',
        'people.automated-tests',
        'people.auto-deploy',
        'people.k8s-fundamentals',
        'people.certifications',
        'people.continuous-delivery',
        'people.self-service',
      ].sort(),
    );
  });

  const cases: Record<string, Case[]> = {
    'people.owner-set': [
      ['owner set', signalsFor(svc()), 'pass', 'Owner set: payments-team.'],
      [
        'no owner',
        signalsFor(component('x')),
        'fail',
        'No owner: spec.owner is not set; name the team that owns the service.',
      ],
      [
        'blank owner',
        signalsFor(component('x', { owner: '  ' })),
        'fail',
        'No owner: spec.owner is blank.',
      ],
      [
        'owner of the wrong type',
        signalsFor(component('x', { owner: ['a'] })),
        'fail',
        'No owner: spec.owner is not a string (object).',
      ],
    ],
    'people.fast-feedback': [
      [
        'CI on pull requests',
        repo({
          ci: [
            pipeline({
              triggers: { ...pipeline().triggers, pullRequest: true },
            }),
          ],
        }),
        'pass',
        'CI runs on pull/merge requests (.github/workflows/ci.yml).',
      ],
      [
        'CI on push only',
        repo({ ci: [pipeline()] }),
        'fail',
        'No CI pipeline runs on pull/merge requests (.github/workflows/ci.yml), so changes are only checked after merge.',
      ],
      [
        'no CI',
        repo({}),
        'fail',
        'No CI pipeline found (GitHub Actions, GitLab CI, Jenkins, ...), so changes get no feedback before merge.',
      ],
      [
        'no repository',
        noRepo,
        'unknown',
        'The repository could not be read: The entity has no source location.',
      ],
    ],
    'people.consolidated-tooling': [
      [
        'no allow-list configured',
        repo({ ci: [pipeline({ tools: ['helm'] })] }),
        'pass',
        'No tool allow-list is configured (maturity.tools.allowed), and no tool on the deny-list is used.',
      ],
      [
        'all tools allowed',
        signalsFor(svc(), {
          extraction: {
            ci: [
              pipeline({
                tools: ['Helm'],
                deploys: [deploy({ tool: 'helm upgrade' })],
              }),
            ],
          },
          tools: { allowed: ['github-actions', 'helm'], denied: [] },
        }),
        'pass',
        'All CI/CD tools are on the allow-list: github-actions, helm, helm upgrade.',
      ],
      [
        'a tool off the allow-list',
        signalsFor(svc(), {
          extraction: {
            ci: [pipeline({ system: 'jenkins', file: 'Jenkinsfile' })],
          },
          tools: { allowed: ['github-actions'], denied: [] },
        }),
        'fail',
        "Not on the organisation's tool allow-list: jenkins (first in Jenkinsfile).",
      ],
      [
        'a denied tool, even without an allow-list',
        signalsFor(svc(), {
          extraction: {
            ci: [pipeline({ deploys: [deploy({ tool: 'kubectl apply' })] })],
          },
          tools: { allowed: [], denied: ['kubectl'] },
        }),
        'fail',
        "Uses kubectl apply, on the organisation's deny-list of tools being retired (first in .github/workflows/deploy.yml:30).",
      ],
      [
        'allow-list but no CI',
        signalsFor(svc(), {
          extraction: {},
          tools: { allowed: ['helm'], denied: [] },
        }),
        'fail',
        'No CI pipeline found (GitHub Actions, GitLab CI, Jenkins, ...), so no CI/CD tools can be compared with the allow-list.',
      ],
      [
        'no repository',
        noRepo,
        'unknown',
        'The repository could not be read: The entity has no source location.',
      ],
    ],
    'people.cluster-security-owner': [
      [
        'depends on an owned cluster',
        signalsFor(svc({ dependsOn: ['resource:prod-cluster'] }), {
          related: [cluster('group:default/platform')],
        }),
        'pass',
        'The cluster resource:default/prod-cluster is owned by group:default/platform.',
      ],
      [
        'no Resource dependency',
        signalsFor(svc({ dependsOn: ['component:default/db'] })),
        'fail',
        'No owner of cluster security shown: the service does not depend on a Resource (its cluster) in spec.dependsOn. Add the cluster as a Resource with an owner, or attest who owns cluster security.',
      ],
      [
        'cluster without owner',
        signalsFor(svc({ dependsOn: ['resource:default/prod-cluster'] }), {
          related: [cluster()],
        }),
        'fail',
        'No owner of cluster security shown: the Resource resource:default/prod-cluster has no spec.owner.',
      ],
      [
        'cluster not in the catalog',
        signalsFor(svc({ dependsOn: ['Resource:default/Prod-Cluster'] })),
        'fail',
        'No owner of cluster security shown: the Resource resource:default/prod-cluster is not in the catalog.',
      ],
    ],
    'people.automated-tests': [
      [
        'a test step',
        repo({
          ci: [
            pipeline({
              tests: [
                {
                  tool: 'npm test',
                  file: '.github/workflows/ci.yml',
                  line: 12,
                },
              ],
            }),
          ],
        }),
        'pass',
        'CI runs tests: npm test (.github/workflows/ci.yml:12).',
      ],
      [
        'CI without tests',
        repo({ ci: [pipeline()] }),
        'fail',
        'No test step (npm test, go test, mvn verify, pytest, ...) found in CI (.github/workflows/ci.yml).',
      ],
      [
        'no CI',
        repo({}),
        'fail',
        'No CI pipeline found (GitHub Actions, GitLab CI, Jenkins, ...), so no tests run automatically.',
      ],
      [
        'no repository',
        noRepo,
        'unknown',
        'The repository could not be read: The entity has no source location.',
      ],
    ],
    'people.auto-deploy': [
      [
        'Argo CD annotation, without the repository',
        signalsFor(svc({}, { 'argocd/app-name': 'checkout' })),
        'pass',
        'Deployed by Argo CD (argocd/app-name: checkout).',
      ],
      [
        'deploy on merge',
        repo({ ci: [pipeline({ deploys: [deploy()] })] }),
        'pass',
        'CI deploys on merge to the default branch: helm upgrade to staging (.github/workflows/deploy.yml:30).',
      ],
      [
        'deploy on tags',
        repo({
          ci: [
            pipeline({
              deploys: [
                deploy({
                  onDefaultBranch: false,
                  onTags: true,
                  environment: undefined,
                }),
              ],
            }),
          ],
        }),
        'pass',
        'CI deploys on tags: helm upgrade (.github/workflows/deploy.yml:30).',
      ],
      [
        'GitOps in the repository',
        repo({
          gitops: [{ tool: 'flux', file: 'clusters/prod/kustomization.yaml' }],
        }),
        'pass',
        'GitOps (flux) deploys merged changes (clusters/prod/kustomization.yaml).',
      ],
      [
        'deploy waits for a person',
        repo({
          ci: [pipeline({ deploys: [deploy({ manualApproval: true })] })],
        }),
        'fail',
        'The deploy in .github/workflows/deploy.yml:30 waits for a manual step; no deploy runs on merge or on tags by itself.',
      ],
      [
        'deploy by hand only',
        repo({
          ci: [pipeline({ deploys: [deploy({ onDefaultBranch: false })] })],
        }),
        'fail',
        'The deploy in .github/workflows/deploy.yml:30 does not run on merge to the default branch or on tags.',
      ],
      [
        'no deploy at all',
        repo({ ci: [pipeline()] }),
        'fail',
        'No automatic deploy: no CI deploy job on merge or tags, no GitOps config (Argo CD, Flux, Config Sync) and no argocd/app-name annotation.',
      ],
      [
        'no repository and no annotation',
        noRepo,
        'unknown',
        'The repository could not be read: The entity has no source location.',
      ],
    ],
    'people.k8s-fundamentals': [
      [
        'attestation only',
        repo({}),
        'fail',
        'Not attested yet: confirm that the team has Kubernetes fundamentals training (for example a Kubernetes fundamentals course), with a link as evidence.',
      ],
    ],
    'people.certifications': [
      [
        'attestation only',
        noRepo,
        'fail',
        'Not attested yet: confirm which team members hold CNCF certifications (CKA, CKAD, CKS), with a link as evidence.',
      ],
    ],
    'people.continuous-delivery': [
      [
        'every merge deploys to staging',
        repo({ ci: [pipeline({ deploys: [deploy()] })] }),
        'pass',
        'Every merge deploys to staging: helm upgrade (.github/workflows/deploy.yml:30).',
      ],
      [
        'GitOps',
        repo({
          gitops: [{ tool: 'argocd', file: 'argocd/app.yaml', line: 1 }],
        }),
        'pass',
        'GitOps (argocd) delivers every merge (argocd/app.yaml:1).',
      ],
      [
        'deploys only on tags',
        repo({
          ci: [
            pipeline({
              deploys: [deploy({ onDefaultBranch: false, onTags: true })],
            }),
          ],
        }),
        'fail',
        'Merges are not delivered continuously: the deploy in .github/workflows/deploy.yml:30 does not run on merge to the default branch, and no GitOps config is present.',
      ],
      [
        'deploy waits for a person',
        repo({
          ci: [pipeline({ deploys: [deploy({ manualApproval: true })] })],
        }),
        'fail',
        'Merges are not delivered continuously: the deploy in .github/workflows/deploy.yml:30 waits for a manual step, and no GitOps config is present.',
      ],
      [
        'no deploy',
        repo({}),
        'fail',
        'Merges are not delivered continuously: no CI deploy on merge to the default branch and no GitOps config (Argo CD, Flux, Config Sync).',
      ],
      [
        'no repository',
        noRepo,
        'unknown',
        'The repository could not be read: The entity has no source location.',
      ],
    ],
    'people.self-service': [
      [
        'template and TechDocs',
        signalsFor(
          svc(
            {},
            {
              'backstage.io/source-template': 'template:default/node-service',
              'backstage.io/techdocs-ref': 'dir:.',
            },
          ),
        ),
        'pass',
        'Created from the template template:default/node-service and documented in TechDocs.',
      ],
      [
        'TechDocs only',
        signalsFor(svc({}, { 'backstage.io/techdocs-ref': 'dir:.' })),
        'fail',
        'Self-service not shown: missing backstage.io/source-template (created from a software template).',
      ],
      [
        'neither',
        signalsFor(svc({}, { 'backstage.io/source-template': 42 })),
        'fail',
        'Self-service not shown: missing backstage.io/source-template (created from a software template) and backstage.io/techdocs-ref (TechDocs).',
      ],
    ],
  };

  describe.each(Object.entries(cases))('%s', (id, table) => {
    it.each(table)('%s', (_name, signals, status, message) => {
      const outcome = peopleEvaluators[id](signals);
      expect(outcome.status).toBe(status);
      expect(outcome.message).toBe(message);
    });
  });

  it('cites the deciding file and line as evidence', () => {
    const outcome = peopleEvaluators['people.auto-deploy'](
      repo({ ci: [pipeline({ deploys: [deploy()] })] }),
    );
    expect(outcome.evidence).toEqual([
      {
        type: 'file',
        label: '.github/workflows/deploy.yml',
        line: 30,
        value: 'helm upgrade',
      },
    ]);
  });

  const hostile: Entity[] = [
    hostileComponent({ name: 'no-spec' }),
    hostileComponent(
      {
        name: 'wrong-types',
        annotations: 'argocd/app-name',
        links: 'dashboard',
      },
      {
        owner: 7,
        dependsOn: 'resource:default/prod-cluster',
        providesApis: [1, null, {}],
        lifecycle: ['production'],
      },
    ),
    hostileComponent(
      {
        name: 'odd-values',
        annotations: {
          'argocd/app-name': 3,
          'backstage.io/source-template': null,
        },
      },
      [],
    ),
  ];

  it.each(hostile.map(e => [e.metadata.name, e]))(
    'never throws on a hostile entity (%s)',
    (_name, entity) => {
      for (const evaluate of Object.values(peopleEvaluators)) {
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
