/*
 * The Markdown report: one row per tool, engine and size, medians over the
 * runs with (min-max). The `tool` column is there so that a second tool
 * (Tech Insights, side by side) adds its own rows from the same RunMetrics.
 */
import type { RunMetrics } from './driver/maturityTool';
import type { SeveralInstancesMetrics } from './driver/severalInstances';
import { SHARED_CHECKS } from './driver/sharedChecks';
import type { TechInsightsMetrics } from './driver/techInsightsTool';
import type { LoadResult } from './driver/load';
import type { GeneratedOrganisation } from './generator/generate';
import type { ScmCounts } from './scm/FakeGitHubScm';
import { readerRequests, summariseLatencies } from './scm/steadyState';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
}

/** One generated organisation (per size), shared by every tool and engine. */
export interface OrganisationInfo {
  counts: GeneratedOrganisation['counts'];
  repositories: number;
  repositoryFiles: number;
  repositoryBytes: number;
  generationMs: number;
}

export interface ReportInput {
  machine: MachineInfo;
  organisations: OrganisationInfo[];
  seed: number;
  broken: number;
  runs: number;
  durationS: number;
  connections: number[];
  historyDays: number;
  /** The backend's V8 heap limit (--heap-limit), when one was set. */
  heapLimitMiB?: number;
  /** The backend's memory cgroup limit (--memory-limit), when one was set. */
  memoryLimitMiB?: number;
  /** Every backend's CPU cgroup limit in cores (--cpu-limit), when one was set. */
  cpuLimitCores?: number;
  results: RunMetrics[];
  /** Tech Insights on the same catalogs, when it ran. */
  techInsights?: TechInsightsMetrics[];
  /** Lines about what was skipped or went wrong. */
  notes: string[];
  /**
   * `--scm github`: the fake GitHub's limit per resource and hour, and the
   * minutes between cycles its requests per hour are extrapolated for.
   */
  scm?: { limit: number; cycleMinutes: number };
}

/** The goals for 10,000 services; informational, never asserted. */
export const TARGETS = {
  services: 10_000,
  fullCycleS: 30,
  unchangedCycleS: 3,
  summaryP95Ms: 100,
  entityP95Ms: 20,
  peakRssMiB: 1024,
  dbMB: 100,
  /** `--scm github`: API requests (core + GraphQL points) per hour at 1% churn. */
  scmRequestsPerHour: 1000,
  /** `--scm github`: push to new result, median of the pushes. */
  pushMedianS: 60,
  /** The full cycle's CPU per repository read over the inflate-and-walk floor. */
  cpuPerReadOverFloor: 2,
  /** After a rubric change, ours at least this many times sooner than Tech Insights. */
  rubricChangeSooner: 3,
  /** Two instances on PostgreSQL: a full cycle in at most this share of one instance's time. */
  twoInstancesRatio: 0.65,
};

