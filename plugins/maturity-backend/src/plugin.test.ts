import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { maturityPlugin } from './plugin';
import { component, group } from './__testUtils__/entities';

const entities = [
  component('checkout-service', { owner: 'payments-team' }),
  component('legacy-billing', { owner: 'legacy-ops' }),
  component('broken', { owner: ['not', 'a', 'string'] }),
  group('payments-team', ['ada', 'linus']),
  group('legacy-ops', []),
];

function features(maturity: JsonObject = {}) {
  return [
    maturityPlugin,
    mockServices.rootConfig.factory({ data: { maturity } }),
    catalogServiceMock.factory({ entities }),
    mockServices.scheduler.factory({
      includeInitialDelayedTasksOnStartup: true,
    }),
  ];
}

async function waitForResult(server: any, name: string) {
  for (let i = 0; i < 100; i++) {
    const res = await request(server)
      .get(`/api/maturity/entities/component/default/${name}`)
      .set('Authorization', mockCredentials.user.header());
    if (res.status === 200) return res.body;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`no result for ${name}`);
}

describe('maturity backend plugin', () => {
  it('evaluates every Component on its schedule and serves the results', async () => {
    const { server } = await startTestBackend({ features: features() });

    const checkout = await waitForResult(server, 'checkout-service');
    const ownership = (result: any) =>
      result.checks.find((c: any) => c.checkId === 'people.team-owner');
    expect(ownership(checkout)).toMatchObject({ status: 'pass' });
    // Without a source location, repository checks are unknown, not failed.
    expect(
      checkout.checks.find((c: any) => c.checkId === 'process.ci-pipeline'),
    ).toMatchObject({ status: 'unknown' });
    expect(checkout).toMatchObject({
      level: 0,
      areaLevels: expect.any(Object),
      scorePercent: expect.any(Number),
    });

    const legacy = await waitForResult(server, 'legacy-billing');
    expect(ownership(legacy)).toMatchObject({
      status: 'fail',
      message: 'The owning group group:default/legacy-ops has no members.',
    });

    // A malformed owner is a failed check with a reason, not a crash.
    const broken = await waitForResult(server, 'broken');
    expect(ownership(broken)).toMatchObject({
      status: 'fail',
      message: 'No owning team: spec.owner is not a string (object).',
    });

    // Groups are not a configured kind, so they get no result.
    const res = await request(server)
      .get('/api/maturity/entities/group/default/payments-team')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
  });

  it('wires the summary, refresh and the registered permissions', async () => {
    const { server } = await startTestBackend({ features: features() });
    await waitForResult(server, 'checkout-service');
    await waitForResult(server, 'legacy-billing');
    await waitForResult(server, 'broken');

    const summary = await request(server)
      .get('/api/maturity/summary?owner=group:default/payments-team')
      .set('Authorization', mockCredentials.user.header());
    expect(summary.status).toBe(200);
    expect(summary.body.rows.map((r: any) => r.name)).toEqual([
      'checkout-service',
    ]);

    const refreshed = await request(server)
      .post('/api/maturity/entities/component/default/checkout-service/refresh')
      .set('Authorization', mockCredentials.user.header());
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.entityRef).toBe('component:default/checkout-service');

    // Policies can see and grant the plugin's permissions.
    const metadata = await request(server).get(
      '/api/maturity/.well-known/backstage/permissions/metadata',
    );
    expect(metadata.body.permissions.map((p: any) => p.name)).toEqual(
      expect.arrayContaining([
        'maturity.entity.refresh',
        'maturity.entity.attest',
      ]),
    );
  });

  it('refuses to start on an unknown check id, naming the key', async () => {
    await expect(
      startTestBackend({
        features: features({
          checks: { people: { 'team-ownr': { weight: 2 } } },
        }),
      }),
    ).rejects.toThrow("Invalid config at 'maturity.checks.people.team-ownr'");
  });

  it('refuses to start on a wrongly typed option, naming the key', async () => {
    await expect(
      startTestBackend({ features: features({ kinds: 'Component' }) }),
    ).rejects.toThrow('maturity.kinds');
  });
});
