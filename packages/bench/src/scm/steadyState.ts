/*
 * The pure parts of the `--scm github` steady state: which repositories
 * change in the simulated hour, which are pushed one at a time afterwards,
 * what Backstage's GitHub reader alone would spend in that hour, and the
 * summary of the push latencies.
 */
import type { GeneratedOrganisation, ServicePlan } from '../generator/generate';

/** Share of the repositories whose head moves in the simulated hour. */
export const CHURN_PER_HOUR = 0.01;

/** A repository a push can change, and the service whose entity reads it. */
export interface PushableRepository {
  /** `org/repo`, as FakeGitHubScm names it. */
  orgRepo: string;
  service: ServicePlan;
}

/**
 * The repositories a cycle reads successfully, in the generator's order:
 * those of services the catalog accepts (a service without an owner is
 * never evaluated) whose reads do not fail (404, 503).
 */
export function pushableRepositories(
  organisation: Pick<GeneratedOrganisation, 'services'>,
): PushableRepository[] {
  return organisation.services.flatMap(service => {
    const r = service.repository;
    if (!r || r.failure || service.broken === 'missing-owner') return [];
    return [{ orgRepo: `${r.org}/${r.repo}`, service }];
  });
}

/** How many of `total` change when `share` of them do: rounded, at least one. */
export function churnCount(total: number, share: number): number {
  if (total <= 0) return 0;
  return Math.min(total, Math.max(1, Math.round(total * share)));
}

/**
 * `count` items spread evenly over the list (deterministic: the middle of
 * each of `count` equal stretches), so that a sample does not cluster in
 * one organisation or archetype of the generator's order.
 */
export function spread<T>(items: readonly T[], count: number): T[] {
  const n = Math.min(items.length, Math.max(0, Math.floor(count)));
  return Array.from(
    { length: n },
    (_, i) => items[Math.floor(((i + 0.5) * items.length) / n)],
  );
}

/** Consecutive parts of nearly equal size, the first ones larger. */
export function splitEvenly<T>(items: readonly T[], parts: number): T[][] {
  const p = Math.max(1, Math.floor(parts));
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < p; i++) {
    const size = Math.floor(items.length / p) + (i < items.length % p ? 1 : 0);
    out.push(items.slice(start, start + size));
    start += size;
  }
  return out;
}

/**
 * The hour of churn and the pushes after it: `share` of the pushable
 * repositories change in the hour, split over its `cycles`; `pushes` other
 * repositories are pushed one at a time afterwards (fewer when there are
 * not that many left).
 */
export function planSteadyState(
  repositories: readonly PushableRepository[],
  options: { share: number; cycles: number; pushes: number },
): { churn: PushableRepository[][]; pushes: PushableRepository[] } {
  const changed = spread(
    repositories,
    churnCount(repositories.length, options.share),
  );
  const taken = new Set(changed.map(r => r.orgRepo));
  const rest = repositories.filter(r => !taken.has(r.orgRepo));
  return {
    churn: splitEvenly(changed, options.cycles),
    pushes: spread(rest, options.pushes),
  };
}

/**
 * Core requests Backstage's GitHub reader spends without head lookups:
 * each readTree asks for the commit status of the branch (one request per
 * repository and cycle, `readsPerCycle`) and downloads the tarball of each
 * changed repository (one request; the archive itself comes from codeload).
 */
export function readerRequests(options: {
  readsPerCycle: number;
  cycles: number;
  changed: number;
}): number {
  return options.readsPerCycle * options.cycles + options.changed;
}

/** Push-to-result latencies. */
export interface LatencySummary {
  pushes: number;
  /** Seen within the timeout. */
  seen: number;
  /** Milliseconds; Infinity when at least half were not seen. */
  medianMs: number;
  /** Milliseconds; Infinity when one was not seen. */
  maxMs: number;
}

/**
 * Median and max, counting a push not seen in time (null or undefined) as
 * slower than all.
 */
export function summariseLatencies(
  samples: ReadonlyArray<number | null | undefined>,
): LatencySummary {
  const sorted = samples
    .map(s => (typeof s !== 'number' || Number.isNaN(s) ? Infinity : s))
    .sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  let medianMs = NaN;
  if (n > 0) {
    medianMs = n % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
  return {
    pushes: n,
    seen: sorted.filter(Number.isFinite).length,
    medianMs,
    maxMs: n ? sorted[n - 1] : NaN,
  };
}
