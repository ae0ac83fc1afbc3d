import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  MaturityCheck,
  maturityChecksExtensionPoint,
} from '@cnmaturity/plugin-maturity-node';
import {
  assertOrgControlChecks,
  customFactSources,
} from '@cnmaturity/plugin-maturity-rules';
import { ExtractionPool } from './collectors/ExtractionPool';
import { RepositoryCollector } from './collectors/RepositoryCollector';
import { readSharedCiOptions } from './collectors/sharedCiConfig';
import { SharedCiReader } from './collectors/SharedCiReader';
import { readMaturityConfig } from './config';
import { definitionOf, evaluationSetup } from './engine/evaluationSetup';
import { DatabaseMaturityStore } from './database/DatabaseMaturityStore';
import { DatabaseFactStore } from './database/DatabaseFactStore';
import { DatabaseAttestationStore } from './database/DatabaseAttestationStore';
import { DatabaseRepoCache } from './database/DatabaseRepoCache';
import { MaturityEvaluator } from './engine/MaturityEvaluator';
import { PUSH_TOPICS } from './events/pushEvents';
import { RepositoryPushHandler } from './events/RepositoryPushHandler';
import { GithubHeadLookup } from './scm/GithubHeadLookup';
import { GitlabHeadLookup } from './scm/GitlabHeadLookup';
import { HeadLookupByIntegration } from './scm/HeadLookup';
import { ScmRequestBudget } from './scm/RequestBudget';
import { ScmReadGate } from './scm/ScmReadGate';
import { ScmStatusRecorder } from './scm/ScmStatusRecorder';
import { DatabaseScmStatusStore } from './database/DatabaseScmStatusStore';
import { allShards, shardKey, shardTaskId } from './engine/shards';
import { ShardRunner } from './engine/ShardRunner';
import { MaturityMetrics } from './engine/metrics';
import { retentionStartDay } from './database/days';
import { BUILTIN_FACT_SOURCES } from './service/facts';
import { createRouter } from './service/router';
import { CatalogVisibility } from './service/visibility';
import { maturityPermissions } from '@cnmaturity/plugin-maturity-common';

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
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        lifecycle: coreServices.lifecycle,
        events: eventsServiceRef,
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
        permissions,
        permissionsRegistry,
        catalog,
        lifecycle,
        events,
      }) {
        permissionsRegistry.addPermissions(maturityPermissions);
        const maturityConfig = readMaturityConfig(config);
        const setup = evaluationSetup(config, { addedChecks, maturityConfig });
        const { checks } = setup;
        const addedIds = new Set(addedChecks.map(c => c.id));
        assertOrgControlChecks(maturityConfig.orgControls, checks);
        const extractor = new ExtractionPool({
          workers: maturityConfig.extractionWorkers,
          tools: maturityConfig.detection,
          logger,
          // Checks added by modules are functions a worker cannot load:
          // it knows their definitions, the event loop runs them.
          evaluation: {
            config: config.getOptionalConfig('maturity')?.get() ?? {},
            addedChecks: addedChecks.map(definitionOf),
          },
        });
        lifecycle.addShutdownHook(() => extractor.close());
        const { deflate } = extractor;
        const store = await DatabaseMaturityStore.create({
          database,
          deflate,
          // Results another instance wrote show up within a second.
          versionMaxAgeMs: 1000,
        });
        const facts = await DatabaseFactStore.create({ database });
        const attestations = await DatabaseAttestationStore.create({
          database,
        });
        const metrics = new MaturityMetrics();
        const integrations = ScmIntegrations.fromConfig(config);
        const budget = new ScmRequestBudget({
          share: maturityConfig.scm.requestShare,
        });
        // One provider, so a GitHub App's installation tokens are issued once.
        const credentials =
          DefaultGithubCredentialsProvider.fromIntegrations(integrations);
        const scmStatus = new ScmStatusRecorder({
          rows: await DatabaseScmStatusStore.create({ database }),
          budget,
        });
        const repositories = new RepositoryCollector({
          heads: maturityConfig.scm.batchedHeadLookups
            ? new HeadLookupByIntegration({
                integrations,
                logger,
                lookups: {
                  github: new GithubHeadLookup({
                    integrations,
                    logger,
                    budget,
                    credentials,
                  }),
                  gitlab: new GitlabHeadLookup({ integrations, logger }),
                },
              })
            : undefined,
          gate: new ScmReadGate({ integrations, budget, logger, credentials }),
          urlReader,
          logger,
          onRead: outcome => metrics.repositoryRead(outcome),
          maxFileBytes: maturityConfig.maxFileBytes,
          cache: await DatabaseRepoCache.create({ database, deflate }),
          extractor,
          sharedCi: new SharedCiReader({
            urlReader,
            logger,
            integrations,
            options: readSharedCiOptions(config),
            maxFileBytes: maturityConfig.maxFileBytes,
          }),
        });
        const evaluator = new MaturityEvaluator({
          catalog,
          auth,
          store,
          facts,
          attestations,
          logger,
          metrics,
          checks: () => checks,
          rubricHash: setup.rubricHash,
          kinds: maturityConfig.kinds,
          concurrency: maturityConfig.concurrency,
          tools: setup.tools,
          attestationMaxAgeDays: setup.attestationMaxAgeDays,
          orgControls: setup.orgControls,
          orgControlReviewMaxAgeDays: setup.orgControlReviewMaxAgeDays,
          offload: (evaluation, onLoop) =>
            extractor.evaluate(evaluation, onLoop),
          checksOnLoop: checks.filter(c => addedIds.has(c.id)),
          workerCpu: () => extractor.cpuMs(),
          startRepositoryCycle: timing => repositories.startCycle(timing),
          onCycleRead: (cycle, shard) =>
            scmStatus.record(cycle.hosts, shardKey(shard)),
          readWindowMs: maturityConfig.readWindowMs,
        });

        // One task per shard: with several instances the scheduler runs
        // the shards in parallel, and a shard whose instance died is taken
        // over by another once its lock times out.
        const shards = new ShardRunner({
          scheduler,
          logger,
          evaluate: async shard => {
            await evaluator.evaluateAll({ shard });
          },
        });
        lifecycle.addShutdownHook(() => shards.close());
        for (const shard of allShards(maturityConfig.shards)) {
          await scheduler.scheduleTask({
            id: shardTaskId(shard),
            scope: 'global',
            ...maturityConfig.schedule,
            fn: () => shards.run(shard),
          });
        }
        // Pushes published by the SCM webhook modules of the events backend
        // re-evaluate just the entities whose repository changed.
        const pushes = new RepositoryPushHandler({
          store,
          logger,
          evaluate: refs => evaluator.evaluateRefs(refs),
        });
        lifecycle.addShutdownHook(() => pushes.close());
        await events.subscribe({
          id: 'maturity-repository-pushes',
          topics: [...PUSH_TOPICS],
          onEvent: params => pushes.onEvent(params),
        });
        await scheduler.scheduleTask({
          id: 'maturity-prune-history',
          scope: 'global',
          frequency: { hours: 24 },
          timeout: { minutes: 10 },
          initialDelay: { minutes: 5 },
          fn: async () => {
            const deleted = await store.pruneHistory(
              retentionStartDay(maturityConfig.historyRetentionDays),
            );
            logger.info(`Maturity history: pruned ${deleted} rows`);
          },
        });

        httpRouter.use(
          await createRouter({
            httpAuth,
            permissions,
            catalog,
            store,
            checks,
            facts,
            attestations,
            visibility: new CatalogVisibility({
              permissions,
              catalog,
              kinds: maturityConfig.kinds,
            }),
            refresh: async ref => !!(await evaluator.evaluateOne(ref)),
            scmStatus: () => scmStatus.current(),
            attestationMaxAgeDays: maturityConfig.attestationMaxAgeDays,
            historyRetentionDays: maturityConfig.historyRetentionDays,
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
