import type { ReaderCounters } from '../server/benchUrlReader';
import { FakeGitHubScm, ScmCounts } from '../scm/FakeGitHubScm';
import { readerCountersOf } from '../scm/readerCounters';
import { BackendProcess } from './backendProcess';
import { BackendClient } from './http';

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
  /** Repositories batched head lookups found unchanged (log line; 0 when it says none). */
  headMatches?: number;
  /** Reads the SCM request budget held back to a later cycle (log line). */
  held?: number;
  /**
   * CPU ms the plugin's extraction workers spent (log line): reading
   * archives (inflate, walk, select files), parsing them, evaluating
   * entities, deflating. Absent when the backend runs no workers.
   */
  workerCpuMs?: {
    read: number;
    parse: number;
    evaluate: number;
    deflate: number;
  };
  /** What the SCM was asked during the cycle. */
  scm: ReaderCounters;
  /** `--scm github`: the fake GitHub's requests during the cycle, by resource and endpoint. */
  github?: ScmCounts;
  /**
   * `--scm github`: time between consecutive rate-limited requests (core
   * or GraphQL) longer than a second, summed: reads waiting for the
   * plugin's request budget show here.
   */
  githubGapsMs?: number;
}

/** The plugin's line at the end of a cycle. */
export const CYCLE_LINE =
  /Maturity cycle: (\d+) evaluated, (\d+) unchanged, (\d+) failed in (\d+) ms; repositories: (\d+) downloaded, (\d+) unchanged, (\d+) failed/;
const CYCLE_FAILED = /Maturity cycle stopped after/;
const HEAD_MATCHES = /; (\d+) found unchanged by batched head lookups/;
const HELD =
  /; (\d+) reads \(\d+ entities\) held back by the SCM request budget/;
const WORKER_CPU =
  /; extraction workers' CPU: (\d+) ms reading, (\d+) ms parsing, (\d+) ms evaluating, (\d+) ms deflating/;

const diff = (a: ReaderCounters, b: ReaderCounters): ReaderCounters =>
  Object.fromEntries(
    Object.keys(b).map(k => [
      k,
      b[k as keyof ReaderCounters] - a[k as keyof ReaderCounters],
    ]),
  ) as unknown as ReaderCounters;

/** What the plugin's cycle line says: counts, duration, head lookups, held reads. */
export function cycleLineFigures(
  line: string,
):
  | Pick<
      CycleMetrics,
      | 'evaluated'
      | 'unchanged'
      | 'failed'
      | 'durationMs'
      | 'repositories'
      | 'headMatches'
      | 'held'
      | 'workerCpuMs'
    >
  | undefined {
  const m = line.match(CYCLE_LINE);
  if (!m) return undefined;
  return {
    evaluated: Number(m[1]),
    unchanged: Number(m[2]),
    failed: Number(m[3]),
    durationMs: Number(m[4]),
    repositories: {
      downloaded: Number(m[5]),
      notModified: Number(m[6]),
      failed: Number(m[7]),
    },
    headMatches: Number(line.match(HEAD_MATCHES)?.[1] ?? 0),
    held: Number(line.match(HELD)?.[1] ?? 0),
    ...workerCpuOf(line),
  };
}

function workerCpuOf(line: string): Pick<CycleMetrics, 'workerCpuMs'> {
  const m = line.match(WORKER_CPU);
  if (!m) return {};
  const [read, parse, evaluate, deflate] = m.slice(1).map(Number);
  return { workerCpuMs: { read, parse, evaluate, deflate } };
}

/** The plugin's line at the end of one shard's cycle (`maturity.shards` > 1). */
export const SHARD_CYCLE_LINE =
  /Maturity cycle \(shard (\d+) of (\d+)\): \d+ evaluated, \d+ unchanged, \d+ failed in \d+ ms; repositories: /;
/** The plugin's line when a shard's cycle failed. */
export const SHARD_CYCLE_FAILED =
  /Maturity cycle \(shard (\d+) of (\d+)\) stopped after/;

/** A shard's cycle line: which shard (1-based) of how many, and its figures. */
export function shardCycleLineFigures(line: string):
  | (NonNullable<ReturnType<typeof cycleLineFigures>> & {
      shard: number;
      shards: number;
    })
  | undefined {
  const m = line.match(SHARD_CYCLE_LINE);
  if (!m) return undefined;
  const figures = cycleLineFigures(
    line.replace(/Maturity cycle \(shard \d+ of \d+\):/, 'Maturity cycle:'),
  );
  return figures && { ...figures, shard: Number(m[1]), shards: Number(m[2]) };
}

/** Gaps over `minMs` between consecutive times, summed. */
export function gapsOver(times: readonly number[], minMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let sum = 0;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i] - sorted[i - 1];
    if (gap > minMs) sum += gap;
  }
  return sum;
}

/**
 * Triggers one cycle through the scheduler's REST API and waits for the
 * plugin's log line; counts what the SCM was asked meanwhile.
 */
export async function runCycle(
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
    ...cycleLineFigures(m.input ?? m[0])!,
    wallMs,
    cpuMs,
    scm: diff(before, after),
    ...(github
      ? {
          github: github.counts(mark),
          githubGapsMs: gapsOver(
            github.requests
              .slice(mark)
              .filter(r => r.resource === 'core' || r.resource === 'graphql')
              .map(r => r.time),
          ),
        }
      : {}),
  };
}
