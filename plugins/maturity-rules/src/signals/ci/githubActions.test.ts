import { defaultToolPatterns } from '../tools';
import { parseYaml } from '../yaml';
import { parseCompositeAction, parseGithubWorkflow } from './githubActions';
import { githubTriggers } from './githubTriggers';

const workflow = (text: string, localActions = new Map()) =>
  parseGithubWorkflow(
    '.github/workflows/ci.yml',
    parseYaml(text).docs[0] ?? {
      value: null,
      line: 1,
      lineAt: () => undefined,
      isBlockScalar: () => false,
    },
    defaultToolPatterns,
    localActions,
  );

describe('githubTriggers', () => {
  it('reads `on` as a string, a list and a map', () => {
    expect(githubTriggers('push')).toMatchObject({
      pushDefaultBranch: true,
      tags: true,
      pullRequest: false,
    });
    expect(githubTriggers(['pull_request', 'workflow_dispatch'])).toMatchObject(
      {
        pullRequest: true,
        manual: true,
        pushDefaultBranch: false,
      },
    );
    expect(githubTriggers({ schedule: [{ cron: '0 0 * * *' }] })).toMatchObject(
      { schedule: true },
    );
    expect(githubTriggers({ pull_request_target: null })).toMatchObject({
      pullRequest: true,
    });
    expect(githubTriggers({ release: { types: ['published'] } })).toMatchObject(
      { tags: true },
    );
  });

  it('follows branch and tag filters', () => {
    expect(githubTriggers({ push: { branches: ['main'] } })).toMatchObject({
      pushDefaultBranch: true,
      tags: false,
    });
    expect(githubTriggers({ push: { branches: ['release/*'] } })).toMatchObject(
      { pushDefaultBranch: false },
    );
    expect(
      githubTriggers({ push: { branches: ['**', '!master', '!main'] } }),
    ).toMatchObject({ pushDefaultBranch: false });
    expect(githubTriggers({ push: { branches: ['**'] } })).toMatchObject({
      pushDefaultBranch: true,
    });
    expect(
      githubTriggers({ push: { 'branches-ignore': ['main'] } }),
    ).toMatchObject({ pushDefaultBranch: true });
    expect(githubTriggers({ push: { tags: ['v*'] } })).toMatchObject({
      pushDefaultBranch: false,
      tags: true,
    });
    expect(
      githubTriggers({ push: { branches: 'master', tags: ['v*'] } }),
    ).toMatchObject({
      pushDefaultBranch: true,
      tags: true,
    });
  });

  it('ignores `on` of the wrong type', () => {
    for (const on of [42, null, true, [1, 2], { push: 3 }]) {
      expect(() => githubTriggers(on)).not.toThrow();
    }
    expect(githubTriggers(42)).toEqual({
      pullRequest: false,
      pushDefaultBranch: false,
      tags: false,
      schedule: false,
      manual: false,
    });
  });
});

describe('parseGithubWorkflow', () => {
  it('finds deploy jobs by environment or deploy step, scoped by `if:` on refs', () => {
    const { pipeline, environments } = workflow(`
on:
  push:
    branches: [main]
    tags: ['v*']
jobs:
  staging:
    if: github.ref == 'refs/heads/main'
    environment: { name: staging, url: https://staging.example.com }
    steps:
      - run: helm upgrade --install app chart -f chart/values-staging.yaml
  prod:
    needs: staging
    if: startsWith(github.ref, 'refs/tags/v')
    environment: production
    steps:
      - run: kubectl apply -k deploy/overlays/production
  deploy-docs:
    steps:
      - run: mkdocs gh-deploy
  build:
    steps:
      - run: docker build .
`);
    expect(pipeline.deploys).toEqual([
      {
        tool: 'helm upgrade',
        file: '.github/workflows/ci.yml',
        line: 11,
        environment: 'staging',
        onDefaultBranch: true,
        onTags: false,
        manualApproval: false,
      },
      {
        tool: 'kubectl apply',
        file: '.github/workflows/ci.yml',
        line: 17,
        environment: 'production',
        onDefaultBranch: false,
        onTags: true,
        manualApproval: false,
      },
    ]);
    expect(environments.map(e => e.name)).toEqual(['staging', 'production']);
  });

  it('marks a deploy that only runs by hand as needing a person', () => {
    const { pipeline } = workflow(`
on: workflow_dispatch
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: argocd app sync web
`);
    expect(pipeline.deploys[0]).toMatchObject({
      tool: 'argocd app sync',
      manualApproval: true,
      onDefaultBranch: false,
    });
  });

  it('counts actions and SHA pins, including reusable workflows', () => {
    const { pipeline } = workflow(`
on: pull_request
jobs:
  a:
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
      - uses: actions/setup-node@v4
      - uses: ./.github/actions/local
      - uses: docker://alpine@sha256:${'a'.repeat(64)}
  b:
    uses: org/workflows/.github/workflows/deploy.yml@main
`);
    expect(pipeline.actions).toEqual({ total: 4, pinnedBySha: 2 });
  });

  it('runs the steps of a local composite action inside the job', () => {
    const action = parseCompositeAction(
      '.github/actions/scan/action.yml',
      parseYaml(
        'runs:\n  using: composite\n  steps:\n    - run: gitleaks detect\n      shell: bash\n',
      ).docs[0],
    );
    const { pipeline } = workflow(
      'on: [pull_request]\njobs:\n  a:\n    steps:\n      - uses: ./.github/actions/scan\n',
      new Map([['.github/actions/scan', action]]),
    );
    expect(pipeline.scanners).toEqual([
      {
        tool: 'gitleaks',
        kind: 'secret',
        blocking: true,
        file: '.github/actions/scan/action.yml',
        line: 4,
      },
    ]);
  });

  it('treats continue-on-error on the job as report-only for its scans', () => {
    const { pipeline } = workflow(`
on: pull_request
jobs:
  audit:
    continue-on-error: true
    steps:
      - run: conftest test -p policy out.yaml
`);
    expect(pipeline.scanners[0]).toMatchObject({
      tool: 'conftest',
      blocking: false,
    });
  });

  it.each([
    'on: push\njobs: just a string',
    'on: push\njobs: 42',
    'on: push\njobs: [1, 2, 3]',
    'on: push\njobs:\n  a: null\n  b: 7\n  c:\n    steps: null\n  d:\n    steps: [1, 2, "x", null]\n  e:\n    steps: "run: npm test"\n',
    'on: [1, 2]\njobs:\n  a:\n    environment: [1]\n    if: 42\n    needs: 7\n    steps:\n      - run: 42\n        uses: [1]\n        with: 3\n',
    '- a list\n- not a workflow',
    '42',
  ])('survives wrong types: %s', text => {
    expect(() => workflow(text)).not.toThrow();
    const { pipeline } = workflow(text);
    expect(pipeline.tests).toEqual([]);
    expect(pipeline.system).toBe('github-actions');
  });
});
