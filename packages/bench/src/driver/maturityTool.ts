import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { EntityMaturityResult } from '@cnmaturity/plugin-maturity-common';
import type { CatalogStatus } from '../server/benchCatalogModule';
import { SCM_HOST } from '../generator/generate';
import { archivePath } from '../generator/writeRepositories';
import { FakeGitHubScm, ScmCounts } from '../scm/FakeGitHubScm';
import { CycleMetrics, runCycle } from './cycle';
import { DatabaseSize, simulateHistory } from './database';
import { BackendClient } from './http';
import { InflateFloor, measureInflateFloor } from './inflateFloor';
import { LoadResult, measure } from './load';
import {
  PushLatencyMetrics,
  runScmSteadyState,
  SteadyStateMetrics,
} from './scmSteadyState';
import {
  measureSeveralInstances,
  SeveralInstancesMetrics,
} from './severalInstances';
import {
  countSharedPasses,
  SharedPasses,
  sampleServices,
} from './sharedChecks';
import { StartedBackend, startBackend } from './startBackend';
import { BenchTool } from './tool';

export type { CycleMetrics } from './cycle';

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
  /**
   * One cycle after a rubric change: a backend restarted on the same
   * database (after the load) with a config that changes the rubric hash
   * and nothing of how repositories are read (see RUBRIC_CHANGE), so every
   * entity is evaluated again from its cached extraction.
   */
  rubricChange: CycleMetrics;
  /**
   * The floor of the full cycle's repository reads: the archives it
   * downloaded, merely inflated and walked in the driver process (one
   * thread) once no backend runs. Set against `full.cpuMs /
   * full.repositories.downloaded`.
   */
  inflateFloor: InflateFloor;
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
  /**
   * `--scm github`: the fake GitHub's limit per resource and hour during
   * the full and unchanged cycles (raised for the first read).
   */
  firstReadScmLimit?: number;
  /** `--scm github`: an hour of 1% churn at the configured limit. */
  steadyState?: SteadyStateMetrics;
  /** `--scm github`: pushes one at a time, webhook to new result. */
  pushes?: PushLatencyMetrics;
  /**
   * `--instances 2`, last: a full cycle of two shards on one instance and
   * on two, each backend in a CPU cgroup, the plugin's database emptied
   * before each.
   */
  severalInstances?: SeveralInstancesMetrics;
  wallMs: number;
  warnings: string[];
}

/**
 * The fake GitHub's limit per resource and hour for the full and unchanged
 * cycles: an organisation's first read costs two or three core requests per
 * repository, which the plugin would rightly spread over hours at a
 * realistic limit. The configured --scm-limit applies from the steady state
 * on.
 */
export const FIRST_READ_SCM_LIMIT = 1_000_000;

/** The plugin's `maturity.scm.requestShare` in a `--scm github` run (its default). */
export const REQUEST_SHARE = 0.5;

/**
 * What the rubric-change cycle's backend adds to the plugin's config.
 * `resultSettings` (plugin config.ts) puts every `maturity` key but
 * `schedule`, `concurrency` and `extractionWorkers` in the rubric hash, so
 * any other key re-evaluates every entity. `attestationMaxAgeDays` (default
 * 365) only decides when an attestation lapses: the bench organisation has
 * no attestations, so no verdict changes, and unlike `maxFileBytes`,
 * `kinds`, `detection`, `sharedCi` or `scm` it has no part in what is read
 * or extracted, so the cycle reads every repository with its stored etag
 * and evaluates from the cached extractions.
 */
export const RUBRIC_CHANGE = { attestationMaxAgeDays: 366 };

