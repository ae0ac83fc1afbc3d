import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { maturityPlugin } from './plugin';
import { component, group } from '@cnmaturity/plugin-maturity-rules/testUtils';

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

  describe('org-wide controls', () => {
    const secretScanning = {
      id: 'github-secret-scanning',
      satisfies: ['technology.secrets-hygiene'],
      evidence:
        'https://github.com/organizations/acme/settings/security_analysis',
      appliesTo: { kind: 'Component', 'metadata.name': 'checkout-service' },
      reviewed: '2026-09-01',
    };

    it('pass the checks they list for the entities they apply to', async () => {
      const { server } = await startTestBackend({
        features: features({ orgControls: [secretScanning] }),
      });
      const hygiene = (result: any) =>
        result.checks.find(
          (c: any) => c.checkId === 'technology.secrets-hygiene',
        );
      expect(hygiene(await waitForResult(server, 'checkout-service'))).toEqual({
        checkId: 'technology.secrets-hygiene',
        status: 'pass',
        message:
          'Satisfied by the org-wide control github-secret-scanning (reviewed 2026-09-01).',
        evidence: [
          {
            type: 'org-control',
            label: 'github-secret-scanning',
            value: '2026-09-01',
            ref: 'https://github.com/organizations/acme/settings/security_analysis',
          },
        ],
      });
      // Not covered by the filter: still unknown without a repository.
      expect(
        hygiene(await waitForResult(server, 'legacy-billing')),
      ).toMatchObject({ status: 'unknown' });
    });

    it('refuse to start on a control naming an unknown check, naming the entry', async () => {
      await expect(
        startTestBackend({
          features: features({
            orgControls: [
              { ...secretScanning, id: 'central-logging' },
              { ...secretScanning, satisfies: ['technology.secret-hygine'] },
            ],
          }),
        }),
      ).rejects.toThrow(
        `Invalid config at 'maturity.orgControls[1]' (github-secret-scanning): satisfies names unknown check "technology.secret-hygine"`,
      );
    });

    it('refuse to start on an invalid evidence link, naming the entry', async () => {
      await expect(
        startTestBackend({
          features: features({
            orgControls: [{ ...secretScanning, evidence: 'see wiki' }],
          }),
        }),
      ).rejects.toThrow(
        "Invalid config at 'maturity.orgControls[0]' (github-secret-scanning): evidence is required",
      );
    });
  });
});
