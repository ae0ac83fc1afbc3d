import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { EntityMaturityResult } from '@cnmaturity/plugin-maturity-common';
import type { ReaderCounters } from '../server/benchUrlReader';
import type { CatalogStatus } from '../server/benchCatalogModule';
import { SCM_HOST } from '../generator/generate';
import { FakeGitHubScm, ScmCounts } from '../scm/FakeGitHubScm';
import { readerCountersOf } from '../scm/readerCounters';
import { BackendProcess } from './backendProcess';
import { DatabaseSize, simulateHistory } from './database';
import { BackendClient } from './http';
import { LoadResult, measure } from './load';
import {
  countSharedPasses,
  SharedPasses,
  sampleServices,
} from './sharedChecks';
import { StartedBackend, startBackend } from './startBackend';
import { BenchTool } from './tool';

/** One evaluation cycle as the backend logged it and the SCM saw it. */
export interface CycleMetrics {
  evaluated: number;
  unchanged: number;
  failed: number;
  /** The cycle's own duration, from its log line. */
  durationMs: number;
  /** From the trigger request to the log line (includes scheduler pickup). */
  wallMs: number;
  /** CPU time of the backend's threads over that wall time (NaN off Linux). */
  cpuMs: number;
  /** The collector's outcomes, from the log line. */
  repositories: { downloaded: number; notModified: number; failed: number };
  /** What the SCM was asked during the cycle. */
  scm: ReaderCounters;
  /** `--scm github`: the fake GitHub's requests during the cycle, by resource and endpoint. */
  github?: ScmCounts;
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
  /** The first `GET /summary` after the cycles: nothing cached yet. */
  summaryColdMs: number;
  /** Passes of the checks Tech Insights has too, over the shared sample. */
  sharedPasses: SharedPasses;
  stale: number;
  historyRows: number;
  historyMs: number;
  load: LoadResult[];
  /** Peak RSS of the backend during the cycles and the load. */
  peakRssBytes: number;
  /** V8's heap limit in the backend (Node's own, or --heap-limit). */
  heapSizeLimitBytes: number;
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

const CYCLE_LINE =
  /Maturity cycle: (\d+) evaluated, (\d+) unchanged, (\d+) failed in (\d+) ms; repositories: (\d+) downloaded, (\d+) unchanged, (\d+) failed/;
const CYCLE_FAILED = /Maturity cycle stopped after/;

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
  profileFile?: string,
  github?: FakeGitHubScm,
): Promise<CycleMetrics> {
  // With --scm github the backend has no bench reader: the SCM counts.
  const counters = async () =>
    github
      ? readerCountersOf(github.counts())
      : backend.request<ReaderCounters>('reader-counters');
  const mark = github?.requests.length ?? 0;
  const before = await counters();
  if (profileFile) await backend.request('profile-start');
  const line = backend.waitForLine(CYCLE_LINE, timeoutMs, CYCLE_FAILED);
  const cpuBefore = backend.cpuMs() ?? NaN;
  const started = performance.now();
  await client.post(
    '/api/maturity/.backstage/scheduler/v1/tasks/maturity-evaluate/trigger',
  );
  const m = await line;
  const wallMs = performance.now() - started;
  const cpuMs = (backend.cpuMs() ?? NaN) - cpuBefore;
  if (profileFile) {
    await backend.request('profile-stop', 60_000, { file: profileFile });
  }
  const after = await counters();
  return {
    evaluated: Number(m[1]),
    unchanged: Number(m[2]),
    failed: Number(m[3]),
    durationMs: Number(m[4]),
    wallMs,
    cpuMs,
    repositories: {
      downloaded: Number(m[5]),
      notModified: Number(m[6]),
      failed: Number(m[7]),
    },
    scm: diff(before, after),
    ...(github ? { github: github.counts(mark) } : {}),
  };
}

/** The GitHub integration the backend reads the bench host through (`--scm github`). */
const githubConfig = (github: FakeGitHubScm, token: string) => ({
  integrations: {
    github: [{ host: SCM_HOST, apiBaseUrl: github.apiBaseUrl, token }],
  },
});

const scmLine = (c: ScmCounts) =>
  `SCM: ${c.resources.core} core requests, ${c.resources.graphql} GraphQL points, ${c.endpoints.codeload} archive downloads, ${c.rateLimited} refused for a rate limit`;

/**
 * The plugin's config in a run: cycles only when the driver triggers. The
 * bench SCM is no GitHub integration, so a template tells the plugin where
 * a shared workflow `owner/repo/path@ref` lives on it, as an organisation
 * with an internal SCM would.
 */
const MATURITY_CONFIG = {
  maturity: {
    schedule: { frequency: { trigger: 'manual' }, timeout: { hours: 2 } },
    kinds: ['Component'],
    // For trying other settings; the report is of the defaults otherwise.
    ...(process.env.BENCH_CONCURRENCY
      ? { concurrency: Number(process.env.BENCH_CONCURRENCY) }
      : {}),
    ...(process.env.BENCH_EXTRACTION_WORKERS
      ? { extractionWorkers: Number(process.env.BENCH_EXTRACTION_WORKERS) }
      : {}),
    sharedCi: {
      hosts: [
        {
          host: SCM_HOST,
          fileUrl: `https://${SCM_HOST}/{owner}/{repo}/blob/{ref}/{path}`,
        },
      ],
    },
  },
};

