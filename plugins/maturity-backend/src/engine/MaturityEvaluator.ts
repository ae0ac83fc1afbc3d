import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { QueryEntitiesResponse } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  evaluateChecks,
  evaluateEntity,
  MaturityCheck,
  MaturityToolPolicy,
  OrgControl,
} from '@cnmaturity/plugin-maturity-rules';
import {
  ReadHeldError,
  RepositoryCycle,
  RepositoryReadOutcome,
} from '../collectors/RepositoryCollector';
import { ReadTiming } from '../scm/ScmReadGate';
import type { WorkerCpu } from '../collectors/ExtractionPool';
import { AttestationStore } from '../database/DatabaseAttestationStore';
import { FactStore } from '../database/DatabaseFactStore';
import {
  EntityResultRecord,
  MaturityStore,
  StoredResultRecord,
} from '../database/MaturityStore';
import { repositoryOf } from '../scm/repositoryKey';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  ENTITY_FIELDS,
  ENTITY_KEY_FIELDS,
  RELATED_KEY_FIELDS,
} from './catalogFields';
import { concurrencyLimit, Limit } from './concurrencyLimit';
import { evaluationJob, PreparedEvaluation } from './evaluationJob';
import { inputsHash, keyInputsHash } from './inputsHash';
import { MaturityMetrics } from './metrics';
import {
  ChangedEntity,
  errorMessage,
  PageOutcome,
  PageTally,
  ReadPage,
} from './pageOutcome';
import { fetchRelated, RelatedCache, relatedOf } from './related';
import { Shard, shardKey, shardOf } from './shards';

const PAGE_SIZE = 200;
/** Evaluations between turns of the event loop, so routes stay responsive. */
const EVALUATIONS_PER_TURN = 20;

/** What one cycle did. */
export interface CycleStats {
  evaluated: number;
  /** Inputs unchanged since the stored result: not re-evaluated. */
  skipped: number;
  /** Could not be evaluated; the last good result is kept, marked stale. */
  failed: number;
  /** Held back by the SCM request budget; evaluated in a later cycle. */
  held: number;
  repositories: Record<RepositoryReadOutcome, number>;
  /** Repositories a batched head lookup found unchanged (no request of their own). */
  headMatches: number;
  durationMs: number;
  /** CPU the extraction workers spent during the cycle, by what on. */
  workerCpuMs?: WorkerCpu;
}

/** A catalog page, and whether it was asked for whole or by key fields. */
interface FetchedPage {
  page: QueryEntitiesResponse;
  whole: boolean;
}

/** The related-entity caches of one cycle, one per set of fields. */
interface CycleCaches {
  keys: RelatedCache;
  whole: RelatedCache;
}

