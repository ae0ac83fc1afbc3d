import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabaseId,
} from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
import { builtinChecks } from '@cnmaturity/plugin-maturity-rules';
import { RepositoryCollector } from '../collectors/RepositoryCollector';
import { DatabaseAttestationStore } from '../database/DatabaseAttestationStore';
import { DatabaseFactStore } from '../database/DatabaseFactStore';
import { DatabaseMaturityStore } from '../database/DatabaseMaturityStore';
import { EntityResultRecord } from '../database/MaturityStore';
import { MaturityEvaluator } from '../engine/MaturityEvaluator';
import {
  createTestDatabases,
  expectEveryEngine,
} from '../__testUtils__/databases';
import { component, group } from '@cnmaturity/plugin-maturity-rules/testUtils';
import { BUILTIN_FACT_SOURCES } from './facts';
import { createRouter } from './router';
import { DatabaseScmStatusStore } from '../database/DatabaseScmStatusStore';
import { ScmRequestBudget } from '../scm/RequestBudget';
import { ScmStatusRecorder } from '../scm/ScmStatusRecorder';
import { CatalogVisibility } from './visibility';

const databases = createTestDatabases();

it('runs on every database engine (set BACKSTAGE_TEST_DATABASE_<ID>_CONNECTION_STRING)', () => {
  expectEveryEngine(databases);
});

const entities: Entity[] = [
  component('checkout-service', {
    owner: 'payments-team',
    system: 'payments',
  }),
  component('cart', { owner: 'payments-team', system: 'payments' }),
  component('search', { owner: 'discovery-team', lifecycle: 'experimental' }),
  component('secret-project', { owner: 'skunkworks' }),
  component('fresh', { owner: 'payments-team' }),
  group('payments-team', ['ada', 'linus']),
  group('discovery-team', ['grace']),
  group('skunkworks', ['hedy']),
];

/** Users may not read secret-project in the catalog; services may. */
const HIDDEN_FROM_USERS = 'component:default/secret-project';

const areaLevels = (l: 0 | 1 | 2 | 3) => ({
  people: l,
  process: l,
  policy: l,
  technology: l,
  business: l,
});

function record(
  name: string,
  level: 0 | 1 | 2 | 3,
  extra: Partial<EntityResultRecord> = {},
): EntityResultRecord {
  return {
    entityRef: `component:default/${name}`,
    kind: 'component',
    namespace: 'default',
    name,
    type: 'service',
    lifecycle: 'production',
    level,
    evaluatedAt: new Date('2026-11-24T10:00:00.000Z'),
    checks: [
      {
        checkId: 'people.team-owner',
        status: level >= 2 ? 'pass' : 'fail',
        message: 'owner',
        evidence: [],
      },
    ],
    details: { areaLevels: areaLevels(level), scorePercent: level * 20 },
    inputsHash: `hash-${name}`,
    ...extra,
  };
}

const seeded = [
  record('checkout-service', 2, {
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
    targetLevel: 3,
    targetDate: '2026-06-30',
  }),
  record('cart', 3, {
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
    targetLevel: 3,
  }),
  record('search', 1, {
    owner: 'group:default/discovery-team',
    lifecycle: 'experimental',
    title: 'Product Search',
  }),
  record('secret-project', 0, { owner: 'group:default/skunkworks' }),
];

/** A catalog that hides one entity from users, as a permission policy would. */
function catalogWithPolicy(): CatalogService {
  const all = catalogServiceMock({ entities });
  const forUsers = catalogServiceMock({
    entities: entities.filter(
      e => `component:default/${e.metadata.name}` !== HIDDEN_FROM_USERS,
    ),
  });
  return new Proxy(all, {
    get(target, prop) {
      return (...args: any[]) => {
        const credentials: BackstageCredentials<{ type: string }> | undefined =
          args[args.length - 1]?.credentials;
        const catalog =
          credentials?.principal.type === 'user' ? forUsers : target;
        return (catalog as any)[prop](...args);
      };
    },
  });
}

/** Permission decisions per permission name; the default allows. */
function permissionsWith(
  decisions: Record<string, AuthorizeResult> = {},
): PermissionsService {
  return {
    async authorize(requests) {
      return requests.map(r => ({
        result:
          decisions[r.permission.name] === AuthorizeResult.DENY
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      }));
    },
    async authorizeConditional(requests) {
      return requests.map(r => {
        const result = decisions[r.permission.name] ?? AuthorizeResult.ALLOW;
        return result === AuthorizeResult.CONDITIONAL
          ? {
              result,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: { claims: [] },
              },
            }
          : { result };
      }) as any;
    },
  };
}

