import { parseOptions, UsageError } from './driver/options';
import type { RunMetrics } from './driver/maturityTool';
import type { TechInsightsMetrics } from './driver/techInsightsTool';
import { range, renderReport, stats } from './report';

const cycle = (evaluated: number, unchanged: number, durationMs: number) => ({
  evaluated,
  unchanged,
  failed: 0,
  durationMs,
  wallMs: durationMs + 3000,
  cpuMs: (durationMs + 3000) * 1.5,
  repositories: { downloaded: evaluated, notModified: unchanged, failed: 0 },
  scm: {
    requests: evaluated + unchanged,
    conditional: unchanged,
    notModified: unchanged,
    downloads: evaluated,
    downloadedBytes: 0,
    failed: 0,
    // The shared workflow: downloaded in the full cycle, 304 afterwards.
    fileRequests: 1,
    fileConditional: unchanged > 0 ? 1 : 0,
    fileNotModified: unchanged > 0 ? 1 : 0,
    fileDownloads: evaluated > 0 ? 1 : 0,
    fileFailed: 0,
  },
});

const run = (tool: string, i: number, fullMs: number): RunMetrics => ({
  tool,
  engine: 'sqlite',
  services: 10000,
  run: i,
  startupMs: 1000,
  ingestionMs: 60_000,
  catalog: {
    total: 16000,
    pending: 0,
    stitching: 0,
    withErrors: 30,
    components: 9970,
  },
  factsPushed: 10,
  full: {
    ...cycle(9970, 0, fullMs),
    // The plugin's workers: 2.99 s reading, 9.97 s parsing, 0.997 s evaluating.
    workerCpuMs: { read: 2991, parse: 9970, evaluate: 997, deflate: 500 },
  },
  unchanged: cycle(0, 9970, 2000),
  // Every entity again, from cached extractions: nothing downloaded.
  rubricChange: {
    ...cycle(0, 9970, 5000),
    evaluated: 9970,
    unchanged: 0,
    repositories: { downloaded: 0, notModified: 9970, failed: 0 },
  },
  inflateFloor: {
    archives: 9970,
    measured: 9970,
    compressedBytes: 50e6,
    walk: {
      entries: 280_000,
      files: 280_000,
      contentBytes: 480e6,
      tarBytes: 700e6,
    },
    passes: 1,
    cpuMs: 1994,
    cpuOf: 'thread',
    processCpuMs: 2991,
    wallMs: 2000,
    cpuMsPerArchive: 0.2,
  },
  levels: [1, 2, 3, 4, 5, 6],
  stale: 0,
  summaryColdMs: 80,
  sharedPasses: { 'owner set': 200, 'owner is a group': 190, TechDocs: 90 },
  historyRows: 897_300,
  historyMs: 4000,
  load: [
    {
      endpoint: 'GET /summary (first page)',
      connections: 10,
      durationS: 10,
      requests: 1000,
      throughput: 100,
      p50: 40,
      p95: 90 + i * 20,
      p99: 120,
      max: 200,
      errors: 0,
    },
    {
      endpoint: 'GET /entities/:kind/:ns/:name (200 entities)',
      connections: 10,
      durationS: 10,
      requests: 1000,
      throughput: 100,
      p50: 5,
      p95: 12,
      p99: 20,
      max: 30,
      errors: 0,
    },
  ],
  peakRssBytes: 800 * 1024 * 1024,
  heapSizeLimitBytes: 4144 * 2 ** 20,
  cyclesPeakRssBytes: 700 * 1024 * 1024,
  ingestionPeakRssBytes: 900 * 1024 * 1024,
  rssBeforeCyclesBytes: 500 * 1024 * 1024,
  dbBytes: 40e6,
  dbTables: [{ name: 'maturity_history', bytes: 30e6 }],
  wallMs: 200_000,
  warnings: [],
});

const techInsights = (i: number): TechInsightsMetrics => ({
  tool: 'tech-insights',
  engine: 'sqlite',
  services: 10000,
  run: i,
  ingestionMs: 60_000,
  retrievers: [
    { id: 'entityOwnershipFactRetriever', facts: 16000, durationMs: 9000 },
    { id: 'techdocsFactRetriever', facts: 16000, durationMs: 10_000 },
  ],
  retrievalMs: 12_000,
  bulkRunsMs: [250_000, 240_000, 260_000],
  bulkEntities: 16000,
  bulkBytes: 30e6,
  entity: { samples: 200, p50: 20, p95: 40 },
  sharedPasses: { 'owner set': 200, 'owner is a group': 196, TechDocs: 120 },
  peakRssBytes: 600 * 1024 * 1024,
  dbBytes: 10e6,
  wallMs: 400_000,
  warnings: ['slow'],
});

