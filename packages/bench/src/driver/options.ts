/** The command line of `npm run bench`. */
export interface BenchOptions {
  /** Organisation sizes (services), run in this order. */
  entities: number[];
  runs: number;
  engines: Array<'sqlite' | 'pg'>;
  /** Whether PostgreSQL was asked for explicitly (then it must be reachable). */
  engineExplicit: boolean;
  seed: number;
  broken: number;
  out?: string;
  /** Seconds of load per endpoint. */
  duration: number;
  /** Concurrent connections of the load, one run per value. */
  connections: number[];
  historyDays: number;
  pgUrl: string;
  /** Keep the work directory (databases, repositories, backend logs). */
  keep: boolean;
  /** Minutes to wait for the catalog to ingest the organisation. */
  ingestTimeoutMinutes: number;
  /**
   * SQLite: start from a snapshot of the ingested catalog of an earlier run
   * with the same seed, size and broken share (taken when there is none).
   */
  reuseCatalog: boolean;
  /** Write CPU profiles of the backend's cycles and loads to the work directory. */
  profile: boolean;
  /** The tools measured, in this order. */
  tools: BenchToolName[];
  /** V8 heap limit of the backend in MiB; Node's own for the machine if unset. */
  heapLimitMiB?: number;
  /** Memory cgroup limit of the backend in MiB, as a container's. */
  memoryLimitMiB?: number;
  /** CPU cgroup limit of every backend in cores, as a container's. */
  cpuLimitCores?: number;
  /**
   * 2: after the maturity tool's other measurements, a full cycle with
   * `maturity.shards: 2` on one instance and on two on the same PostgreSQL
   * databases (each backend limited to `cpuLimitCores`, 1 by default).
   */
  instances: 1 | 2;
  /**
   * Where the maturity backend reads the repositories: the in-process bench
   * reader (no rate limit), or Backstage's GitHub reader against a fake
   * GitHub in the driver that counts and rate-limits API requests.
   */
  scm: 'local' | 'github';
  /** `--scm github`: requests per hour per resource (core, graphql). */
  scmLimit: number;
  /** Minutes between cycles the SCM requests per hour are extrapolated for. */
  cycleMinutes: number;
}

export const TOOL_NAMES = ['maturity', 'tech-insights'] as const;
export type BenchToolName = (typeof TOOL_NAMES)[number];

export const USAGE = `Usage: npm run bench -- [options]

  --entities N[,N...]   services in the synthetic organisation (default 10000)
  --runs N              runs per size and engine; medians are reported (default 3)
  --engine E            sqlite | pg | both | auto (default auto: SQLite, and
                        PostgreSQL too when it is reachable)
  --seed N              seed of the generator (default 1)
  --broken F            share of broken services, 0..1 (default 0.02)
  --out FILE            also write the Markdown report to FILE (and FILE.json)
  --duration S          seconds of load per endpoint (default 10)
  --connections N[,N]   concurrent connections of the load, one run each
                        (default 1,10: one client at a time, then ten at once)
  --history-days N      days of history simulated before sizing the DB (default 90)
  --pg URL              PostgreSQL server (default $BENCH_PG_URL or
                        postgresql://postgres@127.0.0.1:5432)
  --ingest-timeout M    minutes to wait for the catalog (default 60)
  --tools T[,T]         maturity, tech-insights (default both: Tech Insights runs
                        side by side on the same catalog)
  --keep                keep the work directory (logs, databases, repositories)
  --reuse-catalog       SQLite: restore the catalog of an earlier run of the same
                        seed, size and --broken instead of ingesting it again
                        (snapshots in $BENCH_CACHE_DIR or <tmp>/cnm-bench-snapshots;
                        for iterating on the plugin, not for reported figures)
  --heap-limit MiB      V8 heap limit of the backend (--max-old-space-size), as
                        one would set it for a container's memory limit (default:
                        none, Node sizes the heap from the machine's memory)
  --memory-limit MiB    run the backend in a memory cgroup of this size, as a
                        container: the kernel enforces it and Node sizes the
                        heap from it (Linux; root or a delegated cgroup)
  --cpu-limit CORES     run every backend in a CPU cgroup of this many cores (CFS
                        quota, as a container's CPU limit; may be fractional; Linux,
                        root or a delegated cgroup)
  --instances 2         PostgreSQL only (--engine pg): at the end of the maturity
                        run, a full cycle with maturity.shards: 2 on one instance,
                        then on two instances on the same databases, each backend
                        in a CPU cgroup of one core (or --cpu-limit)
  --scm S               local | github (default local): where the maturity backend
                        reads the repositories; github serves them from a fake
                        GitHub in the driver through Backstage's GitHub reader,
                        with GitHub's rate limits, and reports the API requests
  --scm-limit N         --scm github: requests per hour per resource, core (REST)
                        and graphql (default 5000, GitHub's for a token or app)
  --cycle-minutes M     minutes between cycles for the SCM requests per hour
                        (default 30, the plugin's default schedule)
  --profile             CPU-profile the backend during each cycle and load (implies
                        --keep; <work dir>/<run>/cycle-*.cpuprofile, load-*.cpuprofile)
`;

