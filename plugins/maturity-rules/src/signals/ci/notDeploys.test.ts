import { evaluateAutoDeploy } from '../../checks/people';
import { component, signalsFor } from '../../testUtils';
import { defaultToolPatterns } from '../tools';
import { parseYaml } from '../yaml';
import { parseGithubWorkflow } from './githubActions';

const FILE = '.github/workflows/release.yml';
const workflow = (text: string) =>
  parseGithubWorkflow(FILE, parseYaml(text).docs[0]!, defaultToolPatterns);
const autoDeploy = (text: string) =>
  evaluateAutoDeploy(
    signalsFor(component('app'), {
      extraction: { ci: [workflow(text).pipeline] },
    }),
  );
const NO_DEPLOY =
  'No automatic deploy: no CI deploy job on merge or tags, no GitOps config (Argo CD, Flux, Config Sync) and no argocd/app-name annotation.';

describe('jobs that are not deploys', () => {
  it('a job bound to an environment that tears it down', () => {
    const text = `
on: { pull_request: { types: [closed] }, push: { branches: [main] } }
jobs:
  delete-preview:
    environment: staging
    steps:
      - run: helm uninstall app-pr-1 --namespace preview
      - run: gh api -X DELETE repos/acme/app/deployments/1
`;
    const { pipeline, environments } = workflow(text);
    expect(pipeline.deploys).toEqual([]);
    // The environment still exists; binding it just is not a deploy.
    expect(environments.map(e => `${e.name}:${e.line}`)).toEqual(['staging:5']);
    expect(autoDeploy(text)).toMatchObject({
      status: 'fail',
      message: NO_DEPLOY,
    });
  });

  it('a tagged release that only publishes archives, packages and charts', () => {
    const text = `
on: { push: { tags: ['v*'] } }
jobs:
  release:
    environment: release
    steps:
      - uses: goreleaser/goreleaser-action@v6
      - run: gh release upload v1.0.0 dist/*.tar.gz
      - run: npm publish
      - run: helm push app-1.0.0.tgz oci://ghcr.io/acme/charts
`;
    expect(workflow(text).pipeline.deploys).toEqual([]);
    expect(autoDeploy(text).status).toBe('fail');
  });

  it('a job whose name says deploy but whose steps do not', () => {
    const text = `
on: { push: { branches: [main] } }
name: Deploy
jobs:
  deploy-docs:
    name: Deploy docs
    steps:
      - run: mkdocs gh-deploy --force
  security-scan:
    name: Deploy security scan
    steps:
      - run: echo scanning
`;
    expect(workflow(text).pipeline.deploys).toEqual([]);
    expect(autoDeploy(text).message).toBe(NO_DEPLOY);
  });

  it('still takes an environment job with its own deploy script for a deploy', () => {
    const text = `
on: { push: { branches: [main] } }
jobs:
  ship:
    environment: production
    steps:
      - run: ./scripts/rollout.sh
`;
    expect(autoDeploy(text)).toMatchObject({
      status: 'pass',
      message: `CI deploys on merge to the default branch: deploy job to production (${FILE}:5).`,
    });
  });
});
