import { BackendClient } from './http';
import { percentile } from './load';
import {
  countSharedPasses,
  SharedPasses,
  TECH_INSIGHTS_RETRIEVERS,
  sampleServices,
  techInsightsConfig,
} from './sharedChecks';
import { startBackend } from './startBackend';
import { BenchTool } from './tool';

/** One built-in fact retriever's run over the catalog. */
export interface RetrieverRun {
  id: string;
  facts: number;
  /** Its own duration, from its "Stored N facts ... in Xs" log line. */
  durationMs: number;
}

/** What a Tech Insights run measured. */
export interface TechInsightsMetrics {
  tool: 'tech-insights';
  engine: string;
  services: number;
  run: number;
  ingestionMs: number;
  retrievers: RetrieverRun[];
  /** Triggering the retrievers (together) until all stored their facts. */
  retrievalMs: number;
  /** Bulk check runs over every entity with facts (`POST /checks/run`). */
  bulkRunsMs: number[];
  /** Entities in one bulk answer, and its size in bytes. */
  bulkEntities: number;
  bulkBytes: number;
  /** `POST /checks/run/:ns/:kind/:name` over the sample, one at a time. */
  entity: { samples: number; p50: number; p95: number };
  /** Passes of the shared checks over the sample. */
  sharedPasses: SharedPasses;
  /** Peak RSS during retrieval and the check runs. */
  peakRssBytes: number;
  dbBytes: number;
  wallMs: number;
  warnings: string[];
}

const stored = (id: string) =>
  new RegExp(`Stored (\\d+) facts for fact retriever ${id} in ([\\d.]+)s`);
const failed = (id: string) =>
  new RegExp(
    `Failed to (?:retrieve|insert) facts for (?:fact )?retriever ${id}`,
  );

/**
 * Triggers a retriever through the scheduler REST API. The scheduler starts
 * a cron task once `initialDelay` after startup, while the catalog is still
 * being ingested; a trigger during that run is a 409, so wait it out.
 */
async function triggerWhenIdle(client: BackendClient, id: string) {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const res = await client.fetch(
      `/api/tech-insights/.backstage/scheduler/v1/tasks/${id}/trigger`,
      { method: 'POST' },
    );
    const text = await res.text();
    if (res.ok) return;
    if (res.status !== 409 || Date.now() > deadline) {
      throw new Error(`Triggering ${id}: ${res.status} ${text.slice(0, 300)}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

/** How many bulk runs are timed (the first counts as the first view). */
const BULK_RUNS = 3;

/**
 * Tech Insights (`@backstage-community/plugin-tech-insights-backend` with its
 * json-rules-engine module) on the same generated catalog: its built-in
 * catalog retrievers, and checks for the metadata both tools share.
 */
export const techInsightsTool: BenchTool<TechInsightsMetrics> = {
  name: 'tech-insights',
  async run(context) {
    const { organisation, database, log } = context;
    const started = Date.now();
    const { backend, client, ingestionMs, warnings } = await startBackend(
      context,
      'tech-insights',
      techInsightsConfig(),
    );
    try {
      backend.resetPeak();
      log('fact retrievers (all three at once, as one cron would start them)');
      const retrievers = new Map<string, RetrieverRun>();
      const retrievalStarted = performance.now();
      const lines: Promise<void>[] = [];
      for (const id of TECH_INSIGHTS_RETRIEVERS) {
        await triggerWhenIdle(client, id);
        // After the trigger was accepted: the next line is this run's.
        lines.push(
          backend.waitForLine(stored(id), 60 * 60_000, failed(id)).then(m => {
            retrievers.set(id, {
              id,
              facts: Number(m[1]),
              durationMs: Number(m[2]) * 1000,
            });
          }),
        );
      }
      await Promise.all(lines);
      const retrievalMs = performance.now() - retrievalStarted;
      log(
        `retrievers done in ${(retrievalMs / 1000).toFixed(1)} s: ${[
          ...retrievers.values(),
        ]
          .map(r => `${r.id} ${r.facts} facts`)
          .join(', ')}`,
      );

      const bulkRunsMs: number[] = [];
      let bulkEntities = 0;
      let bulkBytes = 0;
      for (let i = 0; i < BULK_RUNS; i++) {
        const t = performance.now();
        const res = await client.fetch('/api/tech-insights/checks/run', {
          method: 'POST',
          body: JSON.stringify({ entities: [] }),
          headers: { 'content-type': 'application/json' },
        });
        const text = await res.text();
        bulkRunsMs.push(performance.now() - t);
        if (!res.ok) {
          throw new Error(
            `POST /checks/run: ${res.status} ${text.slice(0, 300)}`,
          );
        }
        bulkBytes = text.length;
        bulkEntities = (JSON.parse(text) as unknown[]).length;
        log(
          `bulk check run ${i + 1}/${BULK_RUNS}: ${bulkEntities} entities in ${(
            bulkRunsMs[i] / 1000
          ).toFixed(1)} s`,
        );
      }

      const sample = sampleServices(organisation);
      const times: number[] = [];
      const sharedPasses = await countSharedPasses(
        sample,
        async name => {
          const t = performance.now();
          const results: Array<{ check: { id: string }; result: boolean }> =
            await client.post(
              `/api/tech-insights/checks/run/default/component/${name}`,
              {},
            );
          times.push(performance.now() - t);
          return results;
        },
        (results, s) =>
          results.some(
            r => r.check.id === s.techInsights.check && r.result === true,
          ),
      );
      times.sort((a, b) => a - b);
      const peakRssBytes = backend.memory().peak;
      await backend.stop();
      const dbSize = await database.size('tech-insights');
      return {
        tool: 'tech-insights',
        engine: database.engine,
        services: organisation.options.entities,
        run: context.run,
        ingestionMs,
        retrievers: [...retrievers.values()],
        retrievalMs,
        bulkRunsMs,
        bulkEntities,
        bulkBytes,
        entity: {
          samples: times.length,
          p50: percentile(times, 50),
          p95: percentile(times, 95),
        },
        sharedPasses,
        peakRssBytes,
        dbBytes: dbSize.bytes,
        wallMs: Date.now() - started,
        warnings,
      };
    } finally {
      await backend.stop();
    }
  },
};