export function stats(values: number[]) {
  const s = values.filter(v => Number.isFinite(v)).sort((a, b) => a - b);
  if (s.length === 0) return { median: NaN, min: NaN, max: NaN };
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** `median (min-max)`, or the median alone for one run or equal values. */
export function range(values: number[]): string {
  return rangeOf(values, fmt);
}

/** `range` with another format. */
function rangeOf(values: number[], f: (x: number) => string): string {
  const s = stats(values);
  if (values.length < 2 || f(s.min) === f(s.max)) return f(s.median);
  return `${f(s.median)} (${f(s.min)}-${f(s.max)})`;
}

const MB = 1e6;
const MiB = 1024 * 1024;

function groupRows(results: RunMetrics[]) {
  const groups = new Map<string, RunMetrics[]>();
  for (const r of results) {
    const key = `${r.tool}\0${r.engine}\0${r.services}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()];
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map(r => `| ${r.join(' | ')} |`),
  ].join('\n');
}

const head = (r: RunMetrics) => [r.tool, r.engine, String(r.services)];
/** The median of a count over the runs (counts rarely differ); – when unknown. */
const count = (runs: RunMetrics[], f: (r: RunMetrics) => number) => {
  const { median } = stats(runs.map(f));
  return Number.isFinite(median) ? String(Math.round(median)) : '–';
};

/**
 * The shared CI files (reusable workflows) read in a cycle: each URL once
 * per cycle, however many services call it, and by etag in later cycles.
 */
const sharedFiles = (runs: RunMetrics[], cycle: 'full' | 'unchanged') =>
  `${count(runs, r => r[cycle].scm.fileDownloads)} downloads, ${count(
    runs,
    r => r[cycle].scm.fileConditional,
  )} conditional (${count(
    runs,
    r => r[cycle].scm.fileNotModified,
  )} not modified), ${count(runs, r => r[cycle].scm.fileFailed)} failed`;

/**
 * CPU per repository read: the full cycle's CPU time (all the backend's
 * threads) over the repositories it downloaded, against the CPU time of
 * merely inflating and walking the same archives in one thread.
 */
export function cpuPerRead(r: RunMetrics) {
  const reads = r.full.repositories.downloaded;
  const cycleMs = r.full.cpuMs / reads;
  const floorMs = r.inflateFloor.cpuMsPerArchive;
  // The workers' share, from the plugin's cycle line (NaN without workers).
  const workers = r.full.workerCpuMs;
  const readMs = workers ? workers.read / reads : NaN;
  return {
    cycleMs,
    floorMs,
    ratio: cycleMs / floorMs,
    readMs,
    readRatio: readMs / floorMs,
    parseMs: workers ? workers.parse / reads : NaN,
    evaluateMs: workers ? workers.evaluate / reads : NaN,
  };
}

/** Milliseconds per read or archive: three decimals below 1 ms. */
const perRead = (x: number) =>
  Number.isFinite(x) && Math.abs(x) < 1 ? x.toFixed(3) : fmt(x);

function cpuPerReadSection(groups: RunMetrics[][]): string[] {
  const measured = groups.filter(runs =>
    runs.every(r => r.inflateFloor && r.full.repositories.downloaded > 0),
  );
  if (measured.length === 0) return [];
  const sampled = measured.some(runs =>
    runs.some(r => r.inflateFloor.measured < r.inflateFloor.archives),
  );
  const allThread = measured.every(runs =>
    runs.every(r => r.inflateFloor.cpuOf === 'thread'),
  );
  return [
    '### CPU per repository read',
    '',
    `Full cycle = the backend's CPU time over the full cycle (all its threads: event loop, extraction workers, libuv pool, garbage collector; the whole cycle's work, catalog, rules and database writes included) divided by the repositories it downloaded. Floor = the CPU time ${
      allThread
        ? "of the driver's thread that does it (Linux schedstat)"
        : 'of the driver process (process.cpuUsage(), all its threads)'
    }, once no backend runs, to merely inflate (zlib, synchronous, one thread) and walk (parse each tar header, copy each entry's bytes once) the very archives the full cycle downloaded, ${
      sampled
        ? '**over an even sample of them** (archives measured in the last column), per archive measured'
        : 'all of them (last column), per archive'
    }, after an untimed warm-up; passes over them repeat (at most 3, while they took under 2 s of CPU together) and the fastest counts, since warm-up and a busy machine only ever add; reading the archives from disk is not timed. Ratio = full cycle over floor; the target is at most ${
      TARGETS.cpuPerReadOverFloor
    }×. The read itself = what the plugin's extraction workers spent inflating the downloaded archives, walking them and selecting the files the checks read (their own threads' CPU time, from the cycle's log line), per repository read: the same work as the floor, plus keeping the selected files; parsing them (YAML, CI, manifests) and evaluating the entities are given beside it, as is what the event loop does (downloading, the catalog, the database), which is the rest of the full cycle's figure.${
      allThread
        ? " The whole driver process's CPU time meanwhile (process.cpuUsage(), all threads) is given too: above the thread's when the driver's other threads worked meanwhile, such as V8's helpers collecting the driver's own heap, which is no cost of a read."
        : ''
    }`,
    '',
    table(
      [
        'tool',
        'engine',
        'services',
        'repositories read, full cycle',
        'full cycle, CPU ms per repository read',
        'inflate-and-walk floor, CPU ms per archive',
        `ratio (target ≤ ${TARGETS.cpuPerReadOverFloor}×)`,
        '',
        'the read itself on the workers, CPU ms per read',
        'the read itself over the floor',
        'parsing on the workers, CPU ms per read',
        'evaluating on the workers, CPU ms per read',
        'the whole driver process meanwhile, CPU ms per archive',
        'archives measured, passes (MB gzipped / MB of tar)',
      ],
      measured.map(runs => {
        const f = runs.map(cpuPerRead);
        const medianRatio = stats(f.map(x => x.ratio)).median;
        const fl = runs[0].inflateFloor;
        return [
          ...head(runs[0]),
          count(runs, r => r.full.repositories.downloaded),
          range(f.map(x => x.cycleMs)),
          rangeOf(
            f.map(x => x.floorMs),
            perRead,
          ),
          `${range(f.map(x => x.ratio))}×`,
          medianRatio <= TARGETS.cpuPerReadOverFloor ? 'met' : '**missed**',
          rangeOf(
            f.map(x => x.readMs),
            perRead,
          ),
          f.every(x => Number.isFinite(x.readRatio))
            ? `${range(f.map(x => x.readRatio))}×`
            : '–',
          rangeOf(
            f.map(x => x.parseMs),
            perRead,
          ),
          rangeOf(
            f.map(x => x.evaluateMs),
            perRead,
          ),
          rangeOf(
            runs.map(
              r => r.inflateFloor.processCpuMs / r.inflateFloor.measured,
            ),
            perRead,
          ),
          `${fl.measured} of ${fl.archives}, ${fl.passes} (${fmt(
            fl.compressedBytes / MB,
          )} / ${fmt(fl.walk.tarBytes / MB)})`,
        ];
      }),
    ),
    '',
    ...measured.map(runs => {
      const f = runs.map(cpuPerRead);
      const m = (g: (x: (typeof f)[number]) => number) =>
        stats(f.map(g)).median;
      return `${runs[0].tool}/${runs[0].engine}/${
        runs[0].services
      }: CPU per repository read: full cycle ${perRead(
        m(x => x.cycleMs),
      )} ms, inflate-and-walk floor ${perRead(
        m(x => x.floorMs),
      )} ms, ratio ${fmt(m(x => x.ratio))}× (target ≤ ${
        TARGETS.cpuPerReadOverFloor
      }×); the read itself on the workers ${perRead(
        m(x => x.readMs),
      )} ms (${fmt(m(x => x.readRatio))}× the floor), parsing ${perRead(
        m(x => x.parseMs),
      )} ms, evaluating ${perRead(m(x => x.evaluateMs))} ms`;
    }),
    '',
  ];
}

function loadRows(runs: RunMetrics[]): string[][] {
  const byKey = new Map<string, LoadResult[]>();
  for (const r of runs) {
    for (const l of r.load) {
      const key = `${l.endpoint}\0${l.connections}`;
      byKey.set(key, [...(byKey.get(key) ?? []), l]);
    }
  }
  return [...byKey.values()].map(ls => [
    ...head(runs[0]),
    ls[0].endpoint,
    String(ls[0].connections),
    range(ls.map(l => l.p50)),
    range(ls.map(l => l.p95)),
    range(ls.map(l => l.p99)),
    range(ls.map(l => l.throughput)),
    String(ls.reduce((sum, l) => sum + l.errors, 0)),
    range(ls.map(l => (l.peakRssBytes ?? NaN) / MiB)),
  ]);
}

/** Two instances' full cycle over one instance's. */
const instancesRatio = (m: SeveralInstancesMetrics) =>
  m.two.wallMs / m.one.wallMs;

function targetRows(runs: RunMetrics[]): string[][] {
  const r0 = runs[0];
  const median = (f: (r: RunMetrics) => number) => stats(runs.map(f)).median;
  const worstP95 = (match: (l: LoadResult) => boolean) =>
    median(r =>
      Math.max(
        ...r.load.filter(match).map(l => l.p95),
        Number.NEGATIVE_INFINITY,
      ),
    );
  const maxConnections = Math.max(...r0.load.map(l => l.connections));
  const minConnections = Math.min(...r0.load.map(l => l.connections));
  const rows: Array<[string, number, number, string]> = [
    [
      'full cycle',
      median(r => r.full.durationMs / 1000),
      TARGETS.fullCycleS,
      's',
    ],
    [
      'unchanged cycle',
      median(r => r.unchanged.durationMs / 1000),
      TARGETS.unchangedCycleS,
      's',
    ],
  ];
  for (const c of new Set([minConnections, maxConnections])) {
    rows.push(
      [
        `summary p95, worst of 3 variants, ${c} connections`,
        worstP95(
          l =>
            l.endpoint.startsWith('GET /summary') &&
            !l.endpoint.includes('csv') &&
            l.connections === c,
        ),
        TARGETS.summaryP95Ms,
        'ms',
      ],
      [
        `entity p95, ${c} connections`,
        worstP95(
          l => l.endpoint.startsWith('GET /entities') && l.connections === c,
        ),
        TARGETS.entityP95Ms,
        'ms',
      ],
    );
  }
  if (runs.every(r => r.inflateFloor)) {
    rows.push([
      'CPU per repository read, full cycle over the inflate-and-walk floor',
      median(r => cpuPerRead(r).ratio),
      TARGETS.cpuPerReadOverFloor,
      '×',
    ]);
  }
  rows.push(
    ['peak RSS', median(r => r.peakRssBytes / MiB), TARGETS.peakRssMiB, 'MiB'],
    ['database after 90 days', median(r => r.dbBytes / MB), TARGETS.dbMB, 'MB'],
  );
  if (runs.every(r => r.severalInstances)) {
    rows.push([
      `full cycle, two instances over one (${
        r0.severalInstances!.shards
      } shards, ${r0.severalInstances!.cpuLimitCores} core each)`,
      median(r => instancesRatio(r.severalInstances!)),
      TARGETS.twoInstancesRatio,
      '×',
    ]);
  }
  if (runs.every(r => r.steadyState && r.pushes)) {
    const steady = runs.map(r => steadyStateFigures(r));
    rows.push(
      [
        `SCM API requests per hour at 1% churn (core + GraphQL points, --scm-limit ${
          r0.steadyState!.limit
        })`,
        stats(steady.map(f => f.total)).median,
        TARGETS.scmRequestsPerHour,
        'requests',
      ],
      [
        'busiest GitHub resource, share of the limit per hour at 1% churn',
        stats(steady.map(f => f.shareOfLimit * 100)).median,
        r0.steadyState!.requestShare * 100,
        '%',
      ],
      [
        `push to new result, median of ${r0.pushes!.latenciesMs.length} pushes`,
        median(r => summariseLatencies(r.pushes!.latenciesMs).medianMs / 1000),
        TARGETS.pushMedianS,
        's',
      ],
    );
  }
  return rows.map(([what, value, target, unit]) => [
    ...head(r0),
    what,
    `${fmt(value)} ${unit}`,
    `≤ ${target} ${unit}`,
    value <= target ? 'met' : '**missed**',
  ]);
}

/**
 * Tech Insights over ours: `**N×**` when ours is N times faster (or
 * smaller), otherwise how many times slower (or larger) ours is.
 */
function ratio(theirs: number, ours: number, unit: string): string {
  if (!(theirs > 0) || !(ours > 0)) return '–';
  const r = theirs / ours;
  if (r >= 1) return `**${fmt(r)}×**`;
  const worse = unit === 's' || unit === 'ms' ? 'slower' : 'larger';
  return `${fmt(1 / r)}× ${worse}`;
}

/** The side-by-side rows of one engine and size, when both tools ran. */
function comparisonRows(
  ours: RunMetrics[],
  theirs: TechInsightsMetrics[],
): string[][] {
  const median = <T>(runs: T[], f: (r: T) => number) =>
    stats(runs.map(f)).median;
  /** p50 of an endpoint at its lowest connection count (one client). */
  const p50 = (r: RunMetrics, prefix: string) => {
    const ls = r.load.filter(l => l.endpoint.startsWith(prefix));
    const c = Math.min(...ls.map(l => l.connections));
    return ls.find(l => l.connections === c)?.p50 ?? NaN;
  };
  // The retrievers' own times (they run side by side), like our cycle's
  // own time: neither counts the scheduler picking the task up.
  const firstView = (r: TechInsightsMetrics) =>
    Math.max(...r.retrievers.map(x => x.durationMs)) + (r.bulkRunsMs[0] ?? NaN);
  const laterBulk = (r: TechInsightsMetrics) =>
    stats(r.bulkRunsMs.slice(1).length ? r.bulkRunsMs.slice(1) : r.bulkRunsMs)
      .median;
  const rows: Array<[string, number, number, string]> = [
    [
      'every entity has its result (ours: full cycle; theirs: fact retrieval + first bulk check run)',
      median(ours, r => r.full.durationMs / 1000),
      median(theirs, r => firstView(r) / 1000),
      's',
    ],
    [
      'after a rubric change, every entity has its new result (ours: cycle from cached extractions; theirs: fact retrieval + first bulk check run)',
      median(ours, r => r.rubricChange.durationMs / 1000),
      median(theirs, r => firstView(r) / 1000),
      's',
    ],
    [
      'org-wide view, first after new results (ours: GET /summary; theirs: POST /checks/run over all entities)',
      median(ours, r => r.summaryColdMs),
      median(theirs, r => r.bulkRunsMs[0]),
      'ms',
    ],
    [
      'org-wide view, repeated (ours: GET /summary p50, one client; theirs: later bulk runs)',
      median(ours, r => p50(r, 'GET /summary (')),
      median(theirs, laterBulk),
      'ms',
    ],
    [
      "one entity's checks, p50 one client (ours: GET /entities/...; theirs: POST /checks/run/:ns/:kind/:name)",
      median(ours, r => p50(r, 'GET /entities')),
      median(theirs, r => r.entity.p50),
      'ms',
    ],
    [
      'peak RSS of the backend after the ingestion',
      median(ours, r => r.peakRssBytes / MiB),
      median(theirs, r => r.peakRssBytes / MiB),
      'MiB',
    ],
    [
      'plugin database (ours with the simulated history)',
      median(ours, r => r.dbBytes / MB),
      median(theirs, r => r.dbBytes / MB),
      'MB',
    ],
  ];
  return rows.map(([what, o, t, unit]) => [
    ours[0].engine,
    String(ours[0].services),
    what,
    `${fmt(o)} ${unit}`,
    `${fmt(t)} ${unit}`,
    ratio(t, o, unit),
  ]);
}

function comparisonSection(
  results: RunMetrics[],
  techInsights: TechInsightsMetrics[],
): string[] {
  const pairs = groupRows(results).flatMap(ours => {
    const theirs = techInsights.filter(
      t => t.engine === ours[0].engine && t.services === ours[0].services,
    );
    return theirs.length ? [{ ours, theirs }] : [];
  });
  if (pairs.length === 0) return [];
  const out = ['### Side by side with Tech Insights', ''];
  out.push(
    table(
      [
        'engine',
        'services',
        'measure',
        'maturity',
        'Tech Insights',
        'ours is (theirs / ours)',
      ],
      pairs.flatMap(p => comparisonRows(p.ours, p.theirs)),
    ),
    '',
  );
  out.push(
    table(
      [
        'engine',
        'services',
        'shared check',
        'maturity passes',
        'Tech Insights passes',
        'sample',
        'how the rules differ',
      ],
      pairs.flatMap(({ ours, theirs }) => {
        const n = theirs[0].entity.samples;
        return SHARED_CHECKS.map(c => [
          ours[0].engine,
          String(ours[0].services),
          `${c.id} (\`${c.maturity}\` / \`${c.techInsights.check}\`)`,
          String(ours[0].sharedPasses[c.id]),
          String(theirs[0].sharedPasses[c.id]),
          String(n),
          c.differs,
        ]);
      }),
    ),
    '',
  );
  const t0 = pairs[0].theirs[0];
  out.push(
    'What is compared, and what is not:',
    '',
    '- Both run in the same kind of backend (a fresh child process with the real catalog, the same generated catalog, the same database engine); Tech Insights is `@backstage-community/plugin-tech-insights-backend` with its json-rules-engine module, its three built-in catalog fact retrievers (triggered together through the scheduler REST API, as one cron tick would start them) and four checks: `hasOwner`, `hasGroupOwner`, `hasAnnotationBackstageIoTechdocsRef`, `hasDescription`.',
    `- Our cycle does strictly more in its time: it reads every service's repository (${pairs[0].ours[0].full.scm.downloads} downloads in the full cycle), runs every rubric check (about 60), scores levels, areas and targets, and stores results and history. Tech Insights reads catalog metadata only and stores facts; its checks run when someone asks, so the first view of all results is retrieval plus one bulk check run.`,
    `- The org-wide view: ours is the scorecard page's request (first page of rows, totals, levels and the team and system rollups, computed on the server). Theirs is the bulk check run over every entity with facts (${
      t0.bulkEntities
    } entities, ${fmt(
      t0.bulkBytes / MB,
    )} MB of JSON): raw per-entity results that a page would still have to roll up in the browser. Ratios are theirs over ours (**N×** = ours is N times faster or smaller).`,
    `- After a rubric change: ours restarts on the same database with a changed setting (\`maturity.attestationMaxAgeDays\`, in the rubric hash, changing no verdict here) and runs one cycle: every entity evaluated again, its repository asked with the stored etag (nothing downloaded) and its extraction taken from the cache. Theirs is the first row's time again: its checks run on request over the stored facts, so the figure is retrieval plus the first bulk run (a change that needs no new fact would need the bulk run alone). The issue's target: ours at least ${TARGETS.rubricChangeSooner}× sooner.`,
    '- Shared checks are compared over the same sample of services, asked one by one of each tool; where the counts differ, the last column says which rule is stricter.',
    '',
  );
  return out;
}

