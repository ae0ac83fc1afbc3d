/*
 * The Markdown report: one row per tool, engine and size, medians over the
 * runs with (min-max). The `tool` column is there so that a second tool
 * (Tech Insights, side by side) adds its own rows from the same RunMetrics.
 */
import type { RunMetrics } from './driver/maturityTool';
import type { LoadResult } from './driver/load';
import type { GeneratedOrganisation } from './generator/generate';

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
  results: RunMetrics[];
  /** Lines about what was skipped or went wrong. */
  notes: string[];
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
  const s = stats(values);
  if (values.length < 2 || fmt(s.min) === fmt(s.max)) return fmt(s.median);
  return `${fmt(s.median)} (${fmt(s.min)}-${fmt(s.max)})`;
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
/** The median of a count over the runs (counts rarely differ). */
const count = (runs: RunMetrics[], f: (r: RunMetrics) => number) =>
  String(Math.round(stats(runs.map(f)).median));

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
  ]);
}

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
  rows.push(
    ['peak RSS', median(r => r.peakRssBytes / MiB), TARGETS.peakRssMiB, 'MiB'],
    ['database after 90 days', median(r => r.dbBytes / MB), TARGETS.dbMB, 'MB'],
  );
  return rows.map(([what, value, target, unit]) => [
    ...head(r0),
    what,
    `${fmt(value)} ${unit}`,
    `≤ ${target} ${unit}`,
    value <= target ? 'met' : '**missed**',
  ]);
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
        'SCM, full cycle',
        'SCM, unchanged cycle',
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
        `${range(runs.map(r => r.cyclesPeakRssBytes / MiB))} / ${range(
          runs.map(r => r.peakRssBytes / MiB),
        )} (${range(runs.map(r => r.rssBeforeCyclesBytes / MiB))})`,
        range(runs.map(r => r.dbBytes / MB)),
      ]),
    ),
    '',
  );

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
      ],
      groups.flatMap(loadRows),
    ),
    '',
  );

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
    "- Cycle times are the plugin's own (its \"Maturity cycle: ...\" log line), each cycle triggered through the scheduler's REST API; per entity = full cycle / entities walked. SCM counts are the bench reader's: downloads (archives streamed), conditional requests (an etag sent), not modified, failed (404/503).",
    `- Latency: autocannon from the driver process (not the backend's), ${
      input.durationS
    } s per endpoint and connection count (${input.connections.join(
      ', ',
    )}), after a warm-up; percentiles are exact, over the time of every 2xx response. The database holds ${
      input.historyDays
    } days of history during the load.`,
    "- Peak RSS: VmHWM of the backend process, reset after the catalog ingestion (so it covers the cycles and the load); in brackets the RSS of the idle backend just before the first cycle (catalog, scheduler, TypeScript transform: the whole backend, not the plugin alone). DB size: the maturity plugin's database after the cycles, the simulated history (the latest day copied to the days before) and VACUUM.",
  );
  const warnings = input.results.flatMap(r =>
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