const lowerRef = (e: Entity) =>
  stringifyEntityRef(e).toLocaleLowerCase('en-US');

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
 * Walks the catalog page by page. For each page it first reads what tells
 * whether an entity changed (the entities without their relations, the
 * etags of their related entities, repositories conditionally with bounded
 * concurrency, facts, attestations) and skips entities whose inputs hash is
 * unchanged. Only the rest are fetched whole and evaluated; once most of a
 * page changed, the next pages come whole and are evaluated as they are
 * read. Pages are stored one transaction each, while the next page's
 * repositories are read. A failure for one entity or one page keeps the
 * last good results, marked stale, and the cycle goes on.
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
      startRepositoryCycle: (timing?: ReadTiming) => RepositoryCycle;
      /**
       * How long into a cycle repository reads may wait for the request
       * budget's pace (ms); later ones are held for the next cycle.
       */
      readWindowMs?: number;
      /** Told how each cycle's reads went, e.g. to record the budget's progress. */
      onCycleRead?: (
        repositories: RepositoryCycle,
        shard?: Shard,
      ) => Promise<void>;
      metrics?: MaturityMetrics;
      /** Entities per catalog page and per stored batch. */
      pageSize?: number;
      /**
       * Evaluates an entity on a worker thread or, by `onLoop`, on the event
       * loop, whichever is free (ExtractionPool.evaluate). Without it, on
       * the event loop.
       */
      offload?: (
        evaluation: PreparedEvaluation,
        onLoop: () => EntityResultRecord,
      ) => Promise<EntityResultRecord>;
      /**
       * Checks that only the event loop can run (added by other modules):
       * with `offload`, they run here and their results travel with the job.
       */
      checksOnLoop?: readonly MaturityCheck[];
      /** CPU the extraction workers spent so far (ExtractionPool.cpuMs). */
      workerCpu?: () => WorkerCpu;
    },
  ) {
    this.metrics = options.metrics ?? new MaturityMetrics();
  }

  /**
   * One full cycle over the configured kinds, or over one shard of them:
   * shards are disjoint, so tasks on several instances share a cycle.
   */
  async evaluateAll(options: { shard?: Shard } = {}): Promise<CycleStats> {
    const started = Date.now();
    const { shard } = options;
    const inShard = (e: Entity) =>
      !shard || shardOf(safeRef(e), shard.count) === shard.index;
    const key = shardKey(shard);
    const label = key ? `Maturity cycle (shard ${key})` : 'Maturity cycle';
    const { catalog, auth, kinds } = this.options;
    const repositories = this.options.startRepositoryCycle({
      deadline: started + (this.options.readWindowMs ?? 0),
    });
    const cpuBefore = this.options.workerCpu?.();
    const caches: CycleCaches = { keys: new Map(), whole: new Map() };
    const totals = { evaluated: 0, skipped: 0, failed: 0, held: 0 };
    const pageSize = this.options.pageSize ?? PAGE_SIZE;
    const count = (outcome: PageOutcome) => {
      totals.evaluated += outcome.records.length;
      totals.skipped += outcome.skipped;
      totals.failed += outcome.failedRefs.length;
      totals.held += outcome.heldRefs?.length ?? 0;
    };
    // Repository reads are limited for the whole cycle, not per page: the
    // next page's reads start while the last of this page's are in flight,
    // so the extraction workers are never idle waiting for a page boundary.
    const limit = concurrencyLimit(this.options.concurrency);
    // Pages are asked for by their key fields while most entities turn out
    // unchanged, and whole once most of a page changed (the first cycle, or
    // after the rubric changed): fetching nearly every entity a second time
    // would cost more than the key fields save.
    let whole = false;
    // Pages are completed (changed entities fetched whole and evaluated, the
    // page stored) in order, one at a time, while the following pages'
    // repositories are read.
    let completing: Promise<void> = Promise.resolve();
    const complete = async (pageRead: Promise<ReadPage>) => {
      const read = await pageRead;
      await completing;
      const decided = read.records.length + read.changed.length;
      whole = decided * 2 > decided + read.skipped + read.failedRefs.length;
      completing = this.completePage(
        read,
        repositories,
        false,
        caches.whole,
      ).then(count);
      // Awaited before the next page or at the end; until then a failure
      // must not count as unhandled.
      completing.catch(() => {});
    };
    let reading: Promise<ReadPage> | undefined;
    try {
      const credentials = await auth.getOwnServiceCredentials();
      const query = (cursor?: string): Promise<FetchedPage> => {
        const fields = whole ? ENTITY_FIELDS : ENTITY_KEY_FIELDS;
        return catalog
          .queryEntities(
            cursor
              ? { cursor, limit: pageSize, fields }
              : {
                  filter: { kind: kinds },
                  limit: pageSize,
                  fields,
                  // Counting the whole catalog is one more query, unused.
                  totalItems: 'exclude',
                },
            { credentials },
          )
          .then(page => ({ page, whole: fields === ENTITY_FIELDS }));
      };
      let next: Promise<FetchedPage> | undefined = query();
      while (next) {
        const { page, whole: pageWhole }: FetchedPage = await next;
        // The next page is asked for now, so the catalog's round trip
        // overlaps this page's work.
        const cursor: string | undefined = page.pageInfo.nextCursor;
        next = cursor ? query(cursor) : undefined;
        next?.catch(() => {}); // awaited in the next round
        const previous = reading;
        reading = this.readPage(
          page.items.filter(inShard),
          repositories,
          false,
          {
            whole: pageWhole,
            relatedCache: pageWhole ? caches.whole : caches.keys,
            limit,
          },
        );
        reading.catch(() => {}); // awaited in the next round
        if (previous) await complete(previous);
      }
      if (reading) await complete(reading);
      await completing;
    } catch (e) {
      // What was evaluated before the failure is still stored if it can be.
      await completing.catch(() => {});
      // The catalog itself failed: what was stored stays; the next cycle
      // skips what this one finished and carries on from there.
      this.metrics.cycleFinished((Date.now() - started) / 1000, 'failed');
      this.options.logger.error(
        `${label} stopped after ${totals.evaluated} evaluated, ${totals.skipped} unchanged: ${e}`,
      );
      throw e;
    }
    const cpuAfter = this.options.workerCpu?.();
    const workerCpuMs =
      cpuBefore && cpuAfter
        ? (Object.fromEntries(
            Object.entries(cpuAfter).map(([k, ms]) => [
              k,
              Math.round(ms - cpuBefore[k as keyof WorkerCpu]),
            ]),
          ) as WorkerCpu)
        : undefined;
    const stats: CycleStats = {
      ...totals,
      repositories: { ...repositories.counts },
      headMatches: repositories.headMatches,
      durationMs: Date.now() - started,
      ...(workerCpuMs ? { workerCpuMs } : {}),
    };
    this.metrics.cycleFinished(stats.durationMs / 1000, 'completed');
    const r = stats.repositories;
    const heads = stats.headMatches
      ? `; ${stats.headMatches} found unchanged by batched head lookups`
      : '';
    const held = repositories.heldUntil
      ? `; ${r.held} reads (${
          stats.held
        } entities) held back by the SCM request budget until ${repositories.heldUntil.toISOString()}`
      : '';
    // Where the workers' CPU went: reading archives against parsing them
    // and evaluating (a cycle's own work, beside the SCM's).
    const cpu = workerCpuMs
      ? `; extraction workers' CPU: ${workerCpuMs.read} ms reading, ${workerCpuMs.parse} ms parsing, ${workerCpuMs.evaluate} ms evaluating, ${workerCpuMs.deflate} ms deflating`
      : '';
    this.options.logger.info(
      `${label}: ${stats.evaluated} evaluated, ${stats.skipped} unchanged, ${stats.failed} failed in ${stats.durationMs} ms; repositories: ${r.downloaded} downloaded, ${r['not-modified']} unchanged, ${r.failed} failed${heads}${held}${cpu}`,
      {
        evaluated: stats.evaluated,
        skipped: stats.skipped,
        failed: stats.failed,
        held: stats.held,
        durationMs: stats.durationMs,
      },
    );
    await this.options
      .onCycleRead?.(repositories, shard)
      .catch(e =>
        this.options.logger.warn(
          `Maturity: could not record the SCM status: ${e}`,
        ),
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
    const outcome = await this.evaluateRefs([entityRef], { force: true });
    if (outcome.failedRefs.length) {
      throw new Error(`Could not evaluate ${entityRef}: ${outcome.lastError}`);
    }
    return outcome.records[0];
  }

  /**
   * Evaluates these entities now, e.g. after a push to their repository:
   * the repository is read conditionally and, unless `force`, an entity
   * whose inputs did not change is skipped, so a change that a cycle already
   * evaluated is not evaluated again. Refs the catalog does not have are
   * left out.
   */
  async evaluateRefs(
    entityRefs: string[],
    options: { force?: boolean } = {},
  ): Promise<PageOutcome> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs, fields: ENTITY_FIELDS },
      { credentials },
    );
    const entities = items.filter((e): e is Entity => !!e);
    const force = options.force ?? false;
    // A person waits for these: not paced, still within the budget's share.
    const repositories = this.options.startRepositoryCycle({ urgent: true });
    const read = await this.readPage(entities, repositories, force, {
      whole: true,
      limit: concurrencyLimit(this.options.concurrency),
    });
    return this.completePage(read, repositories, force);
  }

  /**
   * Reads the signals of a page of entities and tells which changed. A page
   * fetched whole is evaluated right away; of a page of key fields, what
   * changed is left to completePage. Stores nothing.
   */
  private async readPage(
    entities: Entity[],
    repositories: RepositoryCycle,
    force: boolean,
    options: { whole: boolean; relatedCache?: RelatedCache; limit: Limit },
  ): Promise<ReadPage> {
    const { store, logger } = this.options;
    const { whole } = options;
    const refs = entities.map(safeRef);
    let related: Map<string, Entity>;
    let facts;
    let attestations;
    let hashes;
    try {
      const credentials = await this.options.auth.getOwnServiceCredentials();
      [related, facts, attestations, hashes] = await Promise.all([
        fetchRelated(this.options.catalog, credentials, entities, {
          cache: options.relatedCache,
          fields: whole ? ENTITY_FIELDS : RELATED_KEY_FIELDS,
        }),
        this.options.facts.latestFacts(refs),
        this.options.attestations.latestAttestations(refs),
        store.getInputHashes(refs),
        repositories.prefetch(entities),
      ]);
    } catch (e) {
      return {
        ...this.signalsFailed({ records: [], skipped: 0 }, refs, e),
        changed: [],
      };
    }

    const page = new PageTally(this.options.checks(), logger);
    const decide = async (
      entity: Entity,
      i: number,
    ): Promise<EntityResultRecord | ChangedEntity | undefined> => {
      const ref = refs[i];
      try {
        const changed = {
          ref,
          inputs: {
            // Only the read counts against the concurrency: an evaluation
            // on a worker must not keep the next repository waiting.
            repository: await options.limit(() => repositories.read(entity)),
            facts: facts.get(ref) ?? [],
            attestations: attestations.get(ref) ?? [],
          },
          storedHash: hashes.get(ref),
        };
        if (whole) {
          return await this.evaluate(changed, entity, related, force, page);
        }
        const hash = keyInputsHash({
          ...changed.inputs,
          entity,
          related: relatedOf(entity, related),
          rubric: this.options.rubricHash,
          day: page.day,
        });
        if (!force && hash !== undefined && hash === changed.storedHash) {
          page.skipped++;
          return undefined;
        }
        return changed;
      } catch (e) {
        if (e instanceof ReadHeldError) page.hold(ref, e.message);
        else page.fail(ref, e);
        return undefined;
      }
    };
    const decided = await Promise.all(entities.map(decide));
    return {
      ...page.outcome(
        decided.filter((d): d is EntityResultRecord => !!d && 'level' in d),
      ),
      changed: decided.filter((d): d is ChangedEntity => !!d && 'inputs' in d),
    };
  }

  /**
   * Fetches the changed entities of a page read by key fields whole, with
   * their related entities, evaluates them and stores the page.
   */
  private async completePage(
    read: ReadPage,
    repositories: RepositoryCycle,
    force: boolean,
    relatedCache?: RelatedCache,
  ): Promise<PageOutcome> {
    const outcome = await this.evaluateChanged(read, force, relatedCache);
    await this.storePage(outcome, repositories);
    return outcome;
  }

  /** Evaluates the changed entities of a page; stores nothing. */
  private async evaluateChanged(
    read: ReadPage,
    force: boolean,
    relatedCache?: RelatedCache,
  ): Promise<PageOutcome> {
    const { catalog, logger } = this.options;
    const { changed, records } = read;
    if (changed.length === 0) return read;

    let entities: Array<Entity | undefined>;
    let related: Map<string, Entity>;
    try {
      const credentials = await this.options.auth.getOwnServiceCredentials();
      ({ items: entities } = await catalog.getEntitiesByRefs(
        { entityRefs: changed.map(c => c.ref), fields: ENTITY_FIELDS },
        { credentials },
      ));
      related = await fetchRelated(
        catalog,
        credentials,
        entities.filter((e): e is Entity => !!e),
        { cache: relatedCache, fields: ENTITY_FIELDS },
      );
    } catch (e) {
      return this.signalsFailed(
        read,
        changed.map(c => c.ref),
        e,
      );
    }

    const page = new PageTally(this.options.checks(), logger, read);
    const evaluated = [...records];
    // Offloaded evaluations run side by side; those on the event loop
    // give it a turn every few entities.
    const running: Promise<void>[] = [];
    for (const [i, entry] of changed.entries()) {
      const entity = entities[i];
      // Removed from the catalog since the page was read.
      if (!entity) continue;
      if (i % EVALUATIONS_PER_TURN === EVALUATIONS_PER_TURN - 1) {
        await nextTurn();
      }
      running.push(
        this.evaluate(entry, entity, related, force, page).then(
          record => {
            if (record) evaluated.push(record);
          },
          e => page.fail(entry.ref, e),
        ),
      );
    }
    await Promise.all(running);
    return page.outcome(evaluated);
  }

  /**
   * Evaluates one entity from its whole catalog entity, unless its inputs
   * hash is the stored one (then counted as skipped). Rejects when it
   * cannot be evaluated.
   */
  private async evaluate(
    { inputs, storedHash }: ChangedEntity,
    entity: Entity,
    related: ReadonlyMap<string, Entity>,
    force: boolean,
    page: PageTally,
  ): Promise<EntityResultRecord | undefined> {
    const itsRelated = relatedOf(entity, related);
    const hash = inputsHash({
      ...inputs,
      entity,
      related: itsRelated,
      rubric: this.options.rubricHash,
      day: page.day,
    });
    if (!force && hash === storedHash) {
      page.skipped++;
      return undefined;
    }
    const { repository } = inputs;
    if (
      repository.status === 'unavailable' &&
      repository.url &&
      storedHash !== undefined
    ) {
      // The read failed and nothing was cached: keep the stored result
      // rather than replace its evidence with unknowns.
      throw new Error(repository.reason);
    }
    const { offload, checksOnLoop } = this.options;
    const signals = {
      ...inputs,
      entity,
      related,
      tools: this.options.tools,
      now: page.now,
    };
    const precomputed =
      offload && checksOnLoop?.length
        ? evaluateChecks(checksOnLoop, signals)
        : undefined;
    const onLoop = () =>
      evaluateEntity(page.checks, signals, {
        attestationMaxAgeDays: this.options.attestationMaxAgeDays,
        attestations: inputs.attestations,
        orgControls: this.options.orgControls,
        orgControlReviewMaxAgeDays: this.options.orgControlReviewMaxAgeDays,
        ...(precomputed
          ? { precomputed: new Map(precomputed.map(r => [r.checkId, r])) }
          : {}),
      });
    const record = offload
      ? await offload(
          evaluationJob({
            ...inputs,
            entity,
            related: itsRelated,
            now: page.now,
            rubricHash: this.options.rubricHash,
            precomputed,
          }),
          onLoop,
        )
      : onLoop();
    const source = repository.url ? repositoryOf(repository.url) : undefined;
    const stored: StoredResultRecord = { ...record, inputsHash: hash };
    if (source) {
      stored.source = { repository: source.key, url: repository.url! };
    }
    return stored;
  }

  /**
   * A catalog or database hiccup for these entities: their last good results
   * are kept, marked stale with the reason, and the cycle goes on.
   */
  private signalsFailed(
    page: Pick<
      PageOutcome,
      'records' | 'skipped' | 'heldRefs' | 'heldReason'
    > & {
      failedRefs?: string[];
    },
    refs: string[],
    e: unknown,
  ): PageOutcome {
    const reason = `signals could not be collected: ${errorMessage(e)}`;
    this.options.logger.warn(
      `Maturity: ${refs.length} entities not evaluated, ${reason}`,
    );
    return {
      records: page.records,
      skipped: page.skipped,
      failedRefs: [...(page.failedRefs ?? []), ...refs],
      lastError: reason,
      ...(page.heldRefs ? { heldRefs: page.heldRefs } : {}),
      ...(page.heldReason ? { heldReason: page.heldReason } : {}),
    };
  }

  /** Caches the page's repository reads, stores its results, marks failures stale. */
  private async storePage(outcome: PageOutcome, repositories: RepositoryCycle) {
    const { store } = this.options;
    const { records, skipped, failedRefs, lastError, heldRefs } = outcome;
    await repositories.flush();
    await store.upsertResults(records);
    if (failedRefs.length) {
      // Best effort: the stored results stay either way.
      await store.markStale(failedRefs, withTime(lastError)).catch(() => {});
    }
    if (heldRefs?.length) {
      await store.markStale(heldRefs, outcome.heldReason!).catch(() => {});
    }
    this.metrics.entitiesHandled('evaluated', records.length);
    this.metrics.entitiesHandled('skipped', skipped);
    this.metrics.entitiesHandled('failed', failedRefs.length);
  }
}
