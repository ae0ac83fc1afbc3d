import { evaluateAutoDeploy } from '../../checks/people';
import { evaluateSmokeTests } from '../../checks/technology';
import { component, signalsFor } from '../../testUtils';
import { defaultToolPatterns } from '../tools';
import { parseYaml } from '../yaml';
import { parseGithubWorkflow } from './githubActions';

const FILE = '.github/workflows/e2e.yml';
const pipelineOf = (text: string) =>
  parseGithubWorkflow(FILE, parseYaml(text).docs[0]!, defaultToolPatterns)
    .pipeline;
const signals = (text: string) =>
  signalsFor(component('app'), { extraction: { ci: [pipelineOf(text)] } });

describe('tests of a running instance', () => {
  it('a kind cluster, a deploy into it and a probe: a smoke test, not a deploy', () => {
    const text = `
on: { push: { branches: [main] }, pull_request: {} }
jobs:
  e2e:
    steps:
      - uses: helm/kind-action@v1
      - run: kubectl apply -f k8s/
      - run: kubectl wait --for=condition=ready pod -l app=web --timeout=120s
`;
    expect(evaluateSmokeTests(signals(text))).toMatchObject({
      status: 'pass',
      message: `CI tests a running instance: kubectl wait after kind (${FILE}:8).`,
    });
    // The deploy went to the job's own throwaway cluster.
    expect(pipelineOf(text).deploys).toEqual([]);
    expect(evaluateAutoDeploy(signals(text)).status).toBe('fail');
  });

  it('compose up and curl in one step', () => {
    const p = pipelineOf(`
on: pull_request
jobs:
  smoke:
    steps:
      - run: |
          docker compose up -d --wait
          curl -fsS http://localhost:8080/healthz
`);
    expect(p.smokeTests.map(s => `${s.tool}:${s.line}`)).toEqual([
      'curl after docker compose up:8',
    ]);
  });

  it('a probe after a deploy to a lasting environment', () => {
    const p = pipelineOf(`
on: { push: { branches: [main] } }
jobs:
  deploy:
    environment: staging
    steps:
      - run: helm upgrade --install app chart
      - run: curl -f https://staging.example.com/healthz
`);
    expect(p.smokeTests.map(s => s.tool)).toEqual(['curl after helm upgrade']);
    expect(p.deploys.map(d => d.tool)).toEqual(['helm upgrade']);
  });

  it('a job named e2e that only runs unit tests is not one', () => {
    const text = `
on: pull_request
jobs:
  e2e:
    name: E2E tests
    steps:
      - name: Run e2e tests
        run: go test ./...
`;
    expect(pipelineOf(text).smokeTests).toEqual([]);
    const outcome = evaluateSmokeTests(signals(text));
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toContain(
      `go test (${FILE}:8) runs tests without starting the service.`,
    );
  });

  it.each([
    ['helm test app', 'helm test'],
    ['npx playwright test', 'playwright'],
    ['newman run api.postman_collection.json', 'newman'],
    ['make test-e2e', 'e2e test'],
  ])('`%s` is one by itself (%s)', (run, tool) => {
    const p = pipelineOf(`
on: pull_request
jobs:
  check:
    steps:
      - run: ${run}
`);
    expect(p.smokeTests.map(s => s.tool)).toEqual([tool]);
  });
});
