import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { GeneratedOrganisation } from '../generator/generate';
import type { ReaderCounters } from '../server/benchUrlReader';
import type { CatalogStatus } from '../server/benchCatalogModule';
import { BackendProcess } from './backendProcess';
import { BenchDatabase, DatabaseSize, simulateHistory } from './database';
import { BackendClient } from './http';
import { LoadResult, measure } from './load';
import { BenchOptions } from './options';

/** One evaluation cycle as the backend logged it and the SCM saw it. */
export interface CycleMetrics {
  evaluated: number;
  unchanged: number;
  failed: number;
  /** The cycle's own duration, from its log line. */
  durationMs: number;
  /** From the trigger request to the log line (includes scheduler pickup). */
  wallMs: number;
  /** The collector's outcomes, from the log line. */
  repositories: { downloaded: number; notModified: number; failed: number };
  /** What the SCM was asked during the cycle. */
  scm: ReaderCounters;
}

/** Everything one run measured. A second tool fills the same shape. */
export interface RunMetrics {
  tool: string;
  engine: string;
  services: number;
  run: number;
  /** Fork to "backend started". */
  startupMs: number;
  /** Entities handed to the catalog until it processed and stitched all. */
  ingestionMs: number;
  catalog: CatalogStatus & { components: number };
  factsPushed: number;
  full: CycleMetrics;
  unchanged: CycleMetrics;
  /** Entities per level 0..5 after the cycles. */
  levels: number[];
  stale: number;
  historyRows: number;
  historyMs: number;
  load: LoadResult[];
  /** Peak RSS of the backend during the cycles and the load. */
  peakRssBytes: number;
  /** Peak RSS of the backend during the two cycles only. */
  cyclesPeakRssBytes: number;
  /** Peak RSS of the backend up to the end of catalog ingestion. */
  ingestionPeakRssBytes: number;
  /** RSS of the idle backend just before the first cycle. */
  rssBeforeCyclesBytes: number;
  dbBytes: number;
  /** The largest tables of the database. */
  dbTables: DatabaseSize['tables'];
  wallMs: number;
  warnings: string[];
}

/** What a tool gets for one run. */
export interface RunContext {
  options: BenchOptions;
  organisation: GeneratedOrganisation;
  examplesDir: string;
  reposDir: string;
  workDir: string;
  database: BenchDatabase;
  run: number;
  log: (message: string) => void;
}

/** A tool under benchmark: this plugin now, Tech Insights later. */
export interface BenchTool {
  name: string;
  run(context: RunContext): Promise<RunMetrics>;
}

const CYCLE_LINE =
  /Maturity cycle: (\d+) evaluated, (\d+) unchanged, (\d+) failed in (\d+) ms; repositories: (\d+) downloaded, (\d+) unchanged, (\d+) failed/;
const CYCLE_FAILED = /Maturity cycle stopped after/;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const diff = (a: ReaderCounters, b: ReaderCounters): ReaderCounters =>
  Object.fromEntries(
    Object.keys(b).map(k => [
      k,
      b[k as keyof ReaderCounters] - a[k as keyof ReaderCounters],
    ]),
  ) as unknown as ReaderCounters;

async function runCycle(
  backend: BackendProcess,
  client: BackendClient,
  timeoutMs: number,
): Promise<CycleMetrics> {
  const before = await backend.request<ReaderCounters>('reader-counters');
  const line = backend.waitForLine(CYCLE_LINE, timeoutMs, CYCLE_FAILED);
  const started = performance.now();
  await client.post(
    '/api/maturity/.backstage/scheduler/v1/tasks/maturity-evaluate/trigger',
  );
  const m = await line;
  const wallMs = performance.now() - started;
  const after = await backend.request<ReaderCounters>('reader-counters');
  return {
    evaluated: Number(m[1]),
    unchanged: Number(m[2]),
    failed: Number(m[3]),
    durationMs: Number(m[4]),
    wallMs,
    repositories: {
      downloaded: Number(m[5]),
      notModified: Number(m[6]),
      failed: Number(m[7]),
    },
    scm: diff(before, after),
  };
}

/** The backend config of a run: the real plugins, nothing from app-config. */
function backendConfig(port: number, token: string, database: BenchDatabase) {
  return {
    app: { baseUrl: 'http://127.0.0.1:3000' },
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database: database.config,
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'bench-driver' } },
        ],
      },
    },
    catalog: {
      // Processed once when provided; no reprocessing while we measure.
      processingInterval: { hours: 24 },
      orphanStrategy: 'keep',
    },
    permission: { enabled: false },
    maturity: {
      // Cycles run only when the driver triggers them.
      schedule: { frequency: { trigger: 'manual' }, timeout: { hours: 2 } },
      kinds: ['Component'],
    },
  };
}