const withRubricChange = <T extends { maturity: object }>(config: T): T => ({
  ...config,
  maturity: { ...config.maturity, ...RUBRIC_CHANGE },
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

/**
 * `--scm github`: the GitHub integration the backend reads the bench host
 * through, the request share, and GitHub's push webhooks through the events
 * backend's HTTP ingress (`/api/events/http/github`), signed.
 */
const githubConfig = (
  github: FakeGitHubScm,
  token: string,
  webhookSecret: string,
) => ({
  ...MATURITY_CONFIG,
  maturity: {
    ...MATURITY_CONFIG.maturity,
    scm: { requestShare: REQUEST_SHARE },
  },
  integrations: {
    github: [{ host: SCM_HOST, apiBaseUrl: github.apiBaseUrl, token }],
  },
  events: {
    http: { topics: ['github'] },
    modules: { github: { webhookSecret } },
  },
});

/** The maturity backend, run for real in a child process. */
export const maturityTool: BenchTool<RunMetrics> = {
  name: 'maturity',
  async run(context) {
    const { options, organisation, database, log } = context;
    const started = Date.now();
    // In the driver process, so that its CPU is not counted as the backend's.
    const token = randomBytes(24).toString('hex');
    const webhookSecret = randomBytes(24).toString('hex');
    const firstReadScmLimit = Math.max(options.scmLimit, FIRST_READ_SCM_LIMIT);
    const github =
      options.scm === 'github'
        ? await FakeGitHubScm.start({
            reposDir: context.reposDir,
            token,
            limit: firstReadScmLimit,
          })
        : undefined;
    const config = github
      ? githubConfig(github, token, webhookSecret)
      : MATURITY_CONFIG;
    let startedBackend: StartedBackend;
    try {
      startedBackend = await startBackend(
        context,
        'maturity',
        config,
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
      const pushFacts = async (to: BackendClient) => {
        let pushed = 0;
        for (let i = 0; i < organisation.facts.length; i += 100) {
          const facts = organisation.facts
            .slice(i, i + 100)
            .map(f => ({ ...f, timestamp }));
          await to.post('/api/maturity/facts', { facts });
          pushed += facts.length;
        }
        return pushed;
      };
      const factsPushed = await pushFacts(client);

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
      // Which archives the full cycle downloads, for the inflate floor:
      // the fake GitHub's codeload requests, or the bench reader's list.
      const requestsBefore = github?.requests.length ?? 0;
      if (!github) {
        await backend.request('reader-archives', 30_000, { record: true });
      }
      const full = await runCycle(
        backend,
        client,
        cycleTimeout,
        profile('cycle-full'),
        github,
      );
      const fullArchives: string[] = github
        ? github.requests
            .slice(requestsBefore)
            .flatMap(r =>
              r.endpoint === 'codeload' && r.archive ? [r.archive] : [],
            )
        : await backend.request<string[]>('reader-archives', 60_000, {
            record: false,
          });
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
            `the fake GitHub refused ${cycle.github.rateLimited} requests of the ${name} cycle for its rate limit (${firstReadScmLimit}/h)`,
          );
        }
        if (cycle.held) {
          warnings.push(
            `the request budget held back ${cycle.held} reads of the ${name} cycle to a later one`,
          );
        }
        const gapsMs = cycle.githubGapsMs ?? 0;
        if (gapsMs > Math.max(10_000, cycle.durationMs / 4)) {
          warnings.push(
            `GitHub requests of the ${name} cycle paused for ${Math.round(
              gapsMs / 1000,
            )} s of its ${Math.round(
              cycle.durationMs / 1000,
            )} s (gaps over 1 s between rate-limited requests, as when reads wait for the plugin's request budget): the cycle time includes those waits`,
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

      // A rubric change: restarted on the same database, every entity
      // evaluated again, reading repositories with their stored etags.
      log(
        `cycle 3 (after a rubric change): restarting the backend with ${JSON.stringify(
          RUBRIC_CHANGE,
        )}`,
      );
      const changed = await startBackend(
        context,
        'maturity',
        withRubricChange(config),
        options.scm,
        { logName: 'backend-rubric-change.log' },
      );
      warnings.push(...changed.warnings);
      let rubricChange: CycleMetrics;
      try {
        rubricChange = await runCycle(
          changed.backend,
          changed.client,
          cycleTimeout,
          profile('cycle-rubric-change'),
          github,
        );
      } finally {
        await changed.backend.stop();
      }
      log(
        `cycle 3: ${rubricChange.evaluated} evaluated, ${rubricChange.unchanged} unchanged, ${rubricChange.failed} failed in ${rubricChange.durationMs} ms; ${rubricChange.scm.downloads} downloads`,
      );
      if (rubricChange.github) log(scmLine(rubricChange.github));
      if (rubricChange.evaluated !== full.evaluated) {
        // The plugin keeps the stored result of an entity whose read fails
        // (a 503 or 404 repository): those count as failed, not evaluated.
        const unreadable =
          rubricChange.failed > 0 &&
          rubricChange.failed <= rubricChange.repositories.failed
            ? `; its ${rubricChange.failed} failed are entities whose repository could not be read (${rubricChange.repositories.failed} failed reads), which keep their stored result`
            : '';
        warnings.push(
          `the cycle after a rubric change evaluated ${rubricChange.evaluated} entities (${rubricChange.unchanged} unchanged, ${rubricChange.failed} failed), the full cycle ${full.evaluated}: not every entity was evaluated again${unreadable}`,
        );
      }
      if (rubricChange.scm.downloads > 0) {
        warnings.push(
          `the cycle after a rubric change downloaded ${rubricChange.scm.downloads} repositories (expected none: the stored etags still match)`,
        );
      }
      if (rubricChange.github?.rateLimited) {
        warnings.push(
          `the fake GitHub refused ${rubricChange.github.rateLimited} requests of the cycle after a rubric change for its rate limit (${firstReadScmLimit}/h)`,
        );
      }

      // The floor of the full cycle's reads, with no backend running.
      log(
        `inflate floor: inflating and walking the ${fullArchives.length} archives the full cycle downloaded`,
      );
      const inflateFloor = measureInflateFloor(
        fullArchives.map(orgRepo => {
          const [org, repo] = orgRepo.split('/');
          return archivePath(context.reposDir, org, repo);
        }),
      );
      const floorOf =
        inflateFloor.cpuOf === 'thread' ? 'the measuring thread' : 'the driver';
      log(
        `inflate floor: ${inflateFloor.cpuMsPerArchive.toFixed(
          3,
        )} CPU ms per archive, ${floorOf}'s (${Math.round(
          inflateFloor.cpuMs,
        )} ms for ${
          inflateFloor.measured
        }; the whole driver process ${Math.round(
          inflateFloor.processCpuMs,
        )} ms; wall ${Math.round(inflateFloor.wallMs)} ms; fastest of ${
          inflateFloor.passes
        } passes); the full cycle: ${(
          full.cpuMs / Math.max(1, full.repositories.downloaded)
        ).toFixed(3)} CPU ms per repository read`,
      );
      if (fullArchives.length !== full.repositories.downloaded) {
        warnings.push(
          `the full cycle logged ${full.repositories.downloaded} repositories downloaded, the SCM streamed ${fullArchives.length} archives: the floor is over the latter`,
        );
      }
      // After everything else is measured: it restarts the backend.
      const scmSteadyState = github
        ? await runScmSteadyState({
            context,
            github,
            config,
            requestShare: REQUEST_SHARE,
            webhookSecret,
            cycleTimeoutMs: cycleTimeout,
          })
        : undefined;
      if (scmSteadyState) warnings.push(...scmSteadyState.warnings);
      // Last, as it empties the plugin's database: nothing after depends on it.
      let severalInstances: SeveralInstancesMetrics | undefined;
      if (options.instances === 2) {
        // A new window at the first read's limit: the shards read everything.
        github?.setLimit(firstReadScmLimit);
        const measured = await measureSeveralInstances({
          context,
          config,
          scm: options.scm,
          pushFacts,
          full,
          timeoutMs: cycleTimeout,
        });
        severalInstances = measured.metrics;
        warnings.push(...measured.warnings);
      }
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
        rubricChange,
        inflateFloor,
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
        ...(github ? { firstReadScmLimit } : {}),
        ...(scmSteadyState
          ? {
              steadyState: scmSteadyState.steadyState,
              pushes: scmSteadyState.pushes,
            }
          : {}),
        ...(severalInstances ? { severalInstances } : {}),
        wallMs: Date.now() - started,
        warnings,
      };
    } finally {
      await backend.stop();
      await github?.close();
    }
  },
};
