import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotModifiedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { MaturityCheck, MaturityFact } from '@cnmaturity/plugin-maturity-rules';
import { ExtractionPool } from '../collectors/ExtractionPool';
import { RepositoryCollector } from '../collectors/RepositoryCollector';
import { DatabaseMaturityStore } from '../database/DatabaseMaturityStore';
import { DatabaseRepoCache } from '../database/DatabaseRepoCache';
import { FactStore } from '../database/DatabaseFactStore';
import { StoredResultRecord } from '../database/MaturityStore';
import {
  demoConfig,
  examplesReader,
  loadExampleCatalog,
  loadExampleFacts,
} from '../__testUtils__/examples';
import { workerPool } from '../__testUtils__/workerPool';
import {
  definitionOf,
  evaluationSetup,
  EvaluationSetup,
} from './evaluationSetup';
import { MaturityEvaluator } from './MaturityEvaluator';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** The demo repositories with a version, so a second read is not modified. */
const reader: UrlReaderService = {
  ...examplesReader,
  readTree: async (url, options) => {
    if (options?.etag === 'v1') throw new NotModifiedError();
    return { ...(await examplesReader.readTree(url, options)), etag: 'v1' };
  },
};

const exampleFacts = loadExampleFacts();
const facts: FactStore = {
  addFacts: async () => {},
  latestFacts: async refs =>
    new Map(
      refs.flatMap((r): Array<[string, MaturityFact[]]> => {
        const found = exampleFacts.get(r);
        return found ? [[r, found]] : [];
      }),
    ),
};

/** What a user sees of a result: all of it but when it was computed. */
const seen = (records: StoredResultRecord[]) =>
  Object.fromEntries(
    records.map(({ evaluatedAt, ...rest }) => [rest.entityRef, rest]),
  );

/** Checks a module adds: one reads the repository, one the entity. */
const addedChecks: MaturityCheck[] = [
  {
    id: 'technology.dockerfile-non-root',
    title: 'Dockerfile names a user',
    area: 'technology',
    level: 2,
    kind: 'supporting',
    weight: 1,
    signal: 'repository',
    rule: 'Every Dockerfile has a USER instruction.',
    remediation: 'Add USER to the Dockerfile.',
    modelReference: 'test',
    evaluate: ({ repository }) => {
      if (repository.status !== 'ok') {
        return { status: 'unknown', message: 'unread', evidence: [] };
      }
      const files = repository.extraction.dockerfiles;
      return files.length && files.every(d => d.user)
        ? { status: 'pass', message: 'USER set', evidence: [] }
        : { status: 'fail', message: 'no USER', evidence: [] };
    },
  },
  {
    id: 'process.in-production',
    title: 'In production',
    area: 'process',
    level: 3,
    kind: 'supporting',
    weight: 1,
    signal: 'catalog',
    rule: 'spec.lifecycle is production.',
    remediation: 'Ship it.',
    modelReference: 'test',
    evaluate: ({ entity }) =>
      entity.spec?.lifecycle === 'production'
        ? { status: 'pass', message: 'in production', evidence: [] }
        : { status: 'fail', message: 'not in production', evidence: [] },
  },
];

