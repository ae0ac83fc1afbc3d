import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityMaturityResult } from '@cnmaturity/plugin-maturity-common';
import express from 'express';
import request from 'supertest';
import { builtinChecks } from '../checks';
import { component } from '../__testUtils__/entities';
import { MaturityStore } from '../database/MaturityStore';
import { createRouter } from './router';

const stored: EntityMaturityResult = {
  entityRef: 'component:default/checkout-service',
  evaluatedAt: '2026-11-25T10:00:00.000Z',
  stale: false,
  level: 0,
  counts: { pass: 1, fail: 0, unknown: 0, exempt: 0, 'not-applicable': 0 },
  checks: [
    {
      checkId: 'people.team-owner',
      status: 'pass',
      message: 'Owned by group:default/payments-team, a group with 2 members.',
      evidence: [],
    },
  ],
};

/** An in-memory store; the database store has its own tests on every engine. */
class MemoryStore implements MaturityStore {
  results = new Map<string, EntityMaturityResult>([[stored.entityRef, stored]]);
  async upsertResults() {}
  async getResult(ref: string) {
    return this.results.get(ref);
  }
}

async function createApp(
  entities = [component('checkout-service'), component('fresh')],
) {
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    catalog: catalogServiceMock({ entities }),
    store: new MemoryStore(),
    checks: builtinChecks,
  });
  return express().use(router).use(mockErrorHandler());
}

describe('GET /entities/:kind/:namespace/:name', () => {
  it('returns the stored result to a signed-in user', async () => {
    const app = await createApp();
    const res = await request(app)
      .get('/entities/Component/default/checkout-service')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual(stored);
  });

  it('serves a service principal too', async () => {
    const app = await createApp();
    const res = await request(app)
      .get('/entities/component/default/checkout-service')
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
  });

  it('rejects a request without credentials with 401', async () => {
    const app = await createApp();
    const res = await request(app)
      .get('/entities/component/default/checkout-service')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it('rejects a bad token with 401', async () => {
    const app = await createApp();
    const res = await request(app)
      .get('/entities/component/default/checkout-service')
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(res.status).toBe(401);
  });

  it('says 404 "not evaluated yet" for a known entity without a result', async () => {
    const app = await createApp();
    const res = await request(app)
      .get('/entities/component/default/fresh')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'component:default/fresh has not been evaluated yet',
    );
  });

  it('says 404 for an entity the caller cannot see in the catalog, even if a result is stored', async () => {
    const app = await createApp([]);
    const res = await request(app)
      .get('/entities/component/default/checkout-service')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'No entity component:default/checkout-service in the catalog',
    );
  });

  it('rejects a malformed name with 400 naming the field', async () => {
    const app = await createApp();
    const res = await request(app)
      .get(`/entities/component/default/${encodeURIComponent('bad name;drop')}`)
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Invalid entity name "bad name;drop"');
  });
});

describe('GET /rubric', () => {
  it('lists the configured checks without their code', async () => {
    const app = await createApp();
    const res = await request(app)
      .get('/rubric')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.checks).toHaveLength(builtinChecks.length);
    expect(res.body.checks).toContainEqual(
      expect.objectContaining({
        id: 'people.team-owner',
        level: 2,
        area: 'people',
        kind: 'required',
        remediation: expect.stringContaining('Set spec.owner to a Group'),
      }),
    );
    expect(res.body.checks[0].evaluate).toBeUndefined();
  });

  it('requires credentials', async () => {
    const app = await createApp();
    const res = await request(app)
      .get('/rubric')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(401);
  });
});
