import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  MaturityCheck,
  maturityChecksExtensionPoint,
} from '@cnmaturity/plugin-maturity-node';
import { builtinChecks } from './checks';
import { customFactSources, readCustomChecks } from './checks/custom';
import { RepositoryCollector } from './collectors/RepositoryCollector';
import { applyCheckOverrides, readMaturityConfig } from './config';
import { DatabaseMaturityStore } from './database/DatabaseMaturityStore';
import { DatabaseFactStore } from './database/DatabaseFactStore';
import { DatabaseRepoCache } from './database/DatabaseRepoCache';
import { MaturityEvaluator } from './engine/MaturityEvaluator';
import { BUILTIN_FACT_SOURCES } from './service/facts';
import { createRouter } from './service/router';

/**
 * The Cloud Native Maturity backend plugin: evaluates catalog entities on a
 * schedule and serves the results at /api/maturity.
 * @public
 */
export const maturityPlugin = createBackendPlugin({
  pluginId: 'maturity',
  register(env) {
    const addedChecks: MaturityCheck[] = [];
    env.registerExtensionPoint(maturityChecksExtensionPoint, {
      addChecks(...checks) {
        addedChecks.push(...checks);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        urlReader: coreServices.urlReader,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({
        urlReader,
        config,
        logger,
        database,
        scheduler,
        httpRouter,
        httpAuth,
        auth,
        catalog,
      }) {
        const maturityConfig = readMaturityConfig(config);
        const checks = applyCheckOverrides(
          [...builtinChecks, ...addedChecks, ...readCustomChecks(config)],
          maturityConfig.checks,
        );
        const store = await DatabaseMaturityStore.create({ database });
        const facts = await DatabaseFactStore.create({ database });
        const repositories = new RepositoryCollector({
          urlReader,
          logger,
          tools: maturityConfig.detection,
          maxFileBytes: maturityConfig.maxFileBytes,
          cache: await DatabaseRepoCache.create({ database }),
        });
        const evaluator = new MaturityEvaluator({
          catalog,
          auth,
          store,
          facts,
          logger,
          checks: () => checks,
          kinds: maturityConfig.kinds,
          concurrency: maturityConfig.concurrency,
          tools: maturityConfig.tools,
          attestationMaxAgeDays: maturityConfig.attestationMaxAgeDays,
          startRepositoryCycle: () => repositories.startCycle(),
        });

        await scheduler.scheduleTask({
          id: 'maturity-evaluate',
          scope: 'global',
          ...maturityConfig.schedule,
          fn: async () => {
            await evaluator.evaluateAll();
          },
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            catalog,
            store,
            checks,
            facts,
            factSources: new Set([
              ...BUILTIN_FACT_SOURCES,
              ...customFactSources(config),
            ]),
          }),
        );
      },
    });
  },
});