describe('evaluating entities on the extraction workers', () => {
  const config = demoConfig();
  const setup = evaluationSetup(config);
  // With etags, as the catalog gives them: workers keep related entities.
  const entities = [...loadExampleCatalog().values()].map(e => ({
    ...e,
    metadata: { ...e.metadata, etag: `etag-${e.metadata.name}` },
  }));
  const refs = entities
    .filter(e => e.kind === 'Component')
    .map(e =>
      `component:${e.metadata.namespace ?? 'default'}/${
        e.metadata.name
      }`.toLocaleLowerCase('en-US'),
    );
  const pools: ExtractionPool[] = [];
  afterAll(() => Promise.all(pools.map(p => p.close())));

  async function harness(
    pool?: ExtractionPool,
    options: { setup?: EvaluationSetup; checksOnLoop?: MaturityCheck[] } = {},
  ) {
    const { checks, rubricHash } = options.setup ?? setup;
    const database = mockServices.database({
      knex: await databases.init('SQLITE_3'),
    });
    const store = await DatabaseMaturityStore.create({ database });
    const stored: StoredResultRecord[] = [];
    const upsert = store.upsertResults.bind(store);
    store.upsertResults = async records => {
      stored.push(...records);
      await upsert(records);
    };
    const cache = await DatabaseRepoCache.create({ database });
    const collector = new RepositoryCollector({
      urlReader: reader,
      logger: mockServices.logger.mock(),
      cache,
    });
    const evaluator = new MaturityEvaluator({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      store,
      facts,
      attestations: {
        addAttestation: async () => {},
        latestAttestations: async () => new Map(),
      },
      logger: mockServices.logger.mock(),
      checks: () => checks,
      rubricHash,
      kinds: ['Component'],
      concurrency: 4,
      tools: setup.tools,
      attestationMaxAgeDays: setup.attestationMaxAgeDays,
      orgControls: setup.orgControls,
      orgControlReviewMaxAgeDays: setup.orgControlReviewMaxAgeDays,
      startRepositoryCycle: () => collector.startCycle(),
      ...(pool ? { offload: (e, onLoop) => pool.evaluate(e, onLoop) } : {}),
      checksOnLoop: options.checksOnLoop,
    });
    /** Evaluates every demo component again and returns what was stored. */
    const evaluate = async () => {
      stored.length = 0;
      const outcome = await evaluator.evaluateRefs(refs, { force: true });
      expect(outcome.lastError ?? '').toBe('');
      expect(outcome.failedRefs).toEqual([]);
      return seen(stored);
    };
    return { evaluate, database };
  }

  it('gives every demo component the result the event loop gives, read fresh or from the cache', async () => {
    const onLoop = await harness();
    const fresh = await onLoop.evaluate();
    expect(Object.keys(fresh)).toHaveLength(refs.length);
    // The demo spans levels, so the comparison covers passing and failing checks.
    expect(
      new Set(Object.values(fresh).map(r => r.level)).size,
    ).toBeGreaterThan(1);

    const pool = workerPool(mockServices.logger.mock(), {
      config: config.get('maturity'),
    });
    pools.push(pool);
    const onWorker = await harness(pool);
    // Downloaded: the extraction goes to the worker as it is.
    expect(await onWorker.evaluate()).toEqual(fresh);
    // Not modified: the worker unpacks the cached extraction itself.
    expect(await onWorker.evaluate()).toEqual(fresh);
    // The worker takes the first jobs of each round (it has room for 4),
    // the event loop those it is free for first.
    expect(pool.evaluatedOnWorkers).toBeGreaterThanOrEqual(2 * 4);
  });

  it('keeps evaluating on the event loop when the workers would apply another rubric', async () => {
    const logger = mockServices.logger.mock();
    const pool = workerPool(logger, {
      config: {
        ...(config.get('maturity') as object),
        attestationMaxAgeDays: 30,
      },
    });
    pools.push(pool);
    const onLoop = await (await harness()).evaluate();
    const elsewhere = await harness(pool);
    expect(await elsewhere.evaluate()).toEqual(onLoop);
    expect(pool.evaluatedOnWorkers).toBe(0);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('another rubric'),
    );
  });

  it('runs the checks of other modules on the event loop and the rest on the worker', async () => {
    const withAdded = evaluationSetup(config, { addedChecks });
    const onLoop = await (
      await harness(undefined, { setup: withAdded })
    ).evaluate();
    const statuses = (id: string) =>
      new Set(
        Object.values(onLoop).map(
          r => r.checks.find(c => c.checkId === id)?.status,
        ),
      );
    // Both added checks decide differently across the demo.
    expect(statuses('technology.dockerfile-non-root')).toEqual(
      new Set(['pass', 'fail', 'unknown']),
    );
    expect(statuses('process.in-production')).toEqual(
      new Set(['pass', 'fail']),
    );

    const pool = workerPool(mockServices.logger.mock(), {
      config: config.get('maturity'),
      addedChecks: addedChecks.map(definitionOf),
    });
    pools.push(pool);
    const elsewhere = await harness(pool, {
      setup: withAdded,
      checksOnLoop: addedChecks,
    });
    expect(await elsewhere.evaluate()).toEqual(onLoop);
    expect(await elsewhere.evaluate()).toEqual(onLoop);
    // The worker takes the first jobs of each round (it has room for 4),
    // the event loop those it is free for first.
    expect(pool.evaluatedOnWorkers).toBeGreaterThanOrEqual(2 * 4);
  });
});
