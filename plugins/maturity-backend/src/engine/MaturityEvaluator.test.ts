import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_TARGET_LEVEL } from '@cnmaturity/plugin-maturity-common';
import { NotModifiedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Meter } from '@opentelemetry/api';
import { Knex } from 'knex';
import { builtinChecks } from '@cnmaturity/plugin-maturity-rules';
import { RepositoryCollector } from '../collectors/RepositoryCollector';
import { DatabaseAttestationStore } from '../database/DatabaseAttestationStore';
import { DatabaseFactStore } from '../database/DatabaseFactStore';
import { DatabaseMaturityStore } from '../database/DatabaseMaturityStore';
import { DatabaseRepoCache } from '../database/DatabaseRepoCache';
import {
  createTestDatabases,
  expectEveryEngine,
} from '../__testUtils__/databases';
import { component, group } from '@cnmaturity/plugin-maturity-rules/testUtils';
import { ENTITY_FIELDS, ENTITY_KEY_FIELDS } from './catalogFields';
import { MaturityEvaluator } from './MaturityEvaluator';
import { MaturityMetrics } from './metrics';
import { treeResponse } from '../__testUtils__/repositories';

const databases = createTestDatabases();

it('runs on every database engine (set BACKSTAGE_TEST_DATABASE_<ID>_CONNECTION_STRING)', () => {
  expectEveryEngine(databases);
});

const workflow = [
  'on: pull_request',
  'jobs:',
  '  test:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: npm test',
].join('\n');

/** An SCM whose repositories can change or fail between cycles. */
class FakeScm {
  repos = new Map<
    string,
    { etag: string; files: Record<string, string>; fail?: Error }
  >();
  downloads = 0;
  conditional = 0;

  reader: UrlReaderService = {
    readUrl: jest.fn(),
    search: jest.fn(),
    readTree: async (url, options) => {
      const repo = this.repos.get(url);
      if (!repo) throw new Error(`404 Not Found: ${url}`);
      if (repo.fail) throw repo.fail;
      if (options?.etag === repo.etag) {
        this.conditional++;
        throw new NotModifiedError();
      }
      this.downloads++;
      return treeResponse(repo.files, repo.etag, options);
    },
  };
}

const repoUrl = (name: string) => `https://scm.example.com/acme/${name}/`;

function service(name: string, extra: Record<string, unknown> = {}): Entity {
  return component(
    name,
    { owner: 'payments-team', ...extra },
    {
      annotations: {
        'backstage.io/source-location': `url:${repoUrl(name)}`,
      },
    },
  );
}

/** A meter that records every counter add and histogram record. */
function recordingMeter() {
  const recorded: Array<{
    name: string;
    value: number;
    attributes?: Record<string, unknown>;
  }> = [];
  const instrument = (name: string) => ({
    add: (value: number, attributes?: Record<string, unknown>) =>
      recorded.push({ name, value, attributes }),
    record: (value: number, attributes?: Record<string, unknown>) =>
      recorded.push({ name, value, attributes }),
  });
  const meter = {
    createCounter: instrument,
    createHistogram: instrument,
  } as unknown as Meter;
  const total = (name: string, outcome: string) =>
    recorded
      .filter(r => r.name === name && r.attributes?.outcome === outcome)
      .reduce((sum, r) => sum + r.value, 0);
  return { meter, recorded, total };
}