/** The API endpoints the report breaks requests down by. */
const API_ENDPOINTS = [
  'commit-status',
  'repository',
  'tarball',
  'contents',
  'graphql',
] as const;

/** `commit-status 9970, graphql 1`: the endpoints asked, free ones too; – for none. */
function endpointList(
  countOf: (e: (typeof API_ENDPOINTS)[number]) => number,
): string {
  return (
    API_ENDPOINTS.map(e => [e, Math.round(countOf(e))] as const)
      .filter(([, n]) => n > 0)
      .map(([e, n]) => `${e} ${n}`)
      .join(', ') || '–'
  );
}

/** Which limit the fake applied to the full, unchanged and rubric-change cycles. */
function firstReadLimitNote(groups: RunMetrics[][], limit: number): string {
  const limits = [
    ...new Set(
      groups.flatMap(runs => runs.map(r => r.firstReadScmLimit ?? limit)),
    ),
  ];
  if (limits.length === 1 && limits[0] === limit) return '';
  return ` The fake's limit during these cycles was raised to ${limits
    .map(l => l.toLocaleString('en-US'))
    .join(
      ', ',
    )}/h per resource, so that it refuses nothing of an organisation's first read (two or three core requests per repository, which the plugin would rightly spread over hours at a realistic limit); the steady state below ran at ${limit}/h.`;
}

