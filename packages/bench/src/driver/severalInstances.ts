import { JsonObject } from '@backstage/types';
import type { ServerInput } from '../server/server';
import { BackendProcess } from './backendProcess';
import {
  CycleMetrics,
  SHARD_CYCLE_FAILED,
  shardCycleLineFigures,
} from './cycle';
import { BackendClient } from './http';
import { startBackend, StartedBackend } from './startBackend';
import type { RunContext } from './tool';

/** The shards of the measured cycle: one per instance of the second measure. */
export const SHARDS = 2;

/** The shard task's id, as the plugin names it (engine/shards.ts; 1-based). */
export const shardTaskId = (shard: number, of: number) =>
  `maturity-evaluate-shard-${shard}-of-${of}`;

/** One shard's cycle, as its line in an instance's log told it. */
export interface ShardRun {
  /** 1-based. */
  shard: number;
  /** The instance (1-based) whose log has the shard's line: the one that ran it. */
  instance: number;
  evaluated: number;
  unchanged: number;
  failed: number;
  /** The shard's own duration, from its line. */
  durationMs: number;
  repositories: { downloaded: number; notModified: number; failed: number };
  /** From the trigger to the shard's line. */
  doneMs: number;
}

/** A full cycle of SHARDS shards on one or more instances. */
export interface ShardedCycle {
  instances: number;
  /** From the first trigger request until the last shard's line. */
  wallMs: number;
  /** The first line of each shard, by shard. */
  shards: ShardRun[];
  /**
   * Shard lines seen from the trigger until every shard task was idle
   * again, by shard: 1 each, unless a shard ran twice.
   */
  linesPerShard: number[];
  /** Whether every shard task was idle and not due again afterwards. */
  settled: boolean;
  /** CPU time of each instance (all its threads) from the trigger to the last line. */
  cpuMs: number[];
  /** Time each instance's cgroup was throttled meanwhile (cpu.stat). */
  throttledMs: number[];
  /** The backends' start until all were ready (catalog ingested), untimed. */
  startupMs: number;
}

