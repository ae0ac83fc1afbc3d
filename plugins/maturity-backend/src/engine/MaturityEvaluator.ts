import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { QueryEntitiesResponse } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  MaturityCheck,
  MaturityToolPolicy,
} from '@cnmaturity/plugin-maturity-node';
import {
  RepositoryCycle,
  RepositoryReadOutcome,
} from '../collectors/RepositoryCollector';
import { AttestationStore } from '../database/DatabaseAttestationStore';
import { FactStore } from '../database/DatabaseFactStore';
import { utcDay } from '../database/days';
import { EntityResultRecord, MaturityStore } from '../database/MaturityStore';
import { OrgControl } from '../orgControls/readOrgControls';
import { evaluateEntity } from './evaluateEntity';
import { inputsHash } from './inputsHash';
import { mapWithConcurrency } from './mapWithConcurrency';
import { MaturityMetrics } from './metrics';
import { fetchRelated, RelatedCache, relatedOf } from './related';

const PAGE_SIZE = 200;
/** What the checks read of an entity; the catalog's status is left out. */
const ENTITY_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec', 'relations'];

/** What one cycle did. */
export interface CycleStats {
  evaluated: number;
  /** Inputs unchanged since the stored result: not re-evaluated. */
  skipped: number;
  /** Could not be evaluated; the last good result is kept, marked stale. */
  failed: number;
  repositories: Record<RepositoryReadOutcome, number>;
  durationMs: number;
}

/** A page evaluated, to be stored. */
interface PageOutcome {
  records: EntityResultRecord[];
  skipped: number;
  /** Not evaluated: their stored results are kept, marked stale. */
  failedRefs: string[];
  /** Why, for the stale mark and the error of evaluateOne. */
  lastError: string;
}

const lowerRef = (e: Entity) =>
  stringifyEntityRef(e).toLocaleLowerCase('en-US');

const errorMessage = (e: unknown) =>
  e instanceof Error ? e.message : String(e);

const withTime = (reason: string) =>
  `${reason} (at ${new Date().toISOString()})`;

function safeRef(entity: Entity): string {
  try {
    return lowerRef(entity);
  } catch {
    return String(entity?.metadata?.name);
  }
}

/**
 * Walks the catalog page by page, collects each entity's signals (related
 * entities in two catalog round trips per page, repositories with bounded
 * concurrency), skips entities whose inputs did not change, evaluates the
 * rest and stores them, one transaction per page. A failure for one entity
 * or one page keeps the last good results, marked stale, and the cycle goes on.
 */
