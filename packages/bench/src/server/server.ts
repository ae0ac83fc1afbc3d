/*
 * The backend under test, in a process of its own (forked by the driver, so
 * its peak RSS is its own): the real catalog, the real maturity plugin and
 * the real UrlReader service (or Tech Insights, for the side-by-side run),
 * with the generated organisation as an entity
 * provider and the generated repositories behind the bench SCM host (the
 * bench reader, or with `--scm github` the GitHub integration's reader against
 * the driver's fake GitHub, whose push webhooks arrive through the events
 * backend and the GitHub events module). Config comes from the driver
 * (CNM_BENCH_SERVER), not from app-config files.
 */
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import v8 from 'node:v8';
import { generateOrganisation } from '../generator/generate';
import { loadTemplates } from '../generator/templates';
import { benchCatalogModule } from './benchCatalogModule';
import { benchUrlReaderFactory } from './benchUrlReader';
import { notify, onRequest } from './ipc';
import { registerProfiler } from './profiler';

/** Which tool the backend runs next to the catalog. */
export type BenchPlugins = 'maturity' | 'tech-insights';

/** What the driver passes to the backend process. */
export interface ServerInput {
  config: JsonObject;
  plugins: BenchPlugins;
  seed: number;
  entities: number;
  broken: number;
  examplesDir: string;
  reposDir: string;
  /**
   * `github`: the config's `integrations.github` points the bench host at a
   * fake GitHub, so the bench reader must not claim it.
   */
  scm?: 'local' | 'github';
}

function main() {
  const input: ServerInput = JSON.parse(process.env.CNM_BENCH_SERVER ?? '');
  registerProfiler();
  // Where the RSS is: V8's heap, or Buffers and native memory; and the heap
  // limit in force (Node's own, from the machine or the cgroup, or set).
  onRequest('memory-usage', () => ({
    ...process.memoryUsage(),
    heapSizeLimit: v8.getHeapStatistics().heap_size_limit,
  }));
  const backend = createBackend();
  backend.add(
    createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => new ConfigReader(input.config, 'bench'),
    }),
  );
  backend.add(import('@backstage/plugin-events-backend'));
  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(
    benchCatalogModule(
      // Generated here rather than sent over IPC: the same seed gives the
      // same organisation in both processes.
      () =>
        generateOrganisation(
          {
            seed: input.seed,
            entities: input.entities,
            broken: input.broken,
          },
          loadTemplates(input.examplesDir),
        ).entities,
    ),
  );
  if (input.scm !== 'github') {
    backend.add(benchUrlReaderFactory(input.reposDir));
  } else {
    // GitHub's webhooks, as a deployment receives them: the events
    // backend's HTTP ingress for the `github` topic (events.http.topics),
    // checked against events.modules.github.webhookSecret, and the GitHub
    // module's router, which republishes a `push` delivery on `github.push`
    // for the maturity plugin. The package entry is a feature loader.
    backend.add(import('@backstage/plugin-events-backend-module-github'));
  }
  if (input.plugins === 'tech-insights') {
    backend.add(import('@backstage-community/plugin-tech-insights-backend'));
    backend.add(
      import('@backstage-community/plugin-tech-insights-backend-module-jsonfc'),
    );
  } else {
    backend.add(import('@cnmaturity/plugin-maturity-backend'));
  }
  backend
    .start()
    .then(() => notify({ type: 'started' }))
    .catch(e => {
      console.error(`Bench backend failed to start: ${e?.stack ?? e}`);
      process.exit(1);
    });
}

main();