/**
 * `--scm github`: what each cycle asked of GitHub's API and what that comes
 * to per hour when a cycle runs every `cycleMinutes`, against the limit.
 */
function scmSection(input: ReportInput, groups: RunMetrics[][]): string[] {
  const measured = groups.filter(runs => runs.every(r => r.full.github));
  if (!input.scm || measured.length === 0) return [];
  const { limit, cycleMinutes } = input.scm;
  const cyclesPerHour = 60 / cycleMinutes;
  const cycles = [
    ['full', 'full'],
    ['unchanged', 'unchanged'],
    ['rubricChange', 'after a rubric change'],
  ] as const;
  const rows = measured.flatMap(runs =>
    cycles
      .filter(([cycle]) => runs.every(r => r[cycle]?.github))
      .map(([cycle, label]) => {
        const median = (f: (c: ScmCounts) => number) =>
          stats(runs.map(r => f(r[cycle].github!))).median;
        const core = median(c => c.resources.core);
        const graphql = median(c => c.resources.graphql);
        const endpoints = endpointList(e => median(c => c.endpoints[e]));
        const share =
          (Math.max(core, graphql) * cyclesPerHour * 100) / Math.max(1, limit);
        return [
          ...head(runs[0]),
          label,
          String(Math.round(core)),
          String(Math.round(graphql)),
          String(Math.round(median(c => c.endpoints.codeload))),
          String(Math.round(median(c => c.rateLimited))),
          endpoints,
          `${Math.round(core * cyclesPerHour)} / ${Math.round(
            graphql * cyclesPerHour,
          )}`,
          share > 100 ? `**${fmt(share)}%, over**` : `${fmt(share)}%`,
        ];
      }),
  );
  return [
    '### SCM requests (`--scm github`)',
    '',
    `Backstage's GitHub reader against a fake GitHub Enterprise in the driver process, answering as GitHub does with a limit per resource and hour (core: REST requests; graphql: points, 1 per query of up to 100 repositories). Archive downloads go to codeload, which is not rate limited; GET /rate_limit and 304s to authorised conditional requests are free. Per hour: the cycle repeated every ${cycleMinutes} minutes (--cycle-minutes), against the configured ${limit}/h (--scm-limit).${firstReadLimitNote(
      measured,
      limit,
    )}`,
    '',
    table(
      [
        'tool',
        'engine',
        'services',
        'cycle',
        'core requests',
        'GraphQL points',
        'archive downloads',
        'refused (rate limit)',
        'API requests by endpoint, free ones too',
        `core / GraphQL per hour, a cycle every ${cycleMinutes} min`,
        `of the ${limit}/h limit`,
      ],
      rows,
    ),
    '',
  ];
}

