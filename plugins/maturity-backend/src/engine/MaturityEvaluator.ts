import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { MaturityCheck } from '@cnmaturity/plugin-maturity-node';
import { resolveOwnerRef } from '../checks/people';
import { MaturityStore } from '../database/MaturityStore';
import { evaluateChecks } from './evaluateChecks';
import { toRecord } from './toRecord';

const PAGE_SIZE = 200;

export interface CycleStats {
  evaluated: number;
  failed: number;
  durationMs: number;
}

/**
 * Walks the catalog page by page, evaluates every entity of the configured
 * kinds and stores the results, one transaction per page.
 */
export class MaturityEvaluator {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      store: MaturityStore;
      logger: LoggerService;
      checks: () => readonly MaturityCheck[];
      kinds: string[];
    },
  ) {}

  async evaluateAll(): Promise<CycleStats> {
    const started = Date.now();
    const { catalog, auth, kinds } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
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
      const stats = await this.evaluatePage(page.items);
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
  ): Promise<{ evaluated: number; failed: number }> {
    const related = await this.fetchRelated(entities);
    const checks = this.options.checks();
    const now = new Date();
    const records = [];
    let failed = 0;
    for (const entity of entities) {
      try {
        const results = evaluateChecks(checks, {
          entity,
          related,
          // Repository signals are collected by the rubric's collectors.
          repository: {
            status: 'unavailable',
            reason: 'Repository signals are not collected yet',
          },
          tools: { allowed: [], denied: [] },
          now,
        });
        records.push(toRecord(entity, checks, results, now));
      } catch (e) {
        // A malformed entity must not stop the rest of the page.
        failed++;
        this.options.logger
          .child({ entity: safeRef(entity) })
          .warn(`Could not evaluate entity: ${e}`);
      }
    }
    await this.options.store.upsertResults(records);
    return { evaluated: records.length, failed };
  }

  /** One catalog round trip per page for the entities the checks follow. */
  private async fetchRelated(entities: Entity[]): Promise<Map<string, Entity>> {
    const refs = new Set<string>();
    for (const entity of entities) {
      const owner = resolveOwnerRef(entity);
      if ('ref' in owner) refs.add(owner.ref);
    }
    const related = new Map<string, Entity>();
    if (refs.size === 0) return related;
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const entityRefs = [...refs];
    const { items } = await this.options.catalog.getEntitiesByRefs(
      { entityRefs },
      { credentials },
    );
    items.forEach((item, i) => {
      if (item) related.set(entityRefs[i], item);
    });
    return related;
  }
}

function safeRef(entity: Entity): string {
  try {
    return stringifyEntityRef(entity);
  } catch {
    return String(entity?.metadata?.name);
  }
}