/** The maturity backend, run for real in a child process. */
export const maturityTool: BenchTool<RunMetrics> = {
  name: 'maturity',
  async run(context) {
    const { options, organisation, database, log } = context;
    const started = Date.now();
    // In the driver process, so that its CPU is not counted as the backend's.
    const token = randomBytes(24).toString('hex');
    const github =
      options.scm === 'github'
        ? await FakeGitHubScm.start({
            reposDir: context.reposDir,
            token,
            limit: options.scmLimit,
          })
        : undefined;
    let startedBackend: StartedBackend;
    try {
      startedBackend = await startBackend(
        context,
        'maturity',
        github
          ? { ...MATURITY_CONFIG, ...githubConfig(github, token) }
          : MATURITY_CONFIG,
        options.scm,
      );
    } catch (e) {
      await github?.close();
      throw e;
    }
    const {
      backend,
      client,
      startupMs,
      ingestionMs,
      catalog,
      ingestionPeakRssBytes,
      warnings,
    } = startedBackend;
    try {
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

      const { heapSizeLimit: heapSizeLimitBytes } = await backend.request<{
        heapSizeLimit: number;
      }>('memory-usage');
      // Peak RSS from here on covers the maturity work, not the ingestion.
      const rssBeforeCyclesBytes = backend.memory().rss;
      if (!backend.resetPeak()) {
        warnings.push(
          'could not reset the peak RSS (clear_refs): the peak includes the catalog ingestion',
        );
      }
      const cycleTimeout = 60 * 60_000;
      log('cycle 1 (full)');
      const profile = (name: string) =>
        options.profile
          ? path.join(context.workDir, `${name}.cpuprofile`)
          : undefined;
      const full = await runCycle(
        backend,
        client,
        cycleTimeout,
        profile('cycle-full'),
        github,
      );
      log(
        `cycle 1: ${full.evaluated} evaluated, ${full.failed} failed in ${full.durationMs} ms`,
      );
      if (full.github) log(scmLine(full.github));
      log('cycle 2 (unchanged)');
      const unchanged = await runCycle(
        backend,
        client,
        cycleTimeout,
        profile('cycle-unchanged'),
        github,
      );
      log(
        `cycle 2: ${unchanged.evaluated} evaluated, ${unchanged.unchanged} unchanged in ${unchanged.durationMs} ms`,
      );
      if (unchanged.github) log(scmLine(unchanged.github));
      for (const [name, cycle] of Object.entries({ full, unchanged })) {
        if (cycle.github?.rateLimited) {
          warnings.push(
            `the fake GitHub refused ${cycle.github.rateLimited} requests of the ${name} cycle for its rate limit (--scm-limit ${options.scmLimit})`,
          );
        }
      }
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
      if (unchanged.scm.fileDownloads > 0) {
        warnings.push(
          `the unchanged cycle downloaded ${unchanged.scm.fileDownloads} shared CI files`,
        );
      }

      const cyclesPeakRssBytes = backend.memory().peak;
      // The org-wide view as the scorecard page first asks for it after a
      // cycle (rows and rollups built, nothing cached yet).
      const coldStarted = performance.now();
      const summary = await client.json('/api/maturity/summary');
      const summaryColdMs = performance.now() - coldStarted;
      const levels: number[] = summary.totals.levels;

      // The shared metadata checks over the sample both tools are asked about.
      const sample = sampleServices(organisation);
      const sharedPasses = await countSharedPasses(
        sample,
        name =>
          client.json<EntityMaturityResult>(
            `/api/maturity/entities/component/default/${name}`,
          ),
        (result, s) =>
          result.checks.some(
            c => c.checkId === s.maturity && c.status === 'pass',
          ),
      );

      log(`simulating ${options.historyDays} days of history`);
      const history = await simulateHistory(
        database.maturity(),
        options.historyDays,
      );

      // Latency under load, on the database with its history.
      const evaluated = organisation.services.filter(
        s => s.broken !== 'missing-owner',
      );
      const entityPaths = sample.map(
        name => `/api/maturity/entities/component/default/${name}`,
      );
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
          const loadProfile = profile(
            `load-${e.endpoint
              .split(' (')[0]
              .replace(/[^a-z]+/gi, '-')
              .replace(/-$/, '')}-${connections}`,
          );
          if (loadProfile) await backend.request('profile-start');
          const result = await measure({
            baseUrl: client.baseUrl,
            headers: client.headers,
            endpoint: e.endpoint,
            paths: e.paths,
            connections,
            durationS: options.duration,
          });
          if (loadProfile) {
            await backend.request('profile-stop', 60_000, {
              file: loadProfile,
            });
          }
          if (result.errors > 0) {
            warnings.push(`${e.endpoint}: ${result.errors} errors under load`);
          }
          // Which load raises the peak: it only grows.
          const { peak } = backend.memory();
          load.push({ ...result, peakRssBytes: peak });
          const m = await backend.request<NodeJS.MemoryUsage>('memory-usage');
          const mib = (n: number) => `${Math.round(n / 2 ** 20)}`;
          log(
            `  memory after it, MiB: rss ${mib(m.rss)}, V8 heap ${mib(
              m.heapUsed,
            )} used of ${mib(m.heapTotal)}, external ${mib(
              m.external,
            )} (array buffers ${mib(m.arrayBuffers)}), peak rss ${mib(peak)}`,
          );
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
        ingestionMs,
        catalog,
        factsPushed,
        full,
        unchanged,
        levels,
        stale: summary.totals.stale,
        summaryColdMs,
        sharedPasses,
        historyRows: history.rows,
        historyMs: history.ms,
        load,
        peakRssBytes,
        heapSizeLimitBytes,
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
      await github?.close();
    }
  },
};
