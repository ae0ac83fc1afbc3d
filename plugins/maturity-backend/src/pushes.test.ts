import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { component, group } from '@cnmaturity/plugin-maturity-rules/testUtils';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import eventsPlugin from '@backstage/plugin-events-backend';
import { GithubEventRouter } from '@backstage/plugin-events-backend-module-github';
import {
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { FakeGitHubApi } from './__testUtils__/fakeGitHubApi';
import { maturityPlugin } from './plugin';

/*
 * A push webhook end to end: GitHub's `push` delivery arrives at the events
 * backend's HTTP ingress, the GitHub module's router publishes it on
 * `github.push`, and the maturity plugin re-evaluates the entity whose
 * repository was pushed to, reading it through Backstage's real GitHub
 * UrlReader from a fake GitHub API, without a cycle. (The module's package
 * entry loads its parts with dynamic imports, which jest cannot; its router
 * is added here as the package adds it. Signature validation is the
 * module's, configured with `events.modules.github.webhookSecret`.)
 */

const githubEventRouter = createBackendModule({
  pluginId: 'events',
  moduleId: 'github-event-router',
  register(env) {
    env.registerInit({
      deps: { events: eventsServiceRef },
      async init({ events }) {
        await new GithubEventRouter({ events }).subscribe();
      },
    });
  },
});

const HOST = 'github.example.test';
const TOKEN = 'ghp_test-token';
const SOURCE = `https://${HOST}/acme/payments/tree/main/`;

const WORKFLOW = [
  'on: [push, pull_request]',
  'jobs:',
  '  test:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - run: npm test',
].join('\n');

const apis: FakeGitHubApi[] = [];
afterEach(async () => {
  await Promise.all(apis.splice(0).map(api => api.close()));
});

async function start() {
  const api = await FakeGitHubApi.start({
    owner: 'acme',
    repo: 'payments',
    files: { '.github/workflows/ci.yml': WORKFLOW },
    token: TOKEN,
  });
  apis.push(api);
  const logger = mockServices.rootLogger.factory();
  // Kept, to run a cycle (the sweep that catches missed pushes) on demand.
  // (Typed as the service; it is the mock scheduler, with its factory.)
  const scheduler = mockServices.scheduler() as ReturnType<
    typeof mockServices.scheduler
  > & { factory: typeof mockServices.scheduler.factory };
  const { server } = await startTestBackend({
    features: [
      maturityPlugin,
      eventsPlugin,
      githubEventRouter,
      // The real events service: one bus for every plugin (the test
      // backend's mock gives each plugin its own).
      eventsServiceFactory,
      logger,
      mockServices.rootConfig.factory({
        data: {
          integrations: {
            github: [{ host: HOST, apiBaseUrl: api.apiBaseUrl, token: TOKEN }],
          },
          events: { http: { topics: ['github'] }, useEventBus: 'never' },
        },
      }),
      catalogServiceMock.factory({
        entities: [
          component(
            'payments',
            { owner: 'team-a' },
            {
              annotations: { 'backstage.io/source-location': `url:${SOURCE}` },
            },
          ),
          component(
            'elsewhere',
            { owner: 'team-a' },
            {
              annotations: {
                'backstage.io/source-location': `url:https://${HOST}/acme/other/tree/main/`,
              },
            },
          ),
          group('team-a', ['ada']),
        ],
      }),
      scheduler.factory({ includeInitialDelayedTasksOnStartup: true }),
    ],
  });
  const cycle = () => scheduler.triggerTask('maturity-evaluate');
  return { api, server, cycle };
}

async function result(server: any) {
  const res = await request(server)
    .get('/api/maturity/entities/component/default/payments')
    .set('Authorization', mockCredentials.user.header());
  return res.status === 200 ? res.body : undefined;
}

async function waitFor<T>(
  what: string,
  read: () => Promise<T | undefined>,
): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const statuses = (r: any) =>
  Object.fromEntries(r.checks.map((c: any) => [c.checkId, c.status]));

/** A GitHub push delivery. */
function deliver(server: any, payload: unknown) {
  return request(server)
    .post('/api/events/http/github')
    .set('content-type', 'application/json')
    .set('x-github-event', 'push')
    .set('x-github-delivery', randomUUID())
    .send(JSON.stringify(payload));
}

const pushPayload = (api: FakeGitHubApi, repo = 'payments') => ({
  ref: 'refs/heads/main',
  before: '0'.repeat(40),
  after: api.sha,
  deleted: false,
  repository: {
    name: repo,
    full_name: `acme/${repo}`,
    html_url: `https://${HOST}/acme/${repo}`,
    default_branch: 'main',
    owner: { login: 'acme', name: 'acme' },
  },
  pusher: { name: 'ada' },
  commits: [{ id: api.sha, added: ['Dockerfile'], modified: [], removed: [] }],
  head_commit: {
    id: api.sha,
    added: ['Dockerfile'],
    modified: [],
    removed: [],
  },
});

describe('a push to a repository', () => {
  it('re-evaluates the entities that read it within seconds, without a cycle', async () => {
    const { api, server } = await start();
    const before = await waitFor('the first result', () => result(server));
    const cycleReads = api.count('codeload');

    api.push({
      '.github/workflows/ci.yml': WORKFLOW,
      Dockerfile: 'FROM node:22-alpine\nUSER node\n',
    });
    const res = await deliver(server, pushPayload(api));
    expect(res.status).toBe(202);

    const after = await waitFor('the result after the push', async () => {
      const r = await result(server);
      return r && r.evaluatedAt > before.evaluatedAt ? r : undefined;
    });
    // The new Dockerfile is in the evidence now.
    expect(statuses(after)).not.toEqual(statuses(before));
    expect(JSON.stringify(after.checks)).toContain('"Dockerfile');
    expect(JSON.stringify(before.checks)).not.toContain('"Dockerfile');
    // One download for the push; the other entity's repository was not read.
    expect(api.count('codeload')).toBe(cycleReads + 1);
  }, 30_000);

  it('is not evaluated again by the next cycle once the push has been', async () => {
    const { api, server, cycle } = await start();
    const before = await waitFor('the first result', () => result(server));
    api.push({ Dockerfile: 'FROM node:22-alpine\nUSER node\n' });
    await deliver(server, pushPayload(api));
    const pushed = await waitFor('the result after the push', async () => {
      const r = await result(server);
      return r && r.evaluatedAt > before.evaluatedAt ? r : undefined;
    });
    const downloads = api.count('codeload');

    await cycle();

    // The cycle's head lookup finds the sha the push already read.
    expect((await result(server)).evaluatedAt).toBe(pushed.evaluatedAt);
    expect(api.count('codeload')).toBe(downloads);
  }, 30_000);

  it('is not evaluated again by a late push once a cycle found the change', async () => {
    const { api, server, cycle } = await start();
    const before = await waitFor('the first result', () => result(server));
    api.push({ Dockerfile: 'FROM node:22-alpine\nUSER node\n' });
    // A missed (or delayed) webhook: the cycle finds the change itself.
    await cycle();
    const swept = await result(server);
    expect(swept.evaluatedAt > before.evaluatedAt).toBe(true);
    expect(JSON.stringify(swept.checks)).toContain('"Dockerfile');
    const downloads = api.count('codeload');

    expect((await deliver(server, pushPayload(api))).status).toBe(202);
    await new Promise(r => setTimeout(r, 1500));

    expect((await result(server)).evaluatedAt).toBe(swept.evaluatedAt);
    expect(api.count('codeload')).toBe(downloads);
  }, 30_000);

  it('ignores pushes to unknown repositories and malformed deliveries', async () => {
    const { api, server } = await start();
    const before = await waitFor('the first result', () => result(server));
    const requests = api.requests.length;

    expect(
      (await deliver(server, pushPayload(api, 'unknown-repo'))).status,
    ).toBe(202);
    // A delivery the plugin cannot use is ignored, not a crash.
    expect((await deliver(server, { zen: 'ping' })).status).toBe(202);
    await new Promise(r => setTimeout(r, 1500));

    expect(api.requests.length).toBe(requests);
    expect((await result(server)).evaluatedAt).toBe(before.evaluatedAt);
  });
});