/** What one run's steady-state hour cost, against what Backstage's reader alone would. */
function steadyStateFigures(r: RunMetrics) {
  const s = r.steadyState!;
  const sum = (f: (c: ScmCounts) => number) =>
    s.cycles.reduce((n, c) => n + f(c.github!), 0);
  const core = sum(c => c.resources.core);
  const graphql = sum(c => c.resources.graphql);
  const changed = s.changedPerCycle.reduce((a, b) => a + b, 0);
  // Today each readTree asks for the commit status (and the repository when
  // the URL names no branch): what the full cycle asked per repository.
  const readsPerCycle =
    r.full.github!.endpoints['commit-status'] +
    r.full.github!.endpoints.repository;
  return {
    core,
    graphql,
    total: core + graphql,
    shareOfLimit: Math.max(core, graphql) / Math.max(1, s.limit),
    held: s.cycles.reduce((n, c) => n + (c.held ?? 0), 0),
    endpoints: Object.fromEntries(
      API_ENDPOINTS.map(e => [e, sum(c => c.endpoints[e])]),
    ) as Record<(typeof API_ENDPOINTS)[number], number>,
    changed,
    readsPerCycle,
    today: readerRequests({
      readsPerCycle,
      cycles: s.cycles.length,
      changed,
    }),
  };
}

/**
 * `--scm github`, after the cycles: an hour of 1% churn at the
 * configured limit, against what Backstage's GitHub reader alone would ask
 * in that hour, and pushes timed from webhook to new result.
 */
function steadyStateSection(
  input: ReportInput,
  groups: RunMetrics[][],
): string[] {
  const measured = groups.filter(runs =>
    runs.every(r => r.steadyState && r.pushes && r.full.github),
  );
  if (!input.scm || measured.length === 0) return [];
  const { cycleMinutes } = input.scm;
  const r0 = measured[0][0];
  const s0 = r0.steadyState!;
  const pushes = r0.pushes!.latenciesMs.length;
  const rows = measured.map(runs => {
    const f = runs.map(steadyStateFigures);
    const s = runs[0].steadyState!;
    const m = (g: (x: (typeof f)[number]) => number) => stats(f.map(g)).median;
    const share = (n: number) => `${fmt((n * 100) / Math.max(1, s.limit))}%`;
    const overShare = m(x => x.shareOfLimit) > s.requestShare;
    return [
      ...head(runs[0]),
      `${s.limit}/h`,
      `${Math.round(m(x => x.changed))} of ${
        s.repositories
      } (${s.changedPerCycle.join(' + ')})`,
      String(s.cycles.length),
      String(Math.round(m(x => x.core))),
      String(Math.round(m(x => x.graphql))),
      String(Math.round(m(x => x.total))),
      `${share(m(x => x.core))} / ${share(m(x => x.graphql))}${
        overShare ? ', **over the share**' : ''
      } (share ${fmt(s.requestShare * 100)}%)`,
      String(Math.round(m(x => x.held))),
      endpointList(e => m(x => x.endpoints[e])),
      `${Math.round(m(x => x.today))} core (${Math.round(
        m(x => x.readsPerCycle),
      )} × ${s.cycles.length} cycles + ${Math.round(m(x => x.changed))})`,
    ];
  });
  const pushRows = measured.map(runs => {
    const all = runs.flatMap(r => r.pushes!.latenciesMs);
    const summary = summariseLatencies(all);
    const seconds = (ms: number) =>
      Number.isFinite(ms) ? fmt(ms / 1000) : `> ${r0.pushes!.timeoutMs / 1000}`;
    const sum = (f: (r: RunMetrics) => number) =>
      runs.reduce((n, r) => n + f(r), 0);
    return [
      ...head(runs[0]),
      String(summary.pushes),
      seconds(summary.medianMs),
      seconds(summary.maxMs),
      `${summary.seen} of ${summary.pushes}`,
      `${sum(r => r.pushes!.github.resources.core)} / ${sum(
        r => r.pushes!.github.resources.graphql,
      )} (${fmt(
        sum(r => r.pushes!.github.resources.core) / Math.max(1, summary.pushes),
      )} / ${fmt(
        sum(r => r.pushes!.github.resources.graphql) /
          Math.max(1, summary.pushes),
      )} per push)`,
      String(sum(r => r.pushes!.cycles)),
    ];
  });
  return [
    `#### Steady state: an hour of ${
      s0.churnShare * 100
    }% churn, then ${pushes} pushes`,
    '',
    `After the cycles above, the fake GitHub's limit is set to the configured ${
      s0.limit
    } per hour and resource (--scm-limit, a new window) and the backend is restarted on the same database: the plugin's request budget keeps what it spent in the last hour in memory, and the restart stands for "an hour or more after the first read". Then ${
      s0.churnShare * 100
    }% of the repositories the cycles read move their head (no webhook), spread over the hour's ${
      s0.cycles.length
    } cycles (a cycle every ${cycleMinutes} min), and the cycles run. Per hour = the sum over those cycles. Today's reader (computed, not measured): Backstage's GitHub reader without head lookups asks for each repository's commit status every cycle (the full cycle's commit-status requests) and for the tarball of each changed repository.`,
    '',
    table(
      [
        'tool',
        'engine',
        'services',
        'limit while measured',
        'repositories changed (per cycle)',
        'cycles',
        'core requests per hour',
        'GraphQL points per hour',
        'API requests per hour',
        'of the limit, core / GraphQL',
        'reads held',
        'API requests by endpoint, free ones too',
        "today's reader per hour, computed",
      ],
      rows,
    ),
    '',
    `Then ${pushes} pushes, one at a time, to other repositories: the fake GitHub moves the head and sends GitHub's signed \`push\` webhook to \`/api/events/http/github\` (the events backend's ingress, the GitHub module's router to \`github.push\`); the time is from the push until \`GET /api/maturity/entities/component/default/:name\` (polled every 100 ms) shows a result evaluated after it. No cycle is triggered meanwhile.`,
    '',
    table(
      [
        'tool',
        'engine',
        'services',
        'pushes',
        'push to new result, median s',
        'max s',
        `new result within ${r0.pushes!.timeoutMs / 1000} s`,
        'core requests / GraphQL points meanwhile',
        'cycles meanwhile',
      ],
      pushRows,
    ),
    '',
  ];
}