export class UsageError extends Error {}

function numberList(name: string, value: string, min: number): number[] {
  const list = value.split(',').map(v => Number(v.trim()));
  if (list.length === 0 || list.some(v => !Number.isFinite(v) || v < min)) {
    throw new UsageError(`--${name} must be numbers >= ${min}, got ${value}`);
  }
  return list.map(v => Math.floor(v));
}

export function parseOptions(argv: string[]): BenchOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--'))
      throw new UsageError(`Unexpected argument ${arg}`);
    const [key, inline] = arg.slice(2).split('=', 2);
    if (['keep', 'help', 'profile', 'reuse-catalog'].includes(key)) {
      flags.add(key);
    } else if (inline !== undefined) {
      values.set(key, inline);
    } else if (i + 1 < argv.length) {
      values.set(key, argv[++i]);
    } else {
      throw new UsageError(`--${key} needs a value`);
    }
  }
  if (flags.has('help')) throw new UsageError('');
  const known = new Set([
    'entities',
    'runs',
    'engine',
    'seed',
    'broken',
    'out',
    'duration',
    'connections',
    'history-days',
    'pg',
    'ingest-timeout',
    'tools',
    'heap-limit',
    'memory-limit',
    'cpu-limit',
    'instances',
    'scm',
    'scm-limit',
    'cycle-minutes',
  ]);
  for (const key of values.keys()) {
    if (!known.has(key)) throw new UsageError(`Unknown option --${key}`);
  }
  const one = (name: string, fallback: string, min: number) =>
    numberList(name, values.get(name) ?? fallback, min)[0];

  const engine = values.get('engine') ?? 'auto';
  if (!['sqlite', 'pg', 'both', 'auto'].includes(engine)) {
    throw new UsageError(`--engine must be sqlite, pg, both or auto`);
  }
  const broken = Number(values.get('broken') ?? '0.02');
  if (!(broken >= 0 && broken <= 1)) {
    throw new UsageError(`--broken must be between 0 and 1`);
  }
  const tools = (values.get('tools') ?? TOOL_NAMES.join(','))
    .split(',')
    .map(t => t.trim());
  const unknownTool = tools.find(
    t => !(TOOL_NAMES as readonly string[]).includes(t),
  );
  if (unknownTool !== undefined || tools.length === 0) {
    throw new UsageError(
      `--tools must be a list of ${TOOL_NAMES.join(', ')}, got ${values.get(
        'tools',
      )}`,
    );
  }
  const scm = values.get('scm') ?? 'local';
  if (scm !== 'local' && scm !== 'github') {
    throw new UsageError(`--scm must be local or github, got ${scm}`);
  }
  const engines: BenchOptions['engines'] =
    engine === 'sqlite' || engine === 'pg' ? [engine] : ['sqlite', 'pg'];
  let cpuLimitCores: number | undefined;
  if (values.has('cpu-limit')) {
    cpuLimitCores = Number(values.get('cpu-limit'));
    if (!(cpuLimitCores >= 0.01 && cpuLimitCores <= 1024)) {
      throw new UsageError(
        `--cpu-limit must be a number of cores >= 0.01, got ${values.get(
          'cpu-limit',
        )}`,
      );
    }
  }
  const instances = values.get('instances') ?? '1';
  if (instances !== '1' && instances !== '2') {
    throw new UsageError(`--instances must be 1 or 2, got ${instances}`);
  }
  if (instances === '2') {
    if (engine !== 'pg') {
      throw new UsageError(
        `--instances 2 needs --engine pg: several instances share a cycle through the scheduler's locks in one PostgreSQL database (SQLite files belong to one process); got --engine ${engine}`,
      );
    }
    if (!tools.includes('maturity')) {
      throw new UsageError(
        `--instances 2 measures the maturity backend: --tools must include maturity`,
      );
    }
  }
  return {
    entities: numberList('entities', values.get('entities') ?? '10000', 1),
    runs: one('runs', '3', 1),
    engines,
    engineExplicit: engine === 'pg' || engine === 'both',
    seed: one('seed', '1', 0),
    broken,
    out: values.get('out'),
    duration: one('duration', '10', 1),
    connections: numberList(
      'connections',
      values.get('connections') ?? '1,10',
      1,
    ),
    historyDays: one('history-days', '90', 1),
    pgUrl:
      values.get('pg') ??
      process.env.BENCH_PG_URL ??
      'postgresql://postgres@127.0.0.1:5432',
    keep: flags.has('keep') || flags.has('profile'),
    profile: flags.has('profile'),
    reuseCatalog: flags.has('reuse-catalog'),
    ingestTimeoutMinutes: one('ingest-timeout', '60', 1),
    tools: [...new Set(tools)] as BenchToolName[],
    heapLimitMiB: values.has('heap-limit')
      ? one('heap-limit', '', 64)
      : undefined,
    memoryLimitMiB: values.has('memory-limit')
      ? one('memory-limit', '', 128)
      : undefined,
    cpuLimitCores,
    instances: instances === '2' ? 2 : 1,
    scm,
    scmLimit: one('scm-limit', '5000', 1),
    cycleMinutes: one('cycle-minutes', '30', 1),
  };
}