describe.each(databases.eachSupportedId())('router on %s', databaseId => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init(databaseId as TestDatabaseId);
  });

  beforeEach(async () => {
    // One database per engine; every test starts from the same rows.
    const store = await DatabaseMaturityStore.create({
      database: mockServices.database({ knex }),
    });
    for (const table of [
      'maturity_results',
      'maturity_history',
      'maturity_facts',
      'maturity_attestations',
    ]) {
      await knex(table).delete();
    }
    await store.upsertResults(seeded);
  });

  /** The SCM status as the plugin records it after a cycle, in this database. */
  const scmStatus = {
    async recorder() {
      return new ScmStatusRecorder({
        rows: await DatabaseScmStatusStore.create({
          database: mockServices.database({ knex }),
        }),
        budget: new ScmRequestBudget(),
        now: () => new Date('2026-12-04T12:00:00.000Z'),
      });
    },
    async current() {
      return (await this.recorder()).current();
    },
  };

  async function createApp(decisions: Record<string, AuthorizeResult> = {}) {
    const database = mockServices.database({ knex });
    const store = await DatabaseMaturityStore.create({ database });
    const facts = await DatabaseFactStore.create({ database });
    const attestations = await DatabaseAttestationStore.create({ database });
    const catalog = catalogWithPolicy();
    const permissions = permissionsWith(decisions);
    const evaluator = new MaturityEvaluator({
      catalog,
      auth: mockServices.auth(),
      store,
      facts,
      attestations,
      logger: mockServices.logger.mock(),
      checks: () => builtinChecks,
      rubricHash: 'test',
      kinds: ['Component'],
      concurrency: 2,
      tools: { allowed: [], denied: [] },
      attestationMaxAgeDays: 365,
      startRepositoryCycle: () =>
        new RepositoryCollector({
          urlReader: mockServices.urlReader.mock(),
          logger: mockServices.logger.mock(),
        }).startCycle(),
    });
    const router = await createRouter({
      httpAuth: mockServices.httpAuth(),
      permissions,
      catalog,
      store,
      checks: builtinChecks,
      facts,
      attestations,
      factSources: new Set(BUILTIN_FACT_SOURCES),
      visibility: new CatalogVisibility({
        permissions,
        catalog,
        kinds: ['Component'],
      }),
      refresh: async ref => !!(await evaluator.evaluateOne(ref)),
      scmStatus: () => scmStatus.current(),
      attestationMaxAgeDays: 365,
      historyRetentionDays: 365,
    });
    return express().use(router).use(mockErrorHandler());
  }

  /** Every stored row, to prove a refused request changed nothing. */
  const snapshot = async () => ({
    results: await knex('maturity_results').orderBy('entity_ref'),
    facts: await knex('maturity_facts').orderBy('id'),
    attestations: await knex('maturity_attestations').orderBy('id'),
    history: await knex('maturity_history').orderBy(['entity_id', 'day']),
  });

  const user = mockCredentials.user.header();
  const service = mockCredentials.service.header();

  describe('GET /entities/:kind/:namespace/:name', () => {
    it('returns the stored result to a user and to a service', async () => {
      const app = await createApp();
      for (const header of [user, service]) {
        const res = await request(app)
          .get('/entities/Component/default/checkout-service')
          .set('Authorization', header);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          entityRef: 'component:default/checkout-service',
          level: 2,
          stale: false,
          areaLevels: areaLevels(2),
          scorePercent: 40,
        });
      }
    });

    it('is JSON with an ETag, 304 for a client that has it, and 200 once results change', async () => {
      const app = await createApp();
      const path = '/entities/component/default/checkout-service';
      const first = await request(app).get(path).set('Authorization', user);
      expect(first.headers['content-type']).toMatch(/^application\/json/);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await request(app)
        .get(path)
        .set('Authorization', user)
        .set('If-None-Match', etag);
      expect(again.status).toBe(304);
      // Another instance stores a new result: the next read sees it.
      const other = await DatabaseMaturityStore.create({
        database: mockServices.database({ knex }),
      });
      await other.upsertResults([record('checkout-service', 3)]);
      const changed = await request(app)
        .get(path)
        .set('Authorization', user)
        .set('If-None-Match', etag);
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(changed.body).toMatchObject({ level: 3 });
    });

    it('answers 401 without or with a bad token', async () => {
      const app = await createApp();
      for (const header of [
        mockCredentials.none.header(),
        mockCredentials.user.invalidHeader(),
      ]) {
        const res = await request(app)
          .get('/entities/component/default/checkout-service')
          .set('Authorization', header);
        expect(res.status).toBe(401);
      }
    });

    it('says 404 "not evaluated yet" for a known entity without a result', async () => {
      const res = await request(await createApp())
        .get('/entities/component/default/fresh')
        .set('Authorization', user);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(
        'component:default/fresh has not been evaluated yet',
      );
    });

    it('says 404 for an entity the user cannot read, although a result is stored', async () => {
      // The policy leaves it to the catalog, which hides the entity.
      const res = await request(
        await createApp({
          'catalog.entity.read': AuthorizeResult.CONDITIONAL,
        }),
      )
        .get('/entities/component/default/secret-project')
        .set('Authorization', user);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(
        'No entity component:default/secret-project in the catalog',
      );
    });

    it.each([
      ['name', 'bad name;drop'],
      ['name', "x'; DROP TABLE maturity_results;--"],
      ['kind', '../../etc'],
      ['name', 'a'.repeat(300)],
    ])('rejects a malformed %s with 400 naming it', async (field, value) => {
      const path =
        field === 'kind'
          ? `/entities/${encodeURIComponent(value)}/default/x`
          : `/entities/component/default/${encodeURIComponent(value)}`;
      const res = await request(await createApp())
        .get(path)
        .set('Authorization', user);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(`Invalid entity ${field} "${value}"`);
    });
  });

  describe('GET /entities/:kind/:namespace/:name/history', () => {
    it('returns one point per day, oldest first', async () => {
      const app = await createApp();
      const res = await request(app)
        .get('/entities/component/default/checkout-service/history?days=3650')
        .set('Authorization', user);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        entityRef: 'component:default/checkout-service',
        days: 365,
        history: expect.any(Array),
      });
      // The seeded result is dated 2026-11-24; it is within a year of today.
      const days = res.body.history.map((p: any) => p.day);
      expect(days).toEqual([...days].sort());
    });

    it.each(['0', '-1', 'abc', '1e9'])(
      'rejects days=%s with 400 naming the parameter',
      async days => {
        const res = await request(await createApp())
          .get(
            `/entities/component/default/checkout-service/history?days=${days}`,
          )
          .set('Authorization', user);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(
          'Invalid query parameter days',
        );
      },
    );

    it('hides the history of an entity the user cannot read', async () => {
      const res = await request(await createApp())
        .get('/entities/component/default/secret-project/history')
        .set('Authorization', user);
      expect(res.status).toBe(404);
    });
  });

  describe('POST /entities/:kind/:namespace/:name/refresh', () => {
    it('re-evaluates the entity now and returns the new result', async () => {
      const app = await createApp();
      const res = await request(app)
        .post('/entities/component/default/fresh/refresh')
        .set('Authorization', user);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/fresh',
        level: expect.any(Number),
      });
      expect(
        res.body.checks.find((c: any) => c.checkId === 'people.team-owner'),
      ).toMatchObject({ status: 'pass' });
      // The refresh wrote today's history row.
      const history = await request(app)
        .get('/entities/component/default/fresh/history?days=1')
        .set('Authorization', user);
      expect(history.body.history).toHaveLength(1);
    });

    it('answers 403 without the refresh permission and changes nothing', async () => {
      const app = await createApp({
        'maturity.entity.refresh': AuthorizeResult.DENY,
      });
      const before = await snapshot();
      const res = await request(app)
        .post('/entities/component/default/checkout-service/refresh')
        .set('Authorization', user);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('maturity.entity.refresh');
      expect(await snapshot()).toEqual(before);
    });

    it('answers 401 without credentials and 404 for an unreadable entity', async () => {
      const app = await createApp();
      expect(
        (
          await request(app)
            .post('/entities/component/default/checkout-service/refresh')
            .set('Authorization', mockCredentials.none.header())
        ).status,
      ).toBe(401);
      expect(
        (
          await request(app)
            .post('/entities/component/default/secret-project/refresh')
            .set('Authorization', user)
        ).status,
      ).toBe(404);
    });
  });

  describe('POST /entities/:kind/:namespace/:name/attestations', () => {
    const path = '/entities/component/default/checkout-service/attestations';
    const body = {
      checkId: 'people.k8s-fundamentals',
      evidenceUrl: 'https://wiki.example.com/training/2026',
      comment: 'All four engineers completed the Kubernetes basics course.',
    };

    it('records who attested and passes the check right away', async () => {
      const app = await createApp();
      const res = await request(app)
        .post(path)
        .set('Authorization', user)
        .send(body);
      expect(res.status).toBe(201);
      expect(res.body.attestation).toMatchObject({
        ...body,
        entityRef: 'component:default/checkout-service',
        attestedBy: 'user:default/mock',
        expiresOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
      expect(
        res.body.result.checks.find(
          (c: any) => c.checkId === 'people.k8s-fundamentals',
        ),
      ).toMatchObject({
        status: 'pass',
        evidence: [
          expect.objectContaining({
            type: 'attestation',
            label: 'attested by user:default/mock',
            ref: body.evidenceUrl,
          }),
        ],
      });
    });

    it('answers 403 without the attest permission, and 403 for a service token', async () => {
      for (const [decisions, header] of [
        [{ 'maturity.entity.attest': AuthorizeResult.DENY }, user],
        [{}, service],
      ] as const) {
        const app = await createApp(decisions);
        const before = await snapshot();
        const res = await request(app)
          .post(path)
          .set('Authorization', header)
          .send(body);
        expect(res.status).toBe(403);
        expect(await snapshot()).toEqual(before);
      }
    });

    it.each([
      [{}, 'Invalid attestation: checkId: Required'],
      [
        { ...body, checkId: 42 },
        'Invalid attestation: checkId: Expected string',
      ],
      [
        { ...body, checkId: 'people.nope' },
        'Invalid attestation: checkId: no check "people.nope" in the rubric',
      ],
      [
        { ...body, checkId: 'people.team-owner' },
        'Invalid attestation: checkId: "people.team-owner" is decided from evidence and cannot be attested',
      ],
      [
        // eslint-disable-next-line no-script-url
        { ...body, evidenceUrl: 'javascript:alert(1)' },
        'Invalid attestation: evidenceUrl: must be an http(s) URL',
      ],
      [
        { ...body, expiresOn: '2001-01-01' },
        'Invalid attestation: expiresOn: 2001-01-01 is in the past',
      ],
      [
        { ...body, expiresOn: '2999-01-01' },
        'Invalid attestation: expiresOn: at most 365 days ahead',
      ],
      [{ ...body, comment: 'x'.repeat(1001) }, 'Invalid attestation: comment'],
      [
        { ...body, attestedBy: 'user:default/someone-else' },
        "Invalid attestation: body: Unrecognized key(s) in object: 'attestedBy'",
      ],
    ])(
      'rejects %j with 400 naming the field, storing nothing',
      async (bad, message) => {
        const app = await createApp();
        const before = await snapshot();
        const res = await request(app)
          .post(path)
          .set('Authorization', user)
          .send(bad as object);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(message);
        expect(await snapshot()).toEqual(before);
      },
    );

    it('refuses a huge body with 413', async () => {
      const res = await request(await createApp())
        .post(path)
        .set('Authorization', user)
        .send({ ...body, comment: 'x'.repeat(300 * 1024) });
      expect(res.status).toBe(413);
    });
  });

  describe('GET /summary', () => {
    it('is JSON with an ETag, and 304 for a client that has it', async () => {
      const app = await createApp();
      const first = await request(app)
        .get('/summary')
        .set('Authorization', service);
      expect(first.headers['content-type']).toMatch(/^application\/json/);
      expect(first.body.totals.entities).toBe(4);
      const again = await request(app)
        .get('/summary')
        .set('Authorization', service)
        .set('If-None-Match', first.headers.etag);
      expect(again.status).toBe(304);
      const filtered = await request(app)
        .get('/summary?level=1')
        .set('Authorization', service)
        .set('If-None-Match', first.headers.etag);
      expect(filtered.status).toBe(200);
    });

    it('totals, rollups per owner and system, and a page of rows', async () => {
      const res = await request(await createApp())
        .get('/summary')
        .set('Authorization', service);
      expect(res.status).toBe(200);
      expect(res.body.totals).toMatchObject({
        entities: 4,
        levels: [1, 1, 1, 1, 0, 0],
        onTarget: 1,
        behindTarget: 1,
        overdue: 1,
        withoutTarget: 2,
        stale: 0,
      });
      expect(res.body.totals.areas.people).toEqual([1, 1, 1, 1, 0, 0]);
      expect(res.body.owners).toContainEqual({
        ref: 'group:default/payments-team',
        entities: 2,
        averageLevel: 2.5,
        medianLevel: 2.5,
        levels: [0, 0, 1, 1, 0, 0],
        onTarget: 1,
        behindTarget: 1,
        overdue: 1,
        withoutTarget: 0,
        onTargetShare: 0.5,
      });
      expect(res.body.systems.map((s: any) => s.ref)).toEqual([
        '',
        'system:default/payments',
      ]);
      expect(res.body.rows.map((r: any) => r.name)).toEqual([
        'cart',
        'checkout-service',
        'search',
        'secret-project',
      ]);
      expect(res.body.rows[1]).toMatchObject({
        gap: 1,
        behindTarget: true,
        overdue: true,
        targetDate: '2026-06-30',
      });
      expect(res.body.pageInfo).toEqual({});
    });

    it('answers a repeated question from memory until the results change', async () => {
      const app = await createApp();
      const ask = async () =>
        (await request(app).get('/summary').set('Authorization', service)).body
          .totals.entities;
      expect(await ask()).toBe(4);
      expect(await ask()).toBe(4);
      // A write by any instance bumps the results version.
      const other = await DatabaseMaturityStore.create({
        database: mockServices.database({ knex }),
      });
      await other.upsertResults([record('brand-new', 1)]);
      expect(await ask()).toBe(5);
    });

    it('never shows a user an entity they cannot read in the catalog', async () => {
      const app = await createApp({
        'catalog.entity.read': AuthorizeResult.CONDITIONAL,
      });
      const res = await request(app).get('/summary').set('Authorization', user);
      expect(res.status).toBe(200);
      expect(res.body.totals.entities).toBe(3);
      expect(res.body.rows.map((r: any) => r.entityRef)).not.toContain(
        HIDDEN_FROM_USERS,
      );
      expect(res.body.owners.map((o: any) => o.ref)).not.toContain(
        'group:default/skunkworks',
      );
      const csv = await request(app)
        .get('/summary.csv')
        .set('Authorization', user);
      expect(csv.text).not.toContain('secret-project');
    });

    it('shows nothing when the catalog denies reading', async () => {
      const app = await createApp({
        'catalog.entity.read': AuthorizeResult.DENY,
      });
      const res = await request(app).get('/summary').set('Authorization', user);
      expect(res.body.totals.entities).toBe(0);
      expect(res.body.rows).toEqual([]);
    });

    it.each([
      ['owner=group:default/payments-team', ['cart', 'checkout-service']],
      ['owner=GROUP:default/Payments-Team', ['cart', 'checkout-service']],
      [
        'owner=group:default/payments-team,group:default/discovery-team',
        ['cart', 'checkout-service', 'search'],
      ],
      [
        'owner=group:default/payments-team&owner=group:default/discovery-team',
        ['cart', 'checkout-service', 'search'],
      ],
      ['system=system:default/payments', ['cart', 'checkout-service']],
      ['lifecycle=experimental', ['search']],
      ['level=0,3', ['cart', 'secret-project']],
      ['behindTarget=true', ['checkout-service']],
      ['overdue=true', ['checkout-service']],
      ['q=product', ['search']],
      ['q=SECRET', ['secret-project']],
      [
        'kind=component&type=service&stale=false',
        ['cart', 'checkout-service', 'search', 'secret-project'],
      ],
      ['domain=domain:default/none', []],
    ])('filters by %s', async (query, names) => {
      const res = await request(await createApp())
        .get(`/summary?${query}`)
        .set('Authorization', service);
      expect(res.status).toBe(200);
      expect(res.body.rows.map((r: any) => r.name)).toEqual(names);
      expect(res.body.totals.entities).toBe(names.length);
    });

    it('pages with a cursor in the requested order, without gaps or repeats', async () => {
      const app = await createApp();
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const res = await request(app)
          .get('/summary')
          .query({
            order: 'level:desc',
            limit: 1,
            ...(cursor ? { cursor } : {}),
          })
          .set('Authorization', service);
        expect(res.status).toBe(200);
        expect(res.body.rows).toHaveLength(1);
        seen.push(res.body.rows[0].name);
        cursor = res.body.pageInfo.nextCursor;
      } while (cursor);
      expect(seen).toEqual([
        'cart',
        'checkout-service',
        'search',
        'secret-project',
      ]);
    });

    it.each([
      ['level=6', 'Invalid query parameter level: levels are 0 to 5'],
      ['level=1;DROP TABLE maturity_results', 'Invalid query parameter level'],
      [
        'behindTarget=yes',
        'Invalid query parameter behindTarget: must be true or false',
      ],
      [
        'order=password',
        'Invalid query parameter order: sort by one of name, level',
      ],
      [
        'order=level:sideways',
        'Invalid query parameter order: the direction is asc or desc',
      ],
      ['limit=0', 'Invalid query parameter limit'],
      ['limit=ten', 'Invalid query parameter limit'],
      ['cursor=not-a-cursor', 'Invalid query parameter cursor'],
      ['owner[$ne]=x', 'Invalid query parameter owner: must be a string'],
      ['q=a&q=b', 'Invalid query parameter q: must be given once'],
      [
        `q=${'x'.repeat(201)}`,
        'Invalid query parameter q: at most 200 characters',
      ],
      [
        `owner=${'x'.repeat(256)}`,
        'Invalid query parameter owner: values are at most 255 characters',
      ],
    ])('rejects %s with 400 naming the parameter', async (query, message) => {
      const res = await request(await createApp())
        .get(`/summary?${query}`)
        .set('Authorization', service);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
    });

    it('requires credentials', async () => {
      const res = await request(await createApp())
        .get('/summary')
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    });
  });

  describe('GET /trend', () => {
    it('counts entities per level per day, for the filter and what the caller may read', async () => {
      const all = await request(await createApp())
        .get('/trend?days=3650')
        .set('Authorization', service);
      expect(all.status).toBe(200);
      expect(all.body).toEqual({
        days: 365,
        trend: [
          {
            day: '2026-11-24',
            entities: 4,
            levels: [1, 1, 1, 1, 0, 0],
            averageLevel: 1.5,
          },
        ],
      });

      const payments = await request(await createApp())
        .get('/trend?days=3650&owner=group:default/payments-team')
        .set('Authorization', service);
      expect(payments.body.trend[0]).toMatchObject({
        entities: 2,
        levels: [0, 0, 1, 1, 0, 0],
      });

      const forUser = await request(
        await createApp({ 'catalog.entity.read': AuthorizeResult.CONDITIONAL }),
      )
        .get('/trend?days=3650')
        .set('Authorization', user);
      expect(forUser.body.trend[0]).toMatchObject({
        entities: 3,
        levels: [0, 1, 1, 1, 0, 0],
      });
    });

    it.each([
      ['days=0', 'Invalid query parameter days'],
      ['q=x', 'Invalid query parameter q: not supported by /trend'],
      ['level=9', 'Invalid query parameter level'],
    ])('rejects %s with 400', async (query, message) => {
      const res = await request(await createApp())
        .get(`/trend?${query}`)
        .set('Authorization', service);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
    });
  });

  describe('GET /summary.csv', () => {
    it('streams every matching row as CSV, in order, with formula injection defused', async () => {
      await knex('maturity_results')
        .where('entity_ref', 'component:default/search')
        .update({ title: '=HYPERLINK("http://evil.example","click")' });
      const res = await request(await createApp())
        .get(
          '/summary.csv?order=level:desc&owner=group:default/payments-team,group:default/discovery-team',
        )
        .set('Authorization', service);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="maturity-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const lines = res.text.trim().split('\r\n');
      expect(lines[0]).toMatch(/^entity_ref,kind,namespace,name,title,owner,/);
      expect(lines.slice(1).map(l => l.split(',')[3])).toEqual([
        'cart',
        'checkout-service',
        'search',
      ]);
      expect(lines[3]).toContain(
        `"'=HYPERLINK(""http://evil.example"",""click"")"`,
      );
    });

    it('serves a repeated export from memory until the results change', async () => {
      const app = await createApp();
      const names = async () =>
        (
          await request(app).get('/summary.csv').set('Authorization', service)
        ).text
          .trim()
          .split('\r\n')
          .slice(1)
          .map(l => l.split(',')[3]);
      expect(await names()).toHaveLength(4);
      expect(await names()).toHaveLength(4);
      const other = await DatabaseMaturityStore.create({
        database: mockServices.database({ knex }),
      });
      await other.upsertResults([record('brand-new', 1)]);
      expect(await names()).toContain('brand-new');
    });

    it('answers 304 to a client that has the current export, and 200 once results change', async () => {
      const app = await createApp();
      const first = await request(app)
        .get('/summary.csv')
        .set('Authorization', service);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await request(app)
        .get('/summary.csv')
        .set('Authorization', service)
        .set('If-None-Match', etag);
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      const other = await DatabaseMaturityStore.create({
        database: mockServices.database({ knex }),
      });
      await other.upsertResults([record('brand-new', 1)]);
      const changed = await request(app)
        .get('/summary.csv')
        .set('Authorization', service)
        .set('If-None-Match', etag);
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(changed.text).toContain('brand-new');
    });

    it('rejects a bad filter with 400 and requires credentials', async () => {
      const app = await createApp();
      expect(
        (
          await request(app)
            .get('/summary.csv?level=9')
            .set('Authorization', service)
        ).status,
      ).toBe(400);
      expect(
        (
          await request(app)
            .get('/summary.csv')
            .set('Authorization', mockCredentials.none.header())
        ).status,
      ).toBe(401);
    });
  });

  describe('GET /rubric', () => {
    it('lists the configured checks without their code', async () => {
      const res = await request(await createApp())
        .get('/rubric')
        .set('Authorization', user);
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
      const res = await request(await createApp())
        .get('/rubric')
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(401);
    });
  });

  describe('GET /scm-status', () => {
    it('says which hosts hold reads back, until when, and what is left to read', async () => {
      await knex('maturity_scm_status').delete();
      const recorder = await scmStatus.recorder();
      await recorder.record(
        new Map([
          [
            'github.com',
            {
              seen: 400,
              unread: 100,
              held: 5,
              heldUntil: new Date('2026-12-04T12:30:00.000Z'),
              heldReason: 'the SCM reports its rate limit used up',
            },
          ],
        ]),
        '1/2',
      );
      // The other shard's row of the same host adds up with it.
      await recorder.record(
        new Map([['github.com', { seen: 400, unread: 0, held: 0 }]]),
        '2/2',
      );
      const res = await request(await createApp())
        .get('/scm-status')
        .set('Authorization', user);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        hosts: [
          {
            host: 'github.com',
            updatedAt: '2026-12-04T12:00:00.000Z',
            repositories: { seen: 800, unread: 100, held: 5 },
            heldUntil: '2026-12-04T12:30:00.000Z',
            heldReason: 'the SCM reports its rate limit used up',
            resources: [],
          },
        ],
      });
    });

    it('requires credentials', async () => {
      const res = await request(await createApp())
        .get('/scm-status')
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
    const post = (app: express.Express, body: unknown, header = service) =>
      request(app)
        .post('/facts')
        .set('Authorization', header)
        .send(body as object);

    it('stores facts pushed by a service, naming who pushed them', async () => {
      const app = await createApp();
      const res = await post(app, { facts: [dora] });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ accepted: 1 });
      const rows = await knex('maturity_facts');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        entity_ref: 'component:default/checkout-service',
        source: 'dora',
        pushed_by: 'external:test-service',
      });
      expect(JSON.parse(rows[0].values)).toEqual({ deploymentsPerWeek: 6 });
    });

    it('refuses a user token (403) and no token (401), storing nothing', async () => {
      const app = await createApp();
      const before = await snapshot();
      expect((await post(app, { facts: [dora] }, user)).status).toBe(403);
      expect(
        (await post(app, { facts: [dora] }, mockCredentials.none.header()))
          .status,
      ).toBe(401);
      expect(await snapshot()).toEqual(before);
    });

    it.each([
      [{}, 'Invalid fact: facts: Required'],
      [
        { facts: [] },
        'Invalid fact: facts: Array must contain at least 1 element(s)',
      ],
      [{ facts: 'all of them' }, 'Invalid fact: facts: Expected array'],
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
        const before = await snapshot();
        const res = await post(app, body);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(message);
        expect(await snapshot()).toEqual(before);
      },
    );

    it('refuses a huge body with 413, storing nothing', async () => {
      const app = await createApp();
      const values = Object.fromEntries(
        Array.from({ length: 40 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]),
      );
      const res = await post(app, {
        facts: Array.from({ length: 20 }, () => ({ ...dora, values })),
      });
      expect(res.status).toBe(413);
      expect(await knex('maturity_facts')).toEqual([]);
    });
  });
});
