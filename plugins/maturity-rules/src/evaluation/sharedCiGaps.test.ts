import { builtinChecks } from '../checks';
import { RepoFile, extractRepository } from '../signals/extractRepository';
import { SharedCiContext } from '../signals/ci/sharedReferences';
import { component, signalsFor } from '../testUtils';
import { evaluateChecks } from './evaluateChecks';

// Every shared file the repository calls is unreadable.
const unreadable: SharedCiContext = {
  lookup: {
    get: key => ({
      status: 'unreadable',
      label: key,
      reason: 'reading it failed: 404',
    }),
  },
  organizations: new Set(['acme']),
  maxDepth: 3,
};

// A pull request workflow that tests, so the CI checks have a pipeline to read.
const TESTS: RepoFile = {
  path: '.github/workflows/ci.yml',
  content: `on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: npm test
`,
};

/** Results by check id for a repository of these files. */
function verdicts(...files: RepoFile[]) {
  const extraction = extractRepository([TESTS, ...files], {
    sharedCi: unreadable,
  });
  const results = evaluateChecks(
    builtinChecks,
    signalsFor(component('svc'), { extraction }),
  );
  return new Map(results.map(r => [r.checkId, r]));
}

const calling = (on: string, job = '') => ({
  path: '.github/workflows/shared.yml',
  content: `on: ${on}
jobs:
  call:
${job}    uses: acme/pipelines/.github/workflows/run.yml@v1
`,
});

const DEPLOY_CHECKS = [
  'people.auto-deploy',
  'process.deploy-from-scm',
  'people.continuous-delivery',
  'process.continuous-deployment',
];

describe('unreadable shared CI', () => {
  it('in a greeting bot (pull_request_target, issues) leaves deploy-on-merge and scheduled-scan checks failed, with why', () => {
    const v = verdicts(calling('[pull_request_target, issues]'));
    for (const id of [...DEPLOY_CHECKS, 'process.continuous-scanning']) {
      expect(v.get(id)?.status).toBe('fail');
    }
    expect(v.get('people.auto-deploy')?.message).toContain(
      'The shared CI that was not inspected cannot change this, as it does not run on merge to the default branch or on tags: acme/pipelines/.github/workflows/run.yml@v1, called from .github/workflows/shared.yml:4.',
    );
    // It could still scan or build whatever the trigger.
    expect(v.get('process.container-scan')?.status).toBe('unknown');
    expect(v.get('process.container-scan')?.message).toContain(
      'It may run in shared CI that was not inspected: acme/pipelines/.github/workflows/run.yml@v1, called from .github/workflows/shared.yml:4: reading it failed: 404.',
    );
  });

  it('in a greeting bot on pull_request_target opened, changes no check at all', () => {
    const v = verdicts(
      calling(
        `
  pull_request_target:
    types: [opened]`,
        `    permissions:
      pull-requests: write
`,
      ),
    );
    for (const id of [
      ...DEPLOY_CHECKS,
      'process.container-scan',
      'process.config-scan',
      'technology.secrets-hygiene',
      'process.supply-chain',
    ]) {
      expect(v.get(id)?.status).toBe('fail');
    }
    expect(v.get('process.container-scan')?.message).toContain(
      'The shared CI that was not inspected cannot change this, as it runs only on triage events, building nothing: acme/pipelines/.github/workflows/run.yml@v1',
    );
  });

  it('on pull_request_target labeled (an "ok to test" gate) may still scan', () => {
    const v = verdicts(
      calling(`
  pull_request_target:
    types: [labeled]`),
    );
    expect(v.get('process.container-scan')?.status).toBe('unknown');
  });

  it('given no secrets and a read-only token, may scan but cannot deploy, gate production or sign', () => {
    const v = verdicts(
      calling(
        '[push, pull_request]',
        `    permissions:
      contents: read
      pull-requests: write
`,
      ),
    );
    for (const id of [
      ...DEPLOY_CHECKS,
      'process.production-approval-gate',
      'process.supply-chain',
    ]) {
      expect(v.get(id)?.status).toBe('fail');
    }
    expect(v.get('process.production-approval-gate')?.message).toContain(
      'cannot change this, as it is given no secrets and no token that could deploy or sign',
    );
    expect(v.get('process.container-scan')?.status).toBe('unknown');
  });

  it.each([
    ['secrets: inherit', '    secrets: inherit\n    permissions: {}\n'],
    ['an id-token', '    permissions:\n      id-token: write\n'],
    ['the default token', ''],
  ])('given %s, might deploy', (_, job) => {
    const v = verdicts(calling('push', job));
    expect(v.get('people.auto-deploy')?.status).toBe('unknown');
  });

  it('called only on pull requests cannot deploy on merge', () => {
    const v = verdicts(calling('pull_request'));
    expect(v.get('people.auto-deploy')?.status).toBe('fail');
    expect(v.get('process.deploy-from-scm')?.status).toBe('fail');
  });

  it('called by a job that runs only for pull requests cannot deploy on merge', () => {
    const v = verdicts(
      calling(
        '[push, pull_request]',
        "    if: github.event_name == 'pull_request'\n",
      ),
    );
    expect(v.get('people.auto-deploy')?.status).toBe('fail');
  });

  it('called on push to main, on a closed (merged) pull request or from workflow_run may deploy: unknown', () => {
    for (const on of [
      '{ push: { branches: [main] } }',
      '{ pull_request: { types: [closed] } }',
      '{ workflow_run: { workflows: [CI] } }',
    ]) {
      const v = verdicts(calling(on));
      for (const id of DEPLOY_CHECKS) {
        expect([on, id, v.get(id)?.status]).toEqual([on, id, 'unknown']);
      }
      // Only events the triggers describe rule anything out.
      expect(v.get('process.continuous-scanning')?.status).toBe(
        on.startsWith('{ push') ? 'fail' : 'unknown',
      );
    }
  });

  it('called on a schedule may add a scheduled scan: unknown', () => {
    const v = verdicts(calling('{ schedule: [{ cron: "0 3 * * 1" }] }'));
    expect(v.get('process.continuous-scanning')?.status).toBe('unknown');
    expect(v.get('people.auto-deploy')?.status).toBe('fail');
  });

  it('an action in a step of a pull request test job may still add a scanner, not a deploy on merge', () => {
    const v = verdicts({
      path: '.github/workflows/ci.yml',
      content: `on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/actions/setup@v1
      - run: npm test
`,
    });
    expect(v.get('people.automated-tests')?.status).toBe('pass');
    expect(v.get('process.container-scan')?.status).toBe('unknown');
    expect(v.get('technology.secrets-hygiene')?.status).toBe('unknown');
    expect(v.get('people.auto-deploy')?.status).toBe('fail');
  });

  it('a GitLab include may add jobs on any trigger: unknown', () => {
    const v = verdicts({
      path: '.gitlab-ci.yml',
      content: `include:
  - project: acme/pipelines
    file: deploy.yml
test:
  script: npm test
`,
    });
    expect(v.get('people.auto-deploy')?.status).toBe('unknown');
    expect(v.get('process.continuous-scanning')?.status).toBe('unknown');
  });
});
