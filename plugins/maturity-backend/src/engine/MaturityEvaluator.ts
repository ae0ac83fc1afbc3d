import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  MaturityCheck,
  MaturityToolPolicy,
  RepositorySignal,
} from '@cnmaturity/plugin-maturity-node';
import { resolveOwnerRef } from '../checks/people';
import { FactStore } from '../database/DatabaseFactStore';
import { MaturityStore } from '../database/MaturityStore';
import { evaluateEntity, refOf } from './evaluateEntity';
import { mapWithConcurrency } from './mapWithConcurrency';

const PAGE_SIZE = 200;

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface CycleStats {
  evaluated: number;
  failed: number;
  durationMs: number;
}

/** Reads an entity's repository; one reader per cycle shares reads. */
export type RepositoryReader = (entity: Entity) => Promise<RepositorySignal>;

/**
 * Walks the catalog page by page, collects each entity's signals (related
 * entities in two catalog round trips per page, repositories with bounded
 * concurrency), evaluates and stores the results, one transaction per page.
 */
export class MaturityEvaluator {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      store: MaturityStore;
      facts: FactStore;
      logger: LoggerService;
      checks: () => readonly MaturityCheck[];
      kinds: string[];
      concurrency: number;
      tools: MaturityToolPolicy;
      attestationMaxAgeDays: number;
      startRepositoryCycle: () => RepositoryReader;
    },
  ) {}

  async evaluateAll(): Promise<CycleStats> {
    const started = Date.now();
    const { catalog, auth, kinds } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const readRepository = this.options.startRepositoryCycle();
    let evaluated = 0;
    let failed = 0;
    let cursor: string | undefined;
    do {
      const page = await catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : { filter: { kind: kinds }, limit: PAGE_SIZE },
        { credentials },
      );
      const stats = await this.evaluatePage(page.items, readRepository);
      evaluated += stats.evaluated;
      failed += stats.failed;
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    const durationMs = Date.now() - started;
    this.options.logger.info(
      `Maturity cycle evaluated ${evaluated} entities (${failed} failed) in ${durationMs} ms`,
    );
    return { evaluated, failed, durationMs };
  }

  private async evaluatePage(
    entities: Entity[],
    readRepository: RepositoryReader,
  ): Promise<{ evaluated: number; failed: number }> {
    const related = await this.fetchRelated(entities);
    const facts = await this.options.facts.latestFacts(
      entities.map(e => stringifyEntityRef(e).toLocaleLowerCase('en-US')),
    );
    const checks = this.options.checks();
    const now = new Date();
    let failed = 0;
    const records = await mapWithConcurrency(
      entities,
      this.options.concurrency,
      async entity => {
        try {
          const repository = await readRepository(entity);
          return evaluateEntity(
            checks,
            {
              entity,
              related,
              repository,
              facts:
                facts.get(
                  stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
                ) ?? [],
              tools: this.options.tools,
              now,
            },
            { attestationMaxAgeDays: this.options.attestationMaxAgeDays },
          );
        } catch (e) {
          // A malformed entity must not stop the rest of the page.
          failed++;
          this.options.logger
            .child({ entity: safeRef(entity) })
            .warn(`Could not evaluate entity: ${e}`);
          return undefined;
        }
      },
    );
    const ok = records.filter(<T>(r: T | undefined): r is T => !!r);
    await this.options.store.upsertResults(ok);
    return { evaluated: ok.length, failed };
  }

  /**
   * The entities the checks and the target inheritance follow: owner group,
   * system, dependencies and provided APIs, then the systems' domains.
   */
  private async fetchRelated(entities: Entity[]): Promise<Map<string, Entity>> {
    const related = new Map<string, Entity>();
    const firstHop = new Set<string>();
    for (const entity of entities) {
      const ns = entity.metadata.namespace ?? 'default';
      const owner = resolveOwnerRef(entity);
      if ('ref' in owner) firstHop.add(owner.ref);
      const add = (v: unknown, kind: string) => {
        const ref = refOf(v, kind, ns);
        if (ref) firstHop.add(ref);
      };
      add(entity.spec?.system, 'System');
      for (const d of asArray(entity.spec?.dependsOn)) add(d, 'Component');
      for (const a of asArray(entity.spec?.providesApis)) add(a, 'API');
    }
    await this.fetchInto(firstHop, related);
    const domains = new Set<string>();
    for (const e of related.values()) {
      if (e.kind.toLocaleLowerCase('en-US') !== 'system') continue;
      const ref = refOf(
        e.spec?.domain,
        'Domain',
        e.metadata.namespace ?? 'default',
      );
      if (ref && !related.has(ref)) domains.add(ref);
    }
    await this.fetchInto(domains, related);
    return related;
  }

  private async fetchInto(refs: Set<string>, into: Map<string, Entity>) {
    if (refs.size === 0) return;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entityRefs = [...refs];
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs },
      { credentials },
    );
    items.forEach((item, i) => {
      if (item) into.set(entityRefs[i], item);
    });
  }
}

function safeRef(entity: Entity): string {
  try {
    return stringifyEntityRef(entity);
  } catch {
    return String(entity?.metadata?.name);
  }
}