const input = {
  machine: {
    cpus: 2,
    cpuModel: 'x',
    memoryGiB: 24,
    os: 'Linux',
    node: 'v22',
  },
  organisations: [],
  seed: 1,
  broken: 0.02,
  runs: 3,
  durationS: 10,
  connections: [10],
  historyDays: 90,
  notes: ['PostgreSQL skipped'],
};

describe('report', () => {
  it('takes medians with min and max', () => {
    expect(stats([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(stats([4, 1, 2, 3]).median).toBe(2.5);
    expect(range([20_000, 25_000, 30_000].map(x => x / 1000))).toBe(
      '25.0 (20.0-30.0)',
    );
    expect(range([5])).toBe('5.00');
  });

  it('renders one row per tool, engine and size, and checks the 10,000 targets', () => {
    const md = renderReport({
      ...input,
      results: [
        run('maturity', 0, 20_000),
        run('maturity', 1, 25_000),
        run('maturity', 2, 40_000),
        run('other', 0, 60_000),
      ],
    });
    expect(md).toContain('| maturity | sqlite | 10000 | 25.0 (20.0-40.0) |');
    expect(md).toContain('| other | sqlite | 10000 | 60.0 |');
    // The shared CI file: read once in the full cycle, 304 in the unchanged one.
    expect(md).toContain(
      '| 1 downloads, 0 conditional (0 not modified), 0 failed | 0 downloads, 1 conditional (1 not modified), 0 failed |',
    );
    expect(md).not.toContain('Side by side with Tech Insights');
    expect(md).toMatch(
      /maturity \| sqlite \| 10000 \| full cycle \| 25.0 s \| ≤ 30 s \| met/,
    );
    expect(md).toMatch(
      /maturity \| sqlite \| 10000 \| summary p95, worst of 3 variants, 10 connections \| 110 ms \| ≤ 100 ms \| \*\*missed\*\*/,
    );
    // The cycle after a rubric change, next to the full and unchanged ones.
    expect(md).toContain(
      '| maturity | sqlite | 10000 | 25.0 (20.0-40.0) | 2.51 (2.01-4.01) | 2.00 | 5.00 |',
    );
    expect(md).toContain(
      '| 0 downloads, 9970 conditional (9970 not modified), 0 failed | 0 downloads, 9970 conditional (9970 not modified), 0 failed |',
    );
    expect(md).toContain('| 9970 / 0 / 0 | 0 / 9970 / 0 | 9970 / 0 / 0 |');
    // CPU per read: (25 + 3) s × 1.5 over 9970 reads, against 0.2 ms.
    expect(md).toContain('### CPU per repository read');
    expect(md).toContain(
      'the very archives the full cycle downloaded, all of them',
    );
    expect(md).toContain(
      '| maturity | sqlite | 10000 | 9970 | 4.21 (3.46-6.47) | 0.200 | 21.1 (17.3-32.3)× | **missed** | 0.300 | 1.50× | 1.00 | 0.100 | 0.300 | 9970 of 9970, 1 (50.0 / 700) |',
    );
    expect(md).toContain(
      'maturity/sqlite/10000: CPU per repository read: full cycle 4.21 ms, inflate-and-walk floor 0.200 ms, ratio 21.1× (target ≤ 2×); the read itself on the workers 0.300 ms (1.50× the floor), parsing 1.00 ms, evaluating 0.100 ms',
    );
    expect(md).toMatch(
      /maturity \| sqlite \| 10000 \| CPU per repository read, full cycle over the inflate-and-walk floor \| 21.1 × \| ≤ 2 × \| \*\*missed\*\*/,
    );
    expect(md).toContain('- PostgreSQL skipped');
    expect(md).toContain(
      "no memory limit, V8 heap limit 4144 MiB (Node's, from the machine's memory)",
    );
  });

  it('says which heap limit the backend ran with', () => {
    const md = renderReport({
      ...input,
      heapLimitMiB: 512,
      results: [
        { ...run('maturity', 0, 20_000), heapSizeLimitBytes: 560 * 2 ** 20 },
      ],
    });
    expect(md).toContain('V8 heap limit 560 MiB (--heap-limit 512)');
    const contained = renderReport({
      ...input,
      memoryLimitMiB: 1024,
      results: [
        { ...run('maturity', 0, 20_000), heapSizeLimitBytes: 524 * 2 ** 20 },
      ],
    });
    expect(contained).toContain(
      "in a 1024 MiB memory cgroup (--memory-limit, as a container), V8 heap limit 524 MiB (Node's, from the cgroup)",
    );
  });

  it('reports two instances against one, with the CPU cgroup, and checks the target', () => {
    const sharded = (
      instances: number,
      wallMs: number,
      by: number[],
      cpuMs: number[],
    ) => ({
      instances,
      wallMs,
      shards: [1, 2].map(shard => ({
        shard,
        instance: by[shard - 1],
        evaluated: shard === 1 ? 4990 : 4980,
        unchanged: 0,
        failed: 0,
        durationMs: wallMs / 2,
        repositories: { downloaded: 4800, notModified: 0, failed: 0 },
        doneMs:
          instances === 1 ? (wallMs * shard) / 2 : wallMs - 1000 * (2 - shard),
      })),
      linesPerShard: [1, 1],
      settled: true,
      cpuMs,
      throttledMs: cpuMs.map(ms => ms / 10),
      startupMs: 20_000,
    });
    const withInstances = (i: number, twoMs: number): RunMetrics => ({
      ...run('maturity', i, 20_000),
      engine: 'pg',
      severalInstances: {
        shards: 2,
        cpuLimitCores: 1,
        cpuSetting:
          'cpu.cfs_period_us = "100000", cpu.cfs_quota_us = "100000" (cgroup v1\'s cpu controller; v2\'s cpu.max "100000 100000")',
        one: sharded(1, 60_000, [1, 1], [59_000]),
        two: sharded(2, twoMs, [2, 1], [30_000, 29_000]),
      },
    });
    const md = renderReport({
      ...input,
      results: [withInstances(0, 36_000), withInstances(1, 42_000)],
    });
    expect(md).toContain('### Several instances');
    expect(md).toContain(
      'Each backend runs in a CPU cgroup of its own limited to 1 core (cpu.cfs_period_us = "100000", cpu.cfs_quota_us = "100000" (cgroup v1\'s cpu controller; v2\'s cpu.max "100000 100000")), as each instance would have its own machine or container; PostgreSQL and the driver are not limited',
    );
    // One instance 60 s; two 36 and 42 s: 0.65× median, 0.60-0.70.
    expect(md).toContain(
      '| maturity | pg | 10000 | 60.0 | 39.0 (36.0-42.0) | 0.65 (0.60-0.70)× | met | 30.0, 60.0 / 38.0 (35.0-41.0), 39.0 (36.0-42.0) | shard 1: instance 2, shard 2: instance 1 | 4990 + 4980 (4990 + 4980) | 59.0 / 30.0 + 29.0 | 5.90 / 3.00 + 2.90 |',
    );
    expect(md).toContain(
      'maturity/pg/10000: full cycle of 2 shards: one instance 60.0 s, two instances 39.0 s, ratio 0.65× (target ≤ 0.65×)',
    );
    expect(md).toMatch(
      /maturity \| pg \| 10000 \| full cycle, two instances over one \(2 shards, 1 core each\) \| 0.65 × \| ≤ 0.65 × \| met/,
    );
    // Without --instances 2, no such section; --cpu-limit shows in the header.
    const plain = renderReport({
      ...input,
      cpuLimitCores: 1,
      results: [run('maturity', 0, 20_000)],
    });
    expect(plain).not.toContain('Several instances');
    expect(plain).toContain(
      "; in a CPU cgroup of 1 core (--cpu-limit, a CFS quota as a container's CPU limit).",
    );
  });

  it('says when the inflate floor was measured over a sample of the archives', () => {
    const r = run('maturity', 0, 20_000);
    const md = renderReport({
      ...input,
      results: [
        {
          ...r,
          inflateFloor: { ...r.inflateFloor, measured: 2000, cpuMs: 266 },
        },
      ],
    });
    expect(md).toContain('**over an even sample of them**');
    expect(md).toContain(
      '| 0.200 | 17.3× | **missed** | 0.300 | 1.50× | 1.00 | 0.100 | 1.50 | 2000 of 9970, 1 (50.0 / 700) |',
    );
  });

  it('puts Tech Insights side by side with ratios, only where both ran', () => {
    const md = renderReport({
      ...input,
      results: [run('maturity', 0, 20_000), run('maturity', 1, 30_000)],
      techInsights: [techInsights(0), techInsights(1)],
    });
    expect(md).toContain('### Side by side with Tech Insights');
    // 25 s full cycle against 10 s retrieval (the slower retriever's own
    // time) + 250 s first bulk run.
    expect(md).toMatch(
      /\| sqlite \| 10000 \| every entity has its result [^|]+\| 25.0 s \| 260 s \| \*\*10.4×\*\* \|/,
    );
    // 80 ms cold summary against a 250 s bulk run.
    // 5 s from cached extractions against the same 260 s.
    expect(md).toMatch(
      /\| sqlite \| 10000 \| after a rubric change, every entity has its new result \(ours: cycle from cached extractions; theirs: fact retrieval \+ first bulk check run\) \| 5.00 s \| 260 s \| \*\*52.0×\*\* \|/,
    );
    expect(md).toContain('ours at least 3× sooner');
    expect(md).toMatch(
      /org-wide view, first [^|]+\| 80.0 ms \| 250000 ms \| \*\*3125×\*\* \|/,
    );
    // Later bulk runs: median of 240 and 260 s against the p50 of 40 ms.
    expect(md).toMatch(
      /org-wide view, repeated [^|]+\| 40.0 ms \| 250000 ms \| \*\*6250×\*\* \|/,
    );
    expect(md).toMatch(
      /one entity's checks[^|]+\| 5.00 ms \| 20.0 ms \| \*\*4.00×\*\* \|/,
    );
    // Where theirs is smaller, the ratio says ours is bigger.
    expect(md).toMatch(
      /plugin database [^|]+\| 40.0 MB \| 10.0 MB \| 4.00× larger \|/,
    );
    expect(md).toMatch(
      /owner is a group[^|]+\| 190 \| 196 \| 200 \| ours resolves/,
    );
    expect(md).toContain('tech-insights/sqlite/10000 run 1: slow');
  });
});

describe('parseOptions', () => {
  it('has the defaults of the issue', () => {
    expect(parseOptions([])).toMatchObject({
      entities: [10000],
      runs: 3,
      engines: ['sqlite', 'pg'],
      engineExplicit: false,
      seed: 1,
      broken: 0.02,
      historyDays: 90,
      tools: ['maturity', 'tech-insights'],
    });
  });

  it('reads the flags', () => {
    expect(
      parseOptions([
        '--entities',
        '200,1000',
        '--runs=1',
        '--engine',
        'pg',
        '--out',
        'r.md',
        '--keep',
      ]),
    ).toMatchObject({
      entities: [200, 1000],
      runs: 1,
      engines: ['pg'],
      engineExplicit: true,
      out: 'r.md',
      keep: true,
    });
    expect(() => parseOptions(['--engine', 'mysql'])).toThrow(UsageError);
    expect(() => parseOptions(['--broken', '2'])).toThrow(UsageError);
    expect(() => parseOptions(['--what', '1'])).toThrow(/Unknown option/);
    expect(parseOptions(['--tools', 'maturity']).tools).toEqual(['maturity']);
    expect(() => parseOptions(['--tools', 'soundcheck'])).toThrow(
      /--tools must be a list of maturity, tech-insights/,
    );
  });

  it('adds the GitHub API requests per cycle and per hour with --scm github', () => {
    const counts = (core: number, codeload: number, tarball: number) => ({
      requests: core + codeload,
      resources: { core, graphql: 1, codeload, free: 0 },
      endpoints: {
        repository: 0,
        'commit-status': core - tarball,
        tarball,
        contents: 0,
        'rate-limit': 0,
        graphql: 1,
        codeload,
        unknown: 0,
      },
      statuses: {},
      conditional: 0,
      rateLimited: 0,
      codeloadBytes: 0,
    });
    const withGitHub = (i: number): RunMetrics => {
      const r = run('maturity', i, 20_000);
      return {
        ...r,
        full: { ...r.full, github: counts(19_940, 9970, 9970) },
        unchanged: { ...r.unchanged, github: counts(9970, 0, 0) },
      };
    };
    const md = renderReport({
      ...input,
      scm: { limit: 5000, cycleMinutes: 30 },
      results: [withGitHub(0), withGitHub(1)],
    });
    expect(md).toContain('### SCM requests (`--scm github`)');
    expect(md).toContain(
      '| maturity | sqlite | 10000 | full | 19940 | 1 | 9970 | 0 | commit-status 9970, tarball 9970, graphql 1 | 39880 / 2 | **798%, over** |',
    );
    expect(md).toContain(
      '| maturity | sqlite | 10000 | unchanged | 9970 | 1 | 0 | 0 | commit-status 9970, graphql 1 | 19940 / 2 | **399%, over** |',
    );
    // Without --scm github, no such section.
    expect(
      renderReport({ ...input, results: [run('maturity', 0, 20_000)] }),
    ).not.toContain('SCM requests');
  });

  it('reports the steady-state hour and the pushes with --scm github, and their targets', () => {
    const counts = (
      endpoints: Partial<Record<string, number>>,
      rateLimited = 0,
    ) => {
      const e = {
        repository: 0,
        'commit-status': 0,
        tarball: 0,
        contents: 0,
        'rate-limit': 0,
        graphql: 0,
        codeload: 0,
        unknown: 0,
        ...endpoints,
      };
      const core = e['commit-status'] + e.tarball + e.repository;
      return {
        requests: core + e.graphql + e.codeload + e.contents,
        resources: {
          core,
          graphql: e.graphql,
          codeload: e.codeload,
          free: e.contents,
        },
        endpoints: e,
        statuses: {},
        conditional: e.contents,
        rateLimited,
        codeloadBytes: 0,
      };
    };
    // 9,604 repositories read; 96 change in the hour, 48 before each cycle.
    const steadyCycle = (changed: number) => ({
      ...cycle(changed, 9970 - changed, 3000),
      headMatches: 9604 - changed,
      held: 0,
      github: counts({
        'commit-status': changed + 6,
        tarball: changed,
        codeload: changed,
        contents: 1,
        graphql: 97,
      }),
    });
    const withSteadyState = (i: number, latenciesMs: Array<number | null>) => {
      const r = run('maturity', i, 20_000);
      return {
        ...r,
        full: {
          ...r.full,
          github: counts({
            'commit-status': 9610,
            tarball: 9604,
            codeload: 9604,
            contents: 1,
          }),
        },
        unchanged: {
          ...r.unchanged,
          github: counts({ 'commit-status': 6, contents: 1, graphql: 97 }),
        },
        // A restarted backend: head lookups, nothing downloaded.
        rubricChange: {
          ...r.rubricChange,
          github: counts({ 'commit-status': 6, contents: 1, graphql: 97 }),
        },
        firstReadScmLimit: 1_000_000,
        steadyState: {
          limit: 5000,
          requestShare: 0.5,
          repositories: 9604,
          churnShare: 0.01,
          changedPerCycle: [48, 48],
          cycles: [steadyCycle(48), steadyCycle(48)],
          restartMs: 20_000,
        },
        pushes: {
          latenciesMs,
          timeoutMs: 60_000,
          refused: 0,
          cycles: 0,
          github: counts({
            'commit-status': 20,
            tarball: 20,
            codeload: 20,
            graphql: 20,
          }),
        },
      };
    };
    const fast = Array.from({ length: 20 }, (_, k) => 1000 + k * 20);
    const md = renderReport({
      ...input,
      scm: { limit: 5000, cycleMinutes: 30 },
      results: [
        withSteadyState(0, fast),
        withSteadyState(1, [...fast.slice(0, 19), null]),
      ],
    });
    expect(md).toContain(
      "The fake's limit during these cycles was raised to 1,000,000/h per resource",
    );
    expect(md).toContain(
      '| maturity | sqlite | 10000 | after a rubric change | 6 | 97 | 0 | 0 | commit-status 6, contents 1, graphql 97 | 12 / 194 | 3.88% |',
    );
    expect(md).toContain(
      '#### Steady state: an hour of 1% churn, then 20 pushes',
    );
    // core: 2 × (48 + 6 + 48) = 204; GraphQL: 2 × 97 = 194; today: 9,610 × 2 + 96.
    expect(md).toContain(
      '| maturity | sqlite | 10000 | 5000/h | 96 of 9604 (48 + 48) | 2 | 204 | 194 | 398 | 4.08% / 3.88% (share 50.0%) | 0 | commit-status 108, tarball 96, contents 2, graphql 194 | 19316 core (9610 × 2 cycles + 96) |',
    );
    // 40 pushes over two runs, one not seen in time: the max is unbounded.
    expect(md).toContain(
      '| maturity | sqlite | 10000 | 40 | 1.19 | > 60 | 39 of 40 | 80 / 40 (2.00 / 1.00 per push) | 0 |',
    );
    expect(md).toContain(
      '| maturity | sqlite | 10000 | SCM API requests per hour at 1% churn (core + GraphQL points, --scm-limit 5000) | 398 requests | ≤ 1000 requests | met |',
    );
    expect(md).toContain(
      '| maturity | sqlite | 10000 | busiest GitHub resource, share of the limit per hour at 1% churn | 4.08 % | ≤ 50 % | met |',
    );
    expect(md).toContain(
      '| maturity | sqlite | 10000 | push to new result, median of 20 pushes | 1.19 s | ≤ 60 s | met |',
    );
  });
});
