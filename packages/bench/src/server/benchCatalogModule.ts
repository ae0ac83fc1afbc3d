import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { Knex } from 'knex';
import { notify, onRequest } from './ipc';

/** How far the catalog got with the generated entities. */
export interface CatalogStatus {
  /** Entities handed to the catalog (refresh_state rows). */
  total: number;
  /** Not processed yet. */
  pending: number;
  /** Waiting to be stitched into final entities. */
  stitching: number;
  /** Processed with errors (rejected). */
  withErrors: number;
}

async function count(query: Knex.QueryBuilder): Promise<number> {
  const [row] = await query.count({ n: '*' });
  return Number(row.n);
}

export async function catalogStatus(knex: Knex): Promise<CatalogStatus> {
  return {
    total: await count(knex('refresh_state')),
    pending: await count(knex('refresh_state').whereNull('result_hash')),
    stitching: await count(knex('stitch_queue')),
    withErrors: await count(
      knex('refresh_state')
        .whereNotNull('errors')
        .whereNot('errors', '')
        .whereNot('errors', '[]'),
    ),
  };
}

/**
 * A catalog module whose EntityProvider applies the generated organisation
 * as one full mutation, then tells the driver when the catalog has
 * processed and stitched all of it (`catalog-ready`), with progress on the
 * way (`catalog-progress`).
 */
export const benchCatalogModule = (entities: () => Entity[]) =>
  createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-entities',
    register(reg) {
      reg.registerInit({
        deps: {
          catalog: catalogProcessingExtensionPoint,
          database: coreServices.database,
          logger: coreServices.logger,
        },
        async init({ catalog, database, logger }) {
          const provider: EntityProvider = {
            getProviderName: () => 'bench',
            async connect(connection: EntityProviderConnection) {
              const started = Date.now();
              const all = entities();
              await connection.applyMutation({
                type: 'full',
                entities: all.map(entity => ({ entity, locationKey: 'bench' })),
              });
              logger.info(`Bench: applied ${all.length} entities`);
              notify({
                type: 'catalog-applied',
                entities: all.length,
                ms: Date.now() - started,
              });
              const knex = await database.getClient();
              onRequest('catalog-status', () => catalogStatus(knex));
              watch(knex, all.length, started).catch(e =>
                logger.error(`Bench: catalog watch failed: ${e}`),
              );
            },
          };
          catalog.addEntityProvider(provider);
        },
      });
    },
  });

async function watch(knex: Knex, expected: number, started: number) {
  let quiet = 0;
  let lastProgress = 0;
  for (;;) {
    await new Promise(r => setTimeout(r, 1000));
    const status = await catalogStatus(knex);
    const done =
      status.total >= expected &&
      status.pending === 0 &&
      status.stitching === 0;
    quiet = done ? quiet + 1 : 0;
    if (quiet >= 2) {
      notify({ type: 'catalog-ready', ms: Date.now() - started, ...status });
      return;
    }
    if (Date.now() - lastProgress > 10_000) {
      lastProgress = Date.now();
      notify({ type: 'catalog-progress', ms: Date.now() - started, ...status });
    }
  }
}