export class MaturityEvaluator {
  private readonly metrics: MaturityMetrics;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      store: MaturityStore;
      facts: FactStore;
      attestations: AttestationStore;
      logger: LoggerService;
      checks: () => readonly MaturityCheck[];
      /** Fingerprint of the checks and settings, see rubricHash. */
      rubricHash: string;
      kinds: string[];
      concurrency: number;
      tools: MaturityToolPolicy;
      attestationMaxAgeDays: number;
      /** Org-wide controls from config; they are part of the rubric hash. */
      orgControls?: readonly OrgControl[];
      orgControlReviewMaxAgeDays?: number;
      startRepositoryCycle: () => RepositoryCycle;
      metrics?: MaturityMetrics;
      /** Entities per catalog page and per stored batch. */
      pageSize?: number;
    },
  ) {
    this.metrics = options.metrics ?? new MaturityMetrics();
  }

  /** One full cycle over the configured kinds. */
  async evaluateAll(): Promise<CycleStats> {
    const started = Date.now();
    const { catalog, auth, kinds } = this.options;
    const repositories = this.options.startRepositoryCycle();
    const relatedCache: RelatedCache = new Map();
    const totals = { evaluated: 0, skipped: 0, failed: 0 };
    const pageSize = this.options.pageSize ?? PAGE_SIZE;
    // A page is stored while the next one is read and evaluated, so the
    // extraction workers are not idle while results are written. At most
    // one page waits to be stored.
    let storing: Promise<void> = Promise.resolve();
    try {
      const credentials = await auth.getOwnServiceCredentials();
      const query = (cursor?: string): Promise<QueryEntitiesResponse> =>
        catalog.queryEntities(
          cursor
            ? { cursor, limit: pageSize, fields: ENTITY_FIELDS }
            : {
                filter: { kind: kinds },
                limit: pageSize,
                fields: ENTITY_FIELDS,
              },
          { credentials },
        );
      let next: Promise<QueryEntitiesResponse> | undefined = query();
      while (next) {
        const page: QueryEntitiesResponse = await next;
        // The next page is asked for now, so the catalog's round trip (an
        // HTTP request, 200 entities of JSON) overlaps this page's work.
        const cursor: string | undefined = page.pageInfo.nextCursor;
        next = cursor ? query(cursor) : undefined;
        next?.catch(() => {}); // awaited in the next round
        const outcome = await this.evaluatePage(
          page.items,
          repositories,
          false,
          relatedCache,
        );
        await storing;
        storing = this.storePage(outcome, repositories);
        // Awaited before the next page or at the end; until then a failure
        // must not count as unhandled.
        storing.catch(() => {});
        totals.evaluated += outcome.records.length;
        totals.skipped += outcome.skipped;
        totals.failed += outcome.failedRefs.length;
      }
      await storing;
    } catch (e) {
      // What was evaluated before the failure is still stored if it can be.
      await storing.catch(() => {});
      // The catalog itself failed: what was stored stays; the next cycle
      // skips what this one finished and carries on from there.
      this.metrics.cycleFinished((Date.now() - started) / 1000, 'failed');
      this.options.logger.error(
        `Maturity cycle stopped after ${totals.evaluated} evaluated, ${totals.skipped} unchanged: ${e}`,
      );
      throw e;
    }
    const stats: CycleStats = {
      ...totals,
      repositories: { ...repositories.counts },
      durationMs: Date.now() - started,
    };
    this.metrics.cycleFinished(stats.durationMs / 1000, 'completed');
    const r = stats.repositories;
    this.options.logger.info(
      `Maturity cycle: ${stats.evaluated} evaluated, ${stats.skipped} unchanged, ${stats.failed} failed in ${stats.durationMs} ms; repositories: ${r.downloaded} downloaded, ${r['not-modified']} unchanged, ${r.failed} failed`,
      {
        evaluated: stats.evaluated,
        skipped: stats.skipped,
        failed: stats.failed,
        durationMs: stats.durationMs,
      },
    );
    return stats;
  }

  /**
   * Re-evaluates one entity now, whatever its inputs; the repository is
   * still read conditionally. Undefined when the catalog does not have it.
   */
  async evaluateOne(
    entityRef: string,
  ): Promise<EntityResultRecord | undefined> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) return undefined;
    const repositories = this.options.startRepositoryCycle();
    const outcome = await this.evaluatePage([entity], repositories, true);
    await this.storePage(outcome, repositories);
    if (outcome.failedRefs.length) {
      throw new Error(`Could not evaluate ${entityRef}: ${outcome.lastError}`);
    }
    return outcome.records[0];
  }

  /** Collects the page's signals and evaluates what changed; stores nothing. */
  private async evaluatePage(
    entities: Entity[],
    repositories: RepositoryCycle,
    force: boolean,
    relatedCache?: RelatedCache,
  ): Promise<PageOutcome> {
    const { store, logger } = this.options;
    const refs = entities.map(safeRef);
    let related: Map<string, Entity>;
    let facts;
    let attestations;
    let hashes;
    try {
      const credentials = await this.options.auth.getOwnServiceCredentials();
      [related, facts, attestations, hashes] = await Promise.all([
        fetchRelated(this.options.catalog, credentials, entities, relatedCache),
        this.options.facts.latestFacts(refs),
        this.options.attestations.latestAttestations(refs),
        store.getInputHashes(refs),
        repositories.prefetch(entities),
      ]);
    } catch (e) {
      // A catalog or database hiccup for this page: keep the page's last
      // good results, say why they are stale, and go on with the next page.
      const reason = `signals could not be collected: ${errorMessage(e)}`;
      logger.warn(
        `Maturity: ${entities.length} entities not evaluated, ${reason}`,
      );
      return { records: [], skipped: 0, failedRefs: refs, lastError: reason };
    }

    const checks = this.options.checks();
    const now = new Date();
    const day = utcDay(now);
    const failedRefs: string[] = [];
    let skipped = 0;
    let lastError = '';
    const outcomes = await mapWithConcurrency<
      Entity,
      EntityResultRecord | undefined
    >(entities, this.options.concurrency, async (entity, i) => {
      const ref = refs[i];
      try {
        const repository = await repositories.read(entity);
        const entityFacts = facts.get(ref) ?? [];
        const entityAttestations = attestations.get(ref) ?? [];
        const hash = inputsHash({
          entity,
          related: relatedOf(entity, related),
          repository,
          facts: entityFacts,
          attestations: entityAttestations,
          rubric: this.options.rubricHash,
          day,
        });
        if (!force && hashes.get(ref) === hash) {
          skipped++;
          return undefined;
        }
        if (
          repository.status === 'unavailable' &&
          repository.url &&
          hashes.has(ref)
        ) {
          // The read failed and nothing was cached: keep the stored result
          // rather than replace its evidence with unknowns.
          throw new Error(repository.reason);
        }
        const record = evaluateEntity(
          checks,
          {
            entity,
            related,
            repository,
            facts: entityFacts,
            tools: this.options.tools,
            now,
          },
          {
            attestationMaxAgeDays: this.options.attestationMaxAgeDays,
            attestations: entityAttestations,
            orgControls: this.options.orgControls,
            orgControlReviewMaxAgeDays: this.options.orgControlReviewMaxAgeDays,
          },
        );
        return { ...record, inputsHash: hash };
      } catch (e) {
        // One malformed entity must not stop the rest of the page.
        lastError = errorMessage(e);
        failedRefs.push(ref);
        logger
          .child({ entity: ref })
          .warn(`Could not evaluate entity: ${lastError}`);
        return undefined;
      }
    });
    const records = outcomes.filter(
      (r): r is EntityResultRecord => r !== undefined,
    );
    return {
      records,
      skipped,
      failedRefs,
      lastError: lastError && `the evaluation failed: ${lastError}`,
    };
  }

  /** Caches the page's repository reads, stores its results, marks failures stale. */
  private async storePage(outcome: PageOutcome, repositories: RepositoryCycle) {
    const { store } = this.options;
    const { records, skipped, failedRefs, lastError } = outcome;
    await repositories.flush();
    await store.upsertResults(records);
    if (failedRefs.length) {
      // Best effort: the stored results stay either way.
      await store.markStale(failedRefs, withTime(lastError)).catch(() => {});
    }
    this.metrics.entitiesHandled('evaluated', records.length);
    this.metrics.entitiesHandled('skipped', skipped);
    this.metrics.entitiesHandled('failed', failedRefs.length);
  }
}
