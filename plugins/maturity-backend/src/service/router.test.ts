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
import { FactStore, PushedFact } from '../database/DatabaseFactStore';
import { BUILTIN_FACT_SOURCES } from './facts';
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

/** An in-memory FactStore recording what was pushed. */
class MemoryFacts implements FactStore {
  pushed: PushedFact[] = [];
  async addFacts(facts: PushedFact[]) {
    this.pushed.push(...facts);
  }
  async latestFacts() {
    return new Map();
  }
}

let facts: MemoryFacts;

async function createApp(
  entities = [component('checkout-service'), component('fresh')],
) {
  facts = new MemoryFacts();
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    catalog: catalogServiceMock({ entities }),
    store: new MemoryStore(),
    checks: builtinChecks,
    facts,
    factSources: new Set(BUILTIN_FACT_SOURCES),
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

describe('POST /facts', () => {
  const dora = {
    entityRef: 'component:default/checkout-service',
    source: 'dora',
    timestamp: '2026-11-24T18:00:00Z',
    values: { deploymentsPerWeek: 6 },
  };
  const post = (
    app: express.Express,
    body: unknown,
    header = mockCredentials.service.header(),
  ) =>
    request(app)
      .post('/facts')
      .set('Authorization', header)
      .send(body as object);

  it('stores facts pushed by a service, naming who pushed them', async () => {
    const app = await createApp();
    const res = await post(app, { facts: [dora] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ accepted: 1 });
    expect(facts.pushed).toEqual([
      {
        entityRef: 'component:default/checkout-service',
        source: 'dora',
        timestamp: '2026-11-24T18:00:00.000Z',
        values: { deploymentsPerWeek: 6 },
        pushedBy: 'external:test-service',
      },
    ]);
  });

  it('refuses a user token (403) and no token (401), storing nothing', async () => {
    const app = await createApp();
    expect(
      (await post(app, { facts: [dora] }, mockCredentials.user.header()))
        .status,
    ).toBe(403);
    expect(
      (await post(app, { facts: [dora] }, mockCredentials.none.header()))
        .status,
    ).toBe(401);
    expect(facts.pushed).toEqual([]);
  });

  it.each([
    [{}, 'Invalid fact: facts: Required'],
    [
      { facts: [] },
      'Invalid fact: facts: Array must contain at least 1 element(s)',
    ],
    [
      { facts: [{ ...dora, values: { critical: { nested: 1 } } }] },
      'Invalid fact: facts[0].values.critical',
    ],
    [
      { facts: [{ ...dora, timestamp: 'yesterday' }] },
      'Invalid fact: facts[0].timestamp',
    ],
    [
      { facts: [{ ...dora, timestamp: '2999-01-01T00:00:00Z' }] },
      'Invalid fact: facts[0].timestamp: 2999-01-01T00:00:00Z is in the future',
    ],
    [
      { facts: [{ ...dora, extra: 1 }] },
      "Invalid fact: facts[0]: Unrecognized key(s) in object: 'extra'",
    ],
    [
      { facts: [{ ...dora, source: 'horoscope' }] },
      'Invalid fact: facts[0].source: unknown fact type "horoscope"',
    ],
    [
      { facts: [{ ...dora, entityRef: 'component:' }] },
      'Invalid fact: facts[0].entityRef',
    ],
    [
      {
        facts: [
          {
            ...dora,
            entityRef: "component:default/x'; DROP TABLE maturity_facts;--",
          },
        ],
      },
      'Invalid fact: entityRef: no entity',
    ],
    [
      { facts: [{ ...dora, entityRef: 'component:default/ghost' }] },
      'Invalid fact: entityRef: no entity component:default/ghost in the catalog',
    ],
  ])(
    'rejects %j with 400 naming the field, storing nothing',
    async (body, message) => {
      const app = await createApp();
      const res = await post(app, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
      expect(facts.pushed).toEqual([]);
    },
  );

  it('refuses a huge body', async () => {
    const app = await createApp();
    const values = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]),
    );
    const res = await post(app, {
      facts: Array.from({ length: 20 }, () => ({ ...dora, values })),
    });
    expect(res.status).toBe(413);
    expect(facts.pushed).toEqual([]);
  });
});