/**
 * `--instances 2`: a full cycle of two shards on one instance, then on two
 * instances on the same databases, each backend limited to the same cores.
 */
function severalInstancesSection(groups: RunMetrics[][]): string[] {
  const measured = groups.filter(runs => runs.every(r => r.severalInstances));
  if (measured.length === 0) return [];
  const s0 = measured[0][0].severalInstances!;
  const seconds = (values: number[]) => range(values.map(ms => ms / 1000));
  /** Per shard or instance: the median over the runs of the i-th value. */
  const each = (
    runs: RunMetrics[],
    f: (m: SeveralInstancesMetrics) => number[],
    join = ', ',
  ) => {
    const n = Math.max(...runs.map(r => f(r.severalInstances!).length));
    return Array.from({ length: n }, (_, i) =>
      seconds(runs.map(r => f(r.severalInstances!)[i] ?? NaN)),
    ).join(join);
  };
  const rows = measured.map(runs => {
    const ms = runs.map(r => r.severalInstances!);
    const medianRatio = stats(ms.map(instancesRatio)).median;
    const byInstance = [
      ...new Set(
        ms.map(m =>
          m.two.shards
            .map(r => `shard ${r.shard}: instance ${r.instance}`)
            .join(', '),
        ),
      ),
    ].join('; ');
    return [
      ...head(runs[0]),
      seconds(ms.map(m => m.one.wallMs)),
      seconds(ms.map(m => m.two.wallMs)),
      `${range(ms.map(instancesRatio))}×`,
      medianRatio <= TARGETS.twoInstancesRatio ? 'met' : '**missed**',
      `${each(runs, m => m.one.shards.map(r => r.doneMs))} / ${each(runs, m =>
        m.two.shards.map(r => r.doneMs),
      )}`,
      byInstance,
      [
        ...new Set(
          ms.map(
            m =>
              `${m.two.shards.map(r => r.evaluated).join(' + ')} (${m.one.shards
                .map(r => r.evaluated)
                .join(' + ')})`,
          ),
        ),
      ].join('; '),
      `${each(runs, m => m.one.cpuMs)} / ${each(
        runs,
        m => m.two.cpuMs,
        ' + ',
      )}`,
      `${each(runs, m => m.one.throttledMs)} / ${each(
        runs,
        m => m.two.throttledMs,
        ' + ',
      )}`,
    ];
  });
  return [
    '### Several instances',
    '',
    `After every other measurement of the run, a full cycle with \`maturity.shards: ${
      s0.shards
    }\` (one scheduler task per shard, \`maturity-evaluate-shard-<i>-of-${
      s0.shards
    }\`) is timed twice on the same catalog and PostgreSQL server: on one instance, which runs its shards one after another, then on two instances on the same databases, which share the cycle through the scheduler's locks (the second started as soon as the first has started its plugins and so migrated the emptied database; both ready before anything is timed). Each backend runs in a CPU cgroup of its own limited to ${
      s0.cpuLimitCores
    } core${s0.cpuLimitCores === 1 ? '' : 's'} (${
      s0.cpuSetting || 'the setting was not recorded'
    }), as each instance would have its own machine or container; PostgreSQL and the driver are not limited and share the machine's cores with them. Before each measure the maturity plugin's database is dropped and created again (the catalog's is kept) and the facts are pushed again, so every entity is evaluated and every repository downloaded. Both shard tasks are triggered through the scheduler REST API of instance 1; the time runs from the first trigger until both shards' "Maturity cycle (shard i of ${
      s0.shards
    })" lines are logged, by whichever instance: it includes the schedulers' pickup (each instance polls every 5 s; one running a shard gives a newly claimed one back, so a lone instance takes its second shard at its first poll after the first ends). Ratio = two instances over one; the issue's target at ${TARGETS.services.toLocaleString(
      'en-US',
    )} services is at most ${
      TARGETS.twoInstancesRatio
    }×. CPU = each instance's CPU time (all threads, /proc/<pid>/stat) from the trigger to the last line; throttled = the time its cgroup's quota held it back meanwhile (cpu.stat).`,
    '',
    table(
      [
        'tool',
        'engine',
        'services',
        `one instance, ${s0.shards} shards one after another, s`,
        'two instances, s',
        `ratio (target ≤ ${TARGETS.twoInstancesRatio}×)`,
        '',
        'shard lines after the trigger, s: one / two instances',
        'which instance ran which shard (two instances)',
        'evaluated per shard, two instances (one)',
        'CPU s per instance: one / two',
        'throttled s per instance: one / two',
      ],
      rows,
    ),
    '',
    ...measured.map(runs => {
      const ms = runs.map(r => r.severalInstances!);
      const m = (f: (x: SeveralInstancesMetrics) => number) =>
        stats(ms.map(f)).median;
      return `${runs[0].tool}/${runs[0].engine}/${
        runs[0].services
      }: full cycle of ${s0.shards} shards: one instance ${fmt(
        m(x => x.one.wallMs / 1000),
      )} s, two instances ${fmt(m(x => x.two.wallMs / 1000))} s, ratio ${fmt(
        m(instancesRatio),
      )}× (target ≤ ${TARGETS.twoInstancesRatio}×)`;
    }),
    '',
  ];
}