describe.each(databases.eachSupportedId())(
  'evaluation cycle on %s',
  databaseId => {
    let knex: Knex;
    beforeAll(async () => {
      knex = await databases.init(databaseId as TestDatabaseId);
    });

    async function setup(options: {
      entities: Entity[];
      catalog?: (catalog: CatalogService) => CatalogService;
      pageSize?: number;
    }) {
      const database = mockServices.database({ knex });
      // Creating the store runs the migrations; then every test starts empty.
      const store = await DatabaseMaturityStore.create({ database });
      for (const table of [
        'maturity_results',
        'maturity_history',
        'maturity_facts',
        'maturity_attestations',
        'maturity_repo_cache',
        'maturity_sources',
      ]) {
        await knex(table).delete();
      }
      const facts = await DatabaseFactStore.create({ database });
      const attestations = await DatabaseAttestationStore.create({ database });
      const scm = new FakeScm();
      for (const e of options.entities) {
        scm.repos.set(repoUrl(e.metadata.name), {
          etag: 'v1',
          files: { '.github/workflows/ci.yml': workflow },
        });
      }
      const logger = mockServices.logger.mock();
      const metrics = recordingMeter();
      let catalog: CatalogService = catalogServiceMock({
        entities: options.entities,
      });
      if (options.catalog) catalog = options.catalog(catalog);
      const collector = new RepositoryCollector({
        urlReader: scm.reader,
        logger,
        cache: await DatabaseRepoCache.create({ database }),
      });
      const evaluator = (cat: CatalogService = catalog) =>
        new MaturityEvaluator({
          catalog: cat,
          auth: mockServices.auth(),
          store,
          facts,
          attestations,
          logger,
          metrics: new MaturityMetrics(metrics.meter),
          checks: () => builtinChecks,
          rubricHash: 'rubric-v1',
          kinds: ['Component'],
          concurrency: 4,
          tools: { allowed: [], denied: [] },
          attestationMaxAgeDays: 365,
          startRepositoryCycle: () => collector.startCycle(),
          pageSize: options.pageSize,
        });
      return { store, facts, scm, logger, metrics, evaluator, catalog };
    }

    const team = group('payments-team', ['ada', 'linus']);

    it('evaluates a change once, whether a push or the cycle finds it first', async () => {
      const { evaluator, scm } = await setup({
        entities: [service('a'), service('b'), team],
      });
      await evaluator().evaluateAll();
      const changed = {
        etag: 'v2',
        files: {
          '.github/workflows/ci.yml': workflow,
          Dockerfile: 'FROM node:22\nUSER node\n',
        },
      };

      // The push first: the cycle after it finds nothing new.
      scm.repos.set(repoUrl('a'), changed);
      const pushed = await evaluator().evaluateRefs(['component:default/a']);
      expect(pushed.records.map(r => r.entityRef)).toEqual([
        'component:default/a',
      ]);
      expect(await evaluator().evaluateAll()).toMatchObject({
        evaluated: 0,
        skipped: 2,
      });

      // The cycle first: the push that arrives late finds nothing new.
      scm.repos.set(repoUrl('b'), changed);
      expect(await evaluator().evaluateAll()).toMatchObject({
        evaluated: 1,
        skipped: 1,
      });
      const late = await evaluator().evaluateRefs(['component:default/b']);
      expect(late).toMatchObject({ records: [], skipped: 1 });
      expect(scm.downloads).toBe(4);
    });

    it('splits a cycle into disjoint shards that together evaluate every entity once', async () => {
      const names = Array.from({ length: 12 }, (_, i) => `svc-${i}`);
      const entities = [...names.map(n => service(n)), team];
      const { evaluator, scm } = await setup({ entities, pageSize: 5 });
      const shards = await Promise.all([
        evaluator().evaluateAll({ shard: { index: 0, count: 2 } }),
        evaluator().evaluateAll({ shard: { index: 1, count: 2 } }),
      ]);
      // Each entity in exactly one shard; both shards did some of the work.
      expect(shards[0].evaluated + shards[1].evaluated).toBe(12);
      expect(shards[0].evaluated).toBeGreaterThan(0);
      expect(shards[1].evaluated).toBeGreaterThan(0);
      expect(scm.downloads).toBe(12);
      // A whole cycle afterwards finds nothing left to do.
      expect(await evaluator().evaluateAll()).toMatchObject({
        evaluated: 0,
        skipped: 12,
      });
    });

    it('evaluates every entity, then skips all of them when nothing changed, with no downloads', async () => {
      const entities = [service('a'), service('b'), service('c'), team];
      const { evaluator, scm, logger, metrics, store } = await setup({
        entities,
        pageSize: 2,
      });
      const first = await evaluator().evaluateAll();
      expect(first).toMatchObject({
        evaluated: 3,
        skipped: 0,
        failed: 0,
        repositories: { downloaded: 3, 'not-modified': 0, failed: 0 },
      });
      const stored = await store.getResult('component:default/a');
      expect(
        stored?.checks.find(c => c.checkId === 'process.ci-pipeline'),
      ).toMatchObject({ status: 'pass' });

      const second = await evaluator().evaluateAll();
      expect(second).toMatchObject({
        evaluated: 0,
        skipped: 3,
        failed: 0,
        repositories: { downloaded: 0, 'not-modified': 3, failed: 0 },
      });
      expect(scm.downloads).toBe(3);
      // The stored result is the first cycle's, untouched.
      expect(await store.getResult('component:default/a')).toEqual(stored);

      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(
          /^Maturity cycle: 0 evaluated, 3 unchanged, 0 failed in \d+ ms; repositories: 0 downloaded, 3 unchanged, 0 failed$/,
        ),
        expect.objectContaining({ evaluated: 0, skipped: 3, failed: 0 }),
      );
      expect(metrics.total('maturity.entities', 'evaluated')).toBe(3);
      expect(metrics.total('maturity.entities', 'skipped')).toBe(3);
      expect(
        metrics.recorded.filter(r => r.name === 'maturity.cycle.duration'),
      ).toHaveLength(2);
    });

    it('re-evaluates only what changed: the entity, its repository, a pushed fact', async () => {
      const entities = [service('a'), service('b'), service('c'), team];
      const { evaluator, scm, facts } = await setup({ entities });
      await evaluator().evaluateAll();

      // a: the catalog entity changed.
      const changed = [
        service('a', { lifecycle: 'experimental' }),
        service('b'),
        service('c'),
        team,
      ];
      // b: a new commit.
      scm.repos.get(repoUrl('b'))!.etag = 'v2';
      // c: CI pushed a scan result.
      await facts.addFacts([
        {
          entityRef: 'component:default/c',
          source: 'container-scan',
          timestamp: new Date().toISOString(),
          values: { critical: 0, high: 0 },
          pushedBy: 'external:ci',
        },
      ]);
      const stats = await evaluator(
        catalogServiceMock({ entities: changed }),
      ).evaluateAll();
      expect(stats).toMatchObject({ evaluated: 3, skipped: 0 });

      const again = await evaluator(
        catalogServiceMock({ entities: changed }),
      ).evaluateAll();
      expect(again).toMatchObject({ evaluated: 0, skipped: 3 });
      expect(scm.downloads).toBe(4);
    });

    it('keeps the last good result, marked stale, when the SCM fails, and recovers', async () => {
      const entities = [service('a'), service('b'), team];
      const { evaluator, scm, store } = await setup({ entities });
      await evaluator().evaluateAll();
      const good = await store.getResult('component:default/a');

      for (const fail of [
        new Error('Request failed, 403 Forbidden (rate limit exceeded)'),
        new Error('Request failed, 502 Bad Gateway'),
        new Error('network timeout at: https://scm.example.com/'),
      ]) {
        scm.repos.get(repoUrl('a'))!.fail = fail;
        const stats = await evaluator().evaluateAll();
        expect(stats.failed).toBe(0);
        const stale = await store.getResult('component:default/a');
        expect(stale).toMatchObject({
          stale: true,
          level: good!.level,
          checks: good!.checks,
        });
        expect(stale!.staleReason).toContain(fail.message);
        // The other entity is unaffected.
        expect((await store.getResult('component:default/b'))!.stale).toBe(
          false,
        );
        // A good read recovers (and, each failure being a first one, the
        // collector's sparing of repositories that keep failing stays out).
        scm.repos.get(repoUrl('a'))!.fail = undefined;
        await evaluator().evaluateAll();
        expect(await store.getResult('component:default/a')).toMatchObject({
          stale: false,
          checks: good!.checks,
        });
      }
    });

    it('a repository that never could be read makes its checks unknown, not failed', async () => {
      const entities = [service('a'), team];
      const { evaluator, scm, store } = await setup({ entities });
      scm.repos.get(repoUrl('a'))!.fail = new Error('404 Not Found');
      await evaluator().evaluateAll();
      const result = await store.getResult('component:default/a');
      expect(
        result!.checks.find(c => c.checkId === 'process.ci-pipeline'),
      ).toMatchObject({ status: 'unknown' });
    });

    it('a catalog error for one page keeps that page stale and finishes the cycle', async () => {
      const entities = [service('a'), service('b'), service('c'), team];
      const { evaluator, store } = await setup({ entities, pageSize: 1 });
      await evaluator().evaluateAll();

      // The catalog fails to resolve relations of entity b only.
      const flaky = catalogServiceMock({
        entities: [
          service('a', { lifecycle: 'x' }),
          service('b', { lifecycle: 'x', system: 'b-system' }),
          service('c', { lifecycle: 'x' }),
          team,
        ],
      });
      const getEntitiesByRefs = flaky.getEntitiesByRefs.bind(flaky);
      let failed = false;
      flaky.getEntitiesByRefs = async (...args) => {
        // The team is fetched once per cycle; b's own lookup fails, once.
        if (!failed && args[0].entityRefs.includes('system:default/b-system')) {
          failed = true;
          throw new Error('503 catalog unavailable');
        }
        return getEntitiesByRefs(...args);
      };
      const stats = await evaluator(flaky).evaluateAll();
      expect(stats).toMatchObject({ evaluated: 2, failed: 1 });
      const b = await store.getResult('component:default/b');
      expect(b).toMatchObject({ stale: true });
      expect(b!.staleReason).toContain('503 catalog unavailable');
      // The next cycle tries b again, since its hash was cleared.
      const next = await evaluator(flaky).evaluateAll();
      expect(next).toMatchObject({ evaluated: 1, skipped: 2, failed: 0 });
      expect((await store.getResult('component:default/b'))!.stale).toBe(false);
    });

    it('one entity that cannot be evaluated does not stop the others', async () => {
      const broken = {
        ...service('broken'),
        // A spec that is not an object at all.
        spec: 'nonsense',
      } as unknown as Entity;
      const entities = [service('a'), broken, team];
      const { evaluator, store } = await setup({ entities });
      const stats = await evaluator().evaluateAll();
      expect(stats.evaluated + stats.failed).toBe(2);
      expect(await store.getResult('component:default/a')).toBeDefined();
    });

    it('a crash mid-cycle leaves whole pages only, and the next cycle carries on', async () => {
      const entities = [service('a'), service('b'), service('c'), team];
      const { evaluator, store } = await setup({ entities, pageSize: 2 });
      const upsert = store.upsertResults.bind(store);
      let batches = 0;
      const spy = jest
        .spyOn(store, 'upsertResults')
        .mockImplementation(async records => {
          batches++;
          if (batches === 2) throw new Error('connection lost');
          return upsert(records);
        });
      await expect(evaluator().evaluateAll()).rejects.toThrow(
        'connection lost',
      );
      spy.mockRestore();
      const stored = (await store.listSummaryRows({}, '2026-11-25')).map(
        r => r.name,
      );
      expect(stored.sort()).toEqual(['a', 'b']);

      const next = await evaluator().evaluateAll();
      expect(next).toMatchObject({ evaluated: 1, skipped: 2 });
    });

    it('reads the next page while the previous one is being stored, and stores every page', async () => {
      const entities = [service('a'), service('b'), service('c'), team];
      const { evaluator, scm, store } = await setup({ entities, pageSize: 1 });
      const events: string[] = [];
      const readTree = scm.reader.readTree.bind(scm.reader);
      scm.reader.readTree = async (url, options) => {
        events.push(`read ${url.split('/').at(-2)}`);
        return readTree(url, options);
      };
      const upsert = store.upsertResults.bind(store);
      const spy = jest
        .spyOn(store, 'upsertResults')
        .mockImplementation(async records => {
          const names = records.map(r => r.entityRef.split('/')[1]).join();
          events.push(`store ${names} starts`);
          // A slow write: the next page's reads go on meanwhile.
          await new Promise(resolve => setTimeout(resolve, 50));
          await upsert(records);
          events.push(`store ${names} done`);
        });
      const stats = await evaluator().evaluateAll();
      spy.mockRestore();
      expect(stats).toMatchObject({ evaluated: 3, failed: 0 });
      expect(events.indexOf('read b')).toBeLessThan(
        events.indexOf('store a done'),
      );
      // Never more than one page waiting: a is stored before b's store starts.
      expect(events.indexOf('store a done')).toBeLessThan(
        events.indexOf('store b starts'),
      );
      expect(events.at(-1)).toBe('store c done');
      const stored = await store.listSummaryRows({}, '2026-11-25');
      expect(stored.map(r => r.name).sort()).toEqual(['a', 'b', 'c']);
    });

    it('asks the catalog for the next page before working on the current one', async () => {
      const entities = [service('a'), service('b'), team];
      const events: string[] = [];
      const { evaluator, scm } = await setup({
        entities,
        pageSize: 1,
        catalog: catalog => {
          const queryEntities = catalog.queryEntities.bind(catalog);
          let n = 0;
          catalog.queryEntities = async (request, options) => {
            events.push(`query page ${++n}`);
            return queryEntities(request, options);
          };
          return catalog;
        },
      });
      const readTree = scm.reader.readTree.bind(scm.reader);
      scm.reader.readTree = async (url, options) => {
        events.push(`read ${url.split('/').at(-2)}`);
        return readTree(url, options);
      };
      const stats = await evaluator().evaluateAll();
      expect(stats).toMatchObject({ evaluated: 2, failed: 0 });
      expect(events.slice(0, 2)).toEqual(['query page 1', 'query page 2']);
      // Pages' reads overlap, so a's and b's may start in either order.
      expect(events.slice(2).sort()).toEqual(['read a', 'read b']);
    });

    /** As the catalog serves them: every entity with an etag. */
    const withEtag = (e: Entity, etag: string): Entity => ({
      ...e,
      metadata: { ...e.metadata, etag },
    });

    /** Records which fields each catalog call asked for. */
    function recordingCatalog(catalog: CatalogService) {
      const asked: string[] = [];
      const queryEntities = catalog.queryEntities.bind(catalog);
      const getEntitiesByRefs = catalog.getEntitiesByRefs.bind(catalog);
      const fields = (f?: string[]) => {
        if (f === ENTITY_FIELDS) return 'whole';
        return f === ENTITY_KEY_FIELDS ? 'keys' : f;
      };
      catalog.queryEntities = async (request, options) => {
        const r = request as { fields?: string[]; totalItems?: string };
        asked.push(`page of ${fields(r.fields)}, total ${r.totalItems}`);
        return queryEntities(request, options);
      };
      catalog.getEntitiesByRefs = async (request, options) => {
        if (request.fields === ENTITY_FIELDS) {
          asked.push(`${request.entityRefs.join()} whole`);
        }
        return getEntitiesByRefs(request, options);
      };
      return { catalog, asked };
    }

    it('tells unchanged entities from their key fields and fetches only changed ones whole', async () => {
      const teamV1 = withEtag(team, 't1');
      const v1 = ['a', 'b', 'c'].map(n => withEtag(service(n), `${n}1`));
      const { evaluator, store } = await setup({ entities: [...v1, teamV1] });
      const first = recordingCatalog(
        catalogServiceMock({ entities: [...v1, teamV1] }),
      );
      expect(await evaluator(first.catalog).evaluateAll()).toMatchObject({
        evaluated: 3,
      });
      expect(first.asked).toEqual([
        'page of keys, total exclude',
        'component:default/a,component:default/b,component:default/c whole',
        // Then what they relate to, whole, for the checks.
        'group:default/payments-team whole',
      ]);

      const unchanged = recordingCatalog(
        catalogServiceMock({ entities: [...v1, teamV1] }),
      );
      expect(await evaluator(unchanged.catalog).evaluateAll()).toMatchObject({
        evaluated: 0,
        skipped: 3,
      });
      expect(unchanged.asked).toEqual(['page of keys, total exclude']);

      // b's target changed: a field the decision does not read, but its etag
      // tells. b is fetched whole and its result has the new target.
      const b = service('b');
      const bV2 = withEtag(
        {
          ...b,
          metadata: {
            ...b.metadata,
            annotations: {
              ...b.metadata.annotations,
              [ANNOTATION_TARGET_LEVEL]: 'scale',
            },
          },
        },
        'b2',
      );
      const changed = recordingCatalog(
        catalogServiceMock({ entities: [v1[0], bV2, v1[2], teamV1] }),
      );
      expect(await evaluator(changed.catalog).evaluateAll()).toMatchObject({
        evaluated: 1,
        skipped: 2,
      });
      expect(changed.asked).toEqual([
        'page of keys, total exclude',
        'component:default/b whole',
        'group:default/payments-team whole',
      ]);
      expect(await store.getResult('component:default/b')).toMatchObject({
        target: { level: 3 },
      });

      // The team changed: every entity it owns is evaluated again.
      const teamV2 = withEtag(group('payments-team', ['ada']), 't2');
      const owner = recordingCatalog(
        catalogServiceMock({ entities: [v1[0], bV2, v1[2], teamV2] }),
      );
      expect(await evaluator(owner.catalog).evaluateAll()).toMatchObject({
        evaluated: 3,
        skipped: 0,
      });
    });

    it('asks for pages whole once most of a page changed, and by key fields again once nothing does', async () => {
      const teamV1 = withEtag(team, 't1');
      const entities = [
        ...['a', 'b', 'c', 'd', 'e'].map(n => withEtag(service(n), `${n}1`)),
        teamV1,
      ];
      const { evaluator, store } = await setup({ entities, pageSize: 1 });
      const pagesAndRefetches = (asked: string[]) => ({
        pages: asked
          .filter(a => a.startsWith('page of'))
          .map(a => a.split(',')[0]),
        refetched: asked.filter(a => a.startsWith('component:')),
      });

      const first = recordingCatalog(catalogServiceMock({ entities }));
      expect(await evaluator(first.catalog).evaluateAll()).toMatchObject({
        evaluated: 5,
        failed: 0,
      });
      // The next page is asked for before this one is read, so two more
      // pages go by key fields before the first page's changes are known.
      expect(pagesAndRefetches(first.asked)).toEqual({
        pages: [
          'page of keys',
          'page of keys',
          'page of keys',
          'page of whole',
          'page of whole',
        ],
        refetched: [
          'component:default/a whole',
          'component:default/b whole',
          'component:default/c whole',
        ],
      });
      // Evaluated from a whole page, as from a refetched entity.
      const d = await store.getResult('component:default/d');
      expect(d).toMatchObject({ stale: false });
      expect(d!.checks.find(c => c.checkId === 'people.team-owner')).toEqual(
        expect.objectContaining({ status: 'pass' }),
      );

      const second = recordingCatalog(catalogServiceMock({ entities }));
      expect(await evaluator(second.catalog).evaluateAll()).toMatchObject({
        evaluated: 0,
        skipped: 5,
      });
      expect(pagesAndRefetches(second.asked)).toEqual({
        pages: Array(5).fill('page of keys'),
        refetched: [],
      });
    });

    it('an entity removed from the catalog between its key fields and its whole fetch is left out', async () => {
      const a = withEtag(service('a'), 'a1');
      const b = withEtag(service('b'), 'b1');
      const teamV1 = withEtag(team, 't1');
      const { evaluator } = await setup({ entities: [a, b, teamV1] });
      const catalog = catalogServiceMock({ entities: [a, b, teamV1] });
      const getEntitiesByRefs = catalog.getEntitiesByRefs.bind(catalog);
      catalog.getEntitiesByRefs = async (request, options) => {
        const answer = await getEntitiesByRefs(request, options);
        if (request.fields !== ENTITY_FIELDS) return answer;
        return {
          items: answer.items.map(e =>
            e?.metadata.name === 'b' ? undefined : e,
          ),
        };
      };
      expect(await evaluator(catalog).evaluateAll()).toMatchObject({
        evaluated: 1,
        skipped: 0,
        failed: 0,
      });
    });

    it('fetching the changed entities whole fails: the page is stale, the cycle goes on', async () => {
      const entities = [service('a'), service('b'), team];
      const { evaluator, store } = await setup({ entities, pageSize: 1 });
      await evaluator().evaluateAll();
      const catalog = catalogServiceMock({
        entities: [
          service('a', { lifecycle: 'deprecated' }),
          service('b', { lifecycle: 'deprecated' }),
          team,
        ],
      });
      const getEntitiesByRefs = catalog.getEntitiesByRefs.bind(catalog);
      catalog.getEntitiesByRefs = async (request, options) => {
        if (
          request.fields === ENTITY_FIELDS &&
          request.entityRefs.includes('component:default/a')
        ) {
          throw new Error('502 Bad Gateway');
        }
        return getEntitiesByRefs(request, options);
      };
      expect(await evaluator(catalog).evaluateAll()).toMatchObject({
        evaluated: 1,
        failed: 1,
      });
      const a = await store.getResult('component:default/a');
      expect(a).toMatchObject({ stale: true });
      expect(a!.staleReason).toContain('502 Bad Gateway');
    });

    it('refreshes one entity on demand even when nothing changed', async () => {
      const entities = [service('a'), team];
      const { evaluator, store } = await setup({ entities });
      await evaluator().evaluateAll();
      const upsert = jest.spyOn(store, 'upsertResults');
      const record = await evaluator().evaluateOne('component:default/a');
      expect(record?.entityRef).toBe('component:default/a');
      expect(upsert).toHaveBeenCalledWith([
        expect.objectContaining({ entityRef: 'component:default/a' }),
      ]);
      upsert.mockRestore();
      expect(
        await evaluator().evaluateOne('component:default/ghost'),
      ).toBeUndefined();
    });
  },
);