/** `--instances 2`: one instance against two on the same databases. */
export interface SeveralInstancesMetrics {
  shards: number;
  /** Cores per backend (its CPU cgroup), both measures. */
  cpuLimitCores: number;
  /** What the CPU cgroup was set to. */
  cpuSetting: string;
  /** One instance: its shards run one after another. */
  one: ShardedCycle;
  /** Two instances on the same databases, the second started once the first migrated. */
  two: ShardedCycle;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Triggers every shard task through the scheduler's REST API of the first
 * instance and waits until each shard's line is logged, by whichever
 * instance claimed it (the manual trigger makes a task due; each instance's
 * scheduler polls every 5 s and claims what is due; an instance running a
 * shard gives a newly claimed one back for the next poll). Then waits until
 * every shard task is idle and not due again, counting shard lines
 * meanwhile, so a shard run twice shows.
 */
export async function runShardedCycle(
  backends: BackendProcess[],
  client: BackendClient,
  shards: number,
  timeoutMs: number,
): Promise<Omit<ShardedCycle, 'startupMs'>> {
  const runs: ShardRun[] = [];
  const linesPerShard = new Array<number>(shards).fill(0);
  let failure: Error | undefined;
  let wake = () => {};
  let started = NaN;
  const unsubscribe = backends.map((backend, i) =>
    backend.onLine(line => {
      const figures = shardCycleLineFigures(line);
      if (figures && figures.shards === shards) {
        const {
          shard,
          shards: _of,
          headMatches: _h,
          held: _held,
          ...rest
        } = figures;
        linesPerShard[shard - 1]++;
        if (!runs.some(r => r.shard === shard)) {
          runs.push({
            shard,
            instance: i + 1,
            ...rest,
            doneMs: performance.now() - started,
          });
        }
        wake();
      } else if (SHARD_CYCLE_FAILED.test(line)) {
        failure ??= new Error(`Instance ${i + 1}: ${line}`);
        wake();
      }
    }),
  );
  const onExit = backends.map(backend => () => {
    failure ??= new Error(backend.exitReason ?? 'a backend exited');
    wake();
  });
  backends.forEach((b, i) => b.child.once('exit', onExit[i]));
  try {
    const cpuBefore = backends.map(b => b.cpuMs() ?? NaN);
    const throttledBefore = backends.map(
      b => b.cpuCgroup?.throttling()?.throttledMs ?? NaN,
    );
    started = performance.now();
    for (let shard = 1; shard <= shards; shard++) {
      await client.post(
        `/api/maturity/.backstage/scheduler/v1/tasks/${shardTaskId(
          shard,
          shards,
        )}/trigger`,
      );
    }
    const deadline = started + timeoutMs;
    // Until the next line (or exit), or `ms`.
    const nap = (ms: number) =>
      new Promise<void>(resolve => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    while (runs.length < shards && !failure) {
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for the shard cycle lines; seen: ${
            runs
              .map(r => `shard ${r.shard} by instance ${r.instance}`)
              .join(', ') || 'none'
          }`,
        );
      }
      await nap(Math.min(left, 1000));
    }
    if (failure) throw failure;
    const cpuMs = backends.map((b, i) => (b.cpuMs() ?? NaN) - cpuBefore[i]);
    const throttledMs = backends.map(
      (b, i) =>
        (b.cpuCgroup?.throttling()?.throttledMs ?? NaN) - throttledBefore[i],
    );
    const wallMs = Math.max(...runs.map(r => r.doneMs));
    // A run releases its task just after its line; a shard given back or
    // run again shows as running or due here.
    const ids = new Set(
      Array.from({ length: shards }, (_, i) => shardTaskId(i + 1, shards)),
    );
    const settleBy = performance.now() + 15_000;
    let settled = false;
    while (!settled && performance.now() < settleBy && !failure) {
      await sleep(500);
      const { tasks } = await client.json<{
        tasks: Array<{
          taskId: string;
          taskState: { status: string; startsAt?: string } | null;
        }>;
      }>('/api/maturity/.backstage/scheduler/v1/tasks');
      settled = tasks
        .filter(t => ids.has(t.taskId))
        .every(t => t.taskState?.status === 'idle' && !t.taskState.startsAt);
    }
    if (failure) throw failure;
    return {
      instances: backends.length,
      wallMs,
      shards: [...runs].sort((a, b) => a.shard - b.shard),
      linesPerShard,
      settled,
      cpuMs,
      throttledMs,
    };
  } finally {
    unsubscribe.forEach(u => u());
    backends.forEach((b, i) => b.child.off('exit', onExit[i]));
  }
}

/** What the cycles of a measure say against the full cycle: warnings. */
export function shardedCycleWarnings(
  label: string,
  cycle: ShardedCycle,
  full: Pick<CycleMetrics, 'evaluated' | 'repositories'>,
): string[] {
  const warnings: string[] = [];
  const sum = (f: (r: ShardRun) => number) =>
    cycle.shards.reduce((n, r) => n + f(r), 0);
  const evaluated = sum(r => r.evaluated);
  if (evaluated !== full.evaluated) {
    warnings.push(
      `${label}: the shards evaluated ${evaluated} entities (${cycle.shards
        .map(r => r.evaluated)
        .join(' + ')}), the full cycle ${full.evaluated}`,
    );
  }
  const unchanged = sum(r => r.unchanged);
  if (unchanged > 0) {
    warnings.push(
      `${label}: ${unchanged} entities were unchanged although the plugin's database was emptied`,
    );
  }
  const downloaded = sum(r => r.repositories.downloaded);
  if (downloaded < full.repositories.downloaded) {
    warnings.push(
      `${label}: the shards downloaded ${downloaded} repositories, the full cycle ${full.repositories.downloaded}`,
    );
  }
  cycle.linesPerShard.forEach((n, i) => {
    if (n > 1) warnings.push(`${label}: shard ${i + 1} ran ${n} times`);
  });
  if (!cycle.settled) {
    warnings.push(
      `${label}: a shard task was still running or due 15 s after the last shard's line (run again?)`,
    );
  }
  if (
    cycle.instances > 1 &&
    new Set(cycle.shards.map(r => r.instance)).size < cycle.instances
  ) {
    warnings.push(
      `${label}: instance ${cycle.shards[0]?.instance} ran every shard, the other none`,
    );
  }
  return warnings;
}

/**
 * `--instances 2`: a full cycle with `maturity.shards: 2`, first on one
 * instance (its shards one after another), then on two instances on the
 * same databases (the second started as soon as the first has started its
 * plugins, so migrated the emptied database); each backend in a CPU cgroup of
 * `--cpu-limit` cores (1 by default), as each would have a machine or
 * container of its own. Before each, the maturity plugin's database is
 * emptied (dropped and created again; the catalog's is kept) and the facts
 * pushed again, so every entity is evaluated and every repository
 * downloaded. Runs last: nothing after it depends on the plugin's state.
 */
export async function measureSeveralInstances(args: {
  context: RunContext;
  config: { maturity: object } & JsonObject;
  scm: ServerInput['scm'];
  pushFacts: (client: BackendClient) => Promise<number>;
  full: CycleMetrics;
  timeoutMs: number;
}): Promise<{ metrics: SeveralInstancesMetrics; warnings: string[] }> {
  const { context, scm, full, timeoutMs } = args;
  const { database, log, options } = context;
  const cores = options.cpuLimitCores ?? 1;
  const config = {
    ...args.config,
    maturity: { ...args.config.maturity, shards: SHARDS },
  };
  const warnings: string[] = [];
  let cpuSetting = '';
  const measure = async (instances: number): Promise<ShardedCycle> => {
    const label = instances === 1 ? 'one instance' : `${instances} instances`;
    log(
      `several instances: ${label}, maturity.shards: ${SHARDS}, each backend in a CPU cgroup of ${cores} core(s); emptying the maturity database`,
    );
    await database.resetPluginDatabase('maturity');
    const startedAt = Date.now();
    const start = (i: number, onStarted?: () => void) =>
      startBackend(context, 'maturity', config, scm, {
        logName: `backend-shards-${instances}-instance${
          instances === 1 ? '' : `-${i + 1}`
        }.log`,
        cpuLimitCores: cores,
        onStarted,
      });
    // The others start once the first has migrated the emptied database:
    // started at the same moment, two would both create knex's migrations
    // table, and one would fail. Only the catalog wait overlaps then.
    let migrated = () => {};
    const firstMigrated = new Promise<void>(r => (migrated = r));
    const first = start(0, () => migrated());
    await Promise.race([firstMigrated, first.then(migrated, migrated)]);
    const settled = await Promise.allSettled([
      first,
      ...Array.from({ length: instances - 1 }, (_, i) => start(i + 1)),
    ]);
    const started = settled.flatMap(s =>
      s.status === 'fulfilled' ? [s.value as StartedBackend] : [],
    );
    try {
      const rejected = settled.find(s => s.status === 'rejected');
      if (rejected) throw (rejected as PromiseRejectedResult).reason;
      const startupMs = Date.now() - startedAt;
      cpuSetting ||= started[0].backend.cpuCgroup?.setting ?? '';
      warnings.push(...new Set(started.flatMap(s => s.warnings)));
      const facts = await args.pushFacts(started[0].client);
      log(
        `several instances: ${label} ready in ${(startupMs / 1000).toFixed(
          1,
        )} s, ${facts} facts pushed; triggering ${Array.from(
          { length: SHARDS },
          (_, i) => shardTaskId(i + 1, SHARDS),
        ).join(' and ')} on instance 1`,
      );
      const cycle = await runShardedCycle(
        started.map(s => s.backend),
        started[0].client,
        SHARDS,
        timeoutMs,
      );
      for (const r of cycle.shards) {
        log(
          `several instances: ${label}: shard ${
            r.shard
          } of ${SHARDS} by instance ${r.instance}: ${r.evaluated} evaluated, ${
            r.unchanged
          } unchanged, ${r.failed} failed in ${r.durationMs} ms, ${
            r.repositories.downloaded
          } downloaded; its line ${(r.doneMs / 1000).toFixed(
            1,
          )} s after the trigger`,
        );
      }
      log(
        `several instances: ${label}: ${(cycle.wallMs / 1000).toFixed(
          1,
        )} s from the trigger to the last shard's line; CPU per instance ${cycle.cpuMs
          .map(ms => `${Math.round(ms)} ms`)
          .join(', ')}; throttled ${cycle.throttledMs
          .map(ms => `${Math.round(ms)} ms`)
          .join(', ')}`,
      );
      warnings.push(
        ...shardedCycleWarnings(label, { ...cycle, startupMs }, full),
      );
      return { ...cycle, startupMs };
    } finally {
      await Promise.all(started.map(s => s.backend.stop()));
    }
  };
  const one = await measure(1);
  const two = await measure(2);
  log(
    `several instances: two instances took ${(two.wallMs / one.wallMs).toFixed(
      2,
    )}× the one-instance time`,
  );
  return {
    metrics: {
      shards: SHARDS,
      cpuLimitCores: cores,
      cpuSetting,
      one,
      two,
    },
    warnings,
  };
}