/** The memory the backend ran with: what bounds the peak RSS. */
function backendMemory(input: ReportInput): string {
  const limits = [
    ...new Set(input.results.map(r => r.heapSizeLimitBytes).filter(b => b > 0)),
  ].map(b => `${Math.round(b / 2 ** 20)} MiB`);
  const heap = limits.length ? ` ${limits.join(', ')}` : '';
  if (input.heapLimitMiB) {
    return `V8 heap limit${heap} (--heap-limit ${input.heapLimitMiB})`;
  }
  if (input.memoryLimitMiB) {
    return `in a ${input.memoryLimitMiB} MiB memory cgroup (--memory-limit, as a container), V8 heap limit${heap} (Node's, from the cgroup)`;
  }
  return `no memory limit, V8 heap limit${heap} (Node's, from the machine's memory)`;
}

export function renderReport(input: ReportInput): string {
  const groups = groupRows(input.results);
  const m = input.machine;
  const out: string[] = [];
  out.push('## Cloud Native Maturity benchmark', '');
  out.push(
    `Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB.toFixed(
      1,
    )} GiB RAM, ${m.os}, Node ${m.node}. Seed ${input.seed}, ${fmt(
      input.broken * 100,
    )}% broken services, ${input.runs} run(s) per row: median (min-max).`,
    '',
    `Backend: compiled JavaScript (no TypeScript transform); ${backendMemory(
      input,
    )}${
      input.cpuLimitCores
        ? `; in a CPU cgroup of ${input.cpuLimitCores} core${
            input.cpuLimitCores === 1 ? '' : 's'
          } (--cpu-limit, a CFS quota as a container's CPU limit)`
        : ''
    }.`,
    '',
  );

  out.push('### Synthetic organisations', '');
  out.push(
    table(
      [
        'services',
        'groups / users',
        'domains / systems / APIs',
        'repositories (files, MB gzipped)',
        'without repository',
        'broken: no owner / unknown owner / bad annotation / malformed YAML / 503 / 404',
        'generated in s',
      ],
      input.organisations.map(o => {
        const c = o.counts;
        const b = c.broken;
        return [
          String(c.components),
          `${c.groups} / ${c.users}`,
          `${c.domains} / ${c.systems} / ${c.apis}`,
          `${o.repositories} (${o.repositoryFiles}, ${fmt(
            o.repositoryBytes / MB,
          )})`,
          String(c.withoutRepository),
          [
            b['missing-owner'],
            b['unknown-owner'],
            b['invalid-annotation'],
            b['malformed-yaml'],
            b['unreadable-503'],
            b['unreadable-404'],
          ].join(' / '),
          fmt(o.generationMs / 1000),
        ];
      }),
    ),
    '',
  );

  out.push('### Evaluation cycles', '');
  out.push(
    table(
      [
        'tool',
        'engine',
        'services',
        'full cycle s',
        'per entity ms',
        'unchanged cycle s',
        'cycle after a rubric change s',
        'CPU cores busy, full / unchanged / rubric change',
        'SCM, full cycle',
        'SCM, unchanged cycle',
        'SCM, cycle after a rubric change',
        'shared CI files, full cycle',
        'shared CI files, unchanged cycle',
        'peak RSS MiB: cycles / with load (idle before)',
        `DB MB after ${input.historyDays} days`,
      ],
      groups.map(runs => [
        ...head(runs[0]),
        range(runs.map(r => r.full.durationMs / 1000)),
        range(
          runs.map(
            r =>
              r.full.durationMs /
              Math.max(1, r.full.evaluated + r.full.unchanged + r.full.failed),
          ),
        ),
        range(runs.map(r => r.unchanged.durationMs / 1000)),
        range(runs.map(r => r.rubricChange.durationMs / 1000)),
        `${range(runs.map(r => r.full.cpuMs / r.full.durationMs))} / ${range(
          runs.map(r => r.unchanged.cpuMs / r.unchanged.durationMs),
        )} / ${range(
          runs.map(r => r.rubricChange.cpuMs / r.rubricChange.durationMs),
        )}`,
        `${count(runs, r => r.full.scm.downloads)} downloads, ${count(
          runs,
          r => r.full.scm.conditional,
        )} conditional, ${count(runs, r => r.full.scm.failed)} failed`,
        `${count(runs, r => r.unchanged.scm.downloads)} downloads, ${count(
          runs,
          r => r.unchanged.scm.conditional,
        )} conditional (${count(
          runs,
          r => r.unchanged.scm.notModified,
        )} not modified), ${count(runs, r => r.unchanged.scm.failed)} failed`,
        `${count(runs, r => r.rubricChange.scm.downloads)} downloads, ${count(
          runs,
          r => r.rubricChange.scm.conditional,
        )} conditional (${count(
          runs,
          r => r.rubricChange.scm.notModified,
        )} not modified), ${count(
          runs,
          r => r.rubricChange.scm.failed,
        )} failed`,
        sharedFiles(runs, 'full'),
        sharedFiles(runs, 'unchanged'),
        `${range(runs.map(r => r.cyclesPeakRssBytes / MiB))} / ${range(
          runs.map(r => r.peakRssBytes / MiB),
        )} (${range(runs.map(r => r.rssBeforeCyclesBytes / MiB))})`,
        range(runs.map(r => r.dbBytes / MB)),
      ]),
    ),
    '',
  );

  out.push(...cpuPerReadSection(groups));
  out.push(...scmSection(input, groups));
  out.push(...steadyStateSection(input, groups));
  out.push(...severalInstancesSection(groups));

  out.push('### Organisation and outcomes', '');
  out.push(
    table(
      [
        'tool',
        'engine',
        'services',
        'catalog entities (rejected)',
        'catalog ingestion s',
        'evaluated / unchanged / failed, full cycle',
        'evaluated / unchanged / failed, unchanged cycle',
        'evaluated / unchanged / failed, after a rubric change',
        'entities per level 0/1/2/3/4/5',
        'stale',
        'history rows',
        'largest in the DB, MB',
        'wall time s',
      ],
      groups.map(runs => {
        const r = runs[0];
        return [
          ...head(r),
          `${r.catalog.total} (${r.catalog.withErrors})`,
          range(runs.map(x => x.ingestionMs / 1000)),
          `${r.full.evaluated} / ${r.full.unchanged} / ${r.full.failed}`,
          `${r.unchanged.evaluated} / ${r.unchanged.unchanged} / ${r.unchanged.failed}`,
          `${r.rubricChange.evaluated} / ${r.rubricChange.unchanged} / ${r.rubricChange.failed}`,
          r.levels.join(' / '),
          String(r.stale),
          String(r.historyRows),
          r.dbTables
            .slice(0, 4)
            .map(t => `${t.name} ${fmt(t.bytes / MB)}`)
            .join(', '),
          range(runs.map(x => x.wallMs / 1000)),
        ];
      }),
    ),
    '',
  );

  out.push('### Latency under load', '');
  out.push(
    table(
      [
        'tool',
        'engine',
        'services',
        'endpoint',
        'connections',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'req/s',
        'errors',
        'backend peak RSS MiB after',
      ],
      groups.flatMap(loadRows),
    ),
    '',
  );

  out.push(...comparisonSection(input.results, input.techInsights ?? []));

  const large = groups.filter(runs => runs[0].services >= TARGETS.services);
  out.push(
    `### Targets (${TARGETS.services.toLocaleString('en-US')} services)`,
    '',
  );
  if (large.length === 0) {
    out.push(
      `The targets are for ${TARGETS.services.toLocaleString(
        'en-US',
      )} services; not checked at this size.`,
      '',
    );
  } else {
    out.push(
      table(
        ['tool', 'engine', 'services', 'measure', 'value', 'target', ''],
        large.flatMap(targetRows),
      ),
      '',
    );
  }

  out.push(
    'How it is measured:',
    '',
    '- A fresh backend per run (a child process: the real catalog, the maturity plugin, the UrlReader service with a reader for the generated repositories, SQLite files or fresh PostgreSQL databases), the organisation ingested by an entity provider before anything is timed.',
    `- Cycle times are the plugin's own (its "Maturity cycle: ..." log line), each cycle triggered through the scheduler's REST API; per entity = full cycle / entities walked. CPU cores busy = the backend's CPU time (all threads: event loop, extraction workers, libuv pool, garbage collector; /proc/<pid>/stat) from the trigger to the log line, over the cycle's own duration (the scheduler's pickup before it is idle), 2.0 = two cores busy. SCM counts are the bench reader's: downloads (archives streamed), conditional requests (an etag sent), not modified, failed (404/503)${
      input.scm
        ? '; with --scm github, what the fake GitHub saw: a readTree is one commit-status request, a download one archive from codeload, not modified a status not followed by a download (whether the reader sent an etag is not visible there: –)'
        : ''
    }. Shared CI files are the single files the plugin reads for the reusable workflows services call (the platform team's, one copy for the whole organisation), counted the same way.`,
    '- The cycle after a rubric change: after the load, the backend is restarted on the same database with `maturity.attestationMaxAgeDays: 366` added (the default is 365; the setting is in the rubric hash, and with no attestations in the organisation it changes no verdict nor anything of how repositories are read), and one cycle is triggered: every entity is evaluated again, each repository asked with its stored etag (nothing downloaded), its extraction from the cache.',
    `- Latency: autocannon from the driver process (not the backend's), ${
      input.durationS
    } s per endpoint and connection count (${input.connections.join(
      ', ',
    )}), after a warm-up; percentiles are exact, over the time of every 2xx response. The database holds ${
      input.historyDays
    } days of history during the load.`,
    "- Peak RSS: VmHWM of the backend process, reset after the catalog ingestion (so it covers the cycles and the load); in brackets the RSS of the idle backend just before the first cycle (catalog, scheduler and every plugin: the whole backend, not the plugin alone). V8 lets its heap grow to several times the live objects when memory is plentiful, so the peak depends on the heap limit, which Node derives from the machine's or container's memory unless --heap-limit sets it. DB size: the maturity plugin's database after the cycles, the simulated history (the latest day copied to the days before) and VACUUM.",
  );
  const warnings = [...input.results, ...(input.techInsights ?? [])].flatMap(
    r =>
      r.warnings.map(
        w => `${r.tool}/${r.engine}/${r.services} run ${r.run + 1}: ${w}`,
      ),
  );
  const notes = [...input.notes, ...new Set(warnings)];
  if (notes.length) {
    out.push('', 'Notes:', '', ...notes.map(n => `- ${n}`));
  }
  return `${out.join('\n')}\n`;
}