/** The maturity backend, run for real in a child process. */
export const maturityTool: BenchTool = {
  name: 'maturity',
  async run(context) {
    const { options, organisation, database, log } = context;
    const started = Date.now();
    const warnings: string[] = [];
    const port = await freePort();
    const token = randomBytes(24).toString('hex');
    const client = new BackendClient(`http://127.0.0.1:${port}`, token);
    const backend = BackendProcess.start({
      input: {
        config: backendConfig(port, token, database),
        seed: options.seed,
        entities: organisation.options.entities,
        broken: options.broken,
        examplesDir: context.examplesDir,
        reposDir: context.reposDir,
      },
      logFile: path.join(context.workDir, 'backend.log'),
      onNotification: m => {
        if (m.type === 'catalog-progress') {
          log(
            `catalog: ${m.total - m.pending}/${m.total} processed, ${
              m.stitching
            } to stitch (${Math.round(m.ms / 1000)} s)`,
          );
        }
      },
    });
    try {
      await backend.waitForNotification('started', 10 * 60_000);
      const startupMs = Date.now() - started;
      const ready = await backend.waitForNotification(
        'catalog-ready',
        options.ingestTimeoutMinutes * 60_000,
      );
      const ingestionPeakRssBytes = backend.memory().peak;
      const components = (
        await client.json(
          '/api/catalog/entities/by-query?filter=kind=component&limit=1&fields=metadata.name',
        )
      ).totalItems as number;
      if (components !== organisation.counts.componentsInCatalog) {
        warnings.push(
          `the catalog has ${components} components, ${organisation.counts.componentsInCatalog} expected`,
        );
      }
      log(
        `catalog ready in ${(ready.ms / 1000).toFixed(1)} s: ${
          ready.total
        } entities, ${ready.withErrors} with errors, ${components} components`,
      );

      // The facts a CI would push (DORA, registry scans), before the cycles.
      const timestamp = new Date(Date.now() - 3_600_000).toISOString();
      let factsPushed = 0;
      for (let i = 0; i < organisation.facts.length; i += 100) {
        const facts = organisation.facts
          .slice(i, i + 100)
          .map(f => ({ ...f, timestamp }));
        await client.post('/api/maturity/facts', { facts });
        factsPushed += facts.length;
      }

      // Peak RSS from here on covers the maturity work, not the ingestion.
      const rssBeforeCyclesBytes = backend.memory().rss;
      if (!backend.resetPeak()) {
        warnings.push(
          'could not reset the peak RSS (clear_refs): the peak includes the catalog ingestion',
        );
      }
      const cycleTimeout = 60 * 60_000;
      log('cycle 1 (full)');
      const full = await runCycle(backend, client, cycleTimeout);
      log(
        `cycle 1: ${full.evaluated} evaluated, ${full.failed} failed in ${full.durationMs} ms`,
      );
      log('cycle 2 (unchanged)');
      const unchanged = await runCycle(backend, client, cycleTimeout);
      log(
        `cycle 2: ${unchanged.evaluated} evaluated, ${unchanged.unchanged} unchanged in ${unchanged.durationMs} ms`,
      );
      if (unchanged.evaluated > 0) {
        warnings.push(
          `the unchanged cycle re-evaluated ${unchanged.evaluated} entities`,
        );
      }
      if (unchanged.scm.downloads > 0) {
        warnings.push(
          `the unchanged cycle downloaded ${unchanged.scm.downloads} repositories`,
        );
      }

      const cyclesPeakRssBytes = backend.memory().peak;
      const summary = await client.json('/api/maturity/summary?limit=1');
      const levels: number[] = summary.totals.levels;

      log(`simulating ${options.historyDays} days of history`);
      const history = await simulateHistory(
        database.maturity(),
        options.historyDays,
      );

      // Latency under load, on the database with its history.
      const evaluated = organisation.services.filter(
        s => s.broken !== 'missing-owner',
      );
      const step = Math.max(1, Math.floor(evaluated.length / 200));
      const entityPaths = evaluated
        .filter((_, i) => i % step === 0)
        .map(s => `/api/maturity/entities/component/default/${s.name}`);
      const owners = new Map<string, number>();
      for (const s of evaluated) {
        if (s.owner) owners.set(s.owner, (owners.get(s.owner) ?? 0) + 1);
      }
      const busiestOwner = [...owners.entries()].sort(
        (a, b) => b[1] - a[1],
      )[0][0];
      const endpoints: Array<{ endpoint: string; paths: string[] }> = [
        {
          endpoint: 'GET /summary (first page)',
          paths: ['/api/maturity/summary'],
        },
        {
          endpoint: `GET /summary?owner= (${owners.get(busiestOwner)} rows)`,
          paths: [
            `/api/maturity/summary?owner=${encodeURIComponent(busiestOwner)}`,
          ],
        },
        {
          endpoint: 'GET /summary?order=level:desc',
          paths: ['/api/maturity/summary?order=level:desc'],
        },
        {
          endpoint: `GET /entities/:kind/:ns/:name (${entityPaths.length} entities)`,
          paths: entityPaths,
        },
        { endpoint: 'GET /summary.csv', paths: ['/api/maturity/summary.csv'] },
      ];
      const load: LoadResult[] = [];
      for (const e of endpoints) {
        for (const p of e.paths.slice(0, 5)) {
          const res = await client.fetch(p); // warm-up, and a sanity check
          if (!res.ok) throw new Error(`GET ${p}: ${res.status}`);
          await res.arrayBuffer();
        }
        for (const connections of options.connections) {
          log(`load: ${e.endpoint}, ${connections} connections`);
          const result = await measure({
            baseUrl: client.baseUrl,
            headers: client.headers,
            endpoint: e.endpoint,
            paths: e.paths,
            connections,
            durationS: options.duration,
          });
          if (result.errors > 0) {
            warnings.push(`${e.endpoint}: ${result.errors} errors under load`);
          }
          load.push(result);
        }
      }
      const peakRssBytes = backend.memory().peak;
      await backend.stop();
      const dbSize = await database.size();
      return {
        tool: 'maturity',
        engine: database.engine,
        services: organisation.options.entities,
        run: context.run,
        startupMs,
        ingestionMs: ready.ms,
        catalog: { ...ready, components },
        factsPushed,
        full,
        unchanged,
        levels,
        stale: summary.totals.stale,
        historyRows: history.rows,
        historyMs: history.ms,
        load,
        peakRssBytes,
        ingestionPeakRssBytes,
        rssBeforeCyclesBytes,
        cyclesPeakRssBytes,
        dbBytes: dbSize.bytes,
        dbTables: dbSize.tables.slice(0, 8),
        wallMs: Date.now() - started,
        warnings,
      };
    } finally {
      await backend.stop();
    }
  },
};
