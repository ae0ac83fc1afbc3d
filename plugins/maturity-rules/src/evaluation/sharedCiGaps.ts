import { CheckResult } from '@cnmaturity/plugin-maturity-common';
import {
  CiTriggers,
  MaturitySignals,
  RepoExtraction,
  SharedCiUse,
} from '../model';

/**
 * The shared CI definitions the repository calls but that could not be
 * inspected (unreadable, a Jenkins library, too deep). What they run is not
 * known, so a CI check that fails might pass on them.
 */
export function sharedCiGaps(signals: MaturitySignals): SharedCiUse[] {
  const repository = signals.repository;
  if (repository.status !== 'ok') return [];
  return repository.extraction.ci.flatMap(pipeline =>
    (pipeline.shared ?? []).filter(
      use => use.status === 'unreadable' || use.status === 'not-inspected',
    ),
  );
}

/**
 * Checks a shared file can pass only when it runs at certain times, or never:
 * `couldPass` says whether a file run on `runsOn` (undefined: any time, with
 * triggers of its own) could turn the check's fail into a pass, and `runs`
 * says why not in the message. Checks not listed: any shared file could.
 */
const REACH: Record<
  string,
  {
    couldPass: (
      runsOn: CiTriggers | undefined,
      x: RepoExtraction,
      use: SharedCiUse,
    ) => boolean;
    runs?: string;
  }
> = {
  // A deploy counts only on merge to the default branch (or on tags), and
  // needs credentials.
  'people.auto-deploy': {
    couldPass: (r, _, u) =>
      !u.withoutCredentials && (!r || r.pushDefaultBranch || r.tags),
    runs: 'on merge to the default branch or on tags',
  },
  'process.deploy-from-scm': {
    couldPass: (r, _, u) =>
      !u.withoutCredentials && (!r || r.pushDefaultBranch || r.tags),
    runs: 'on merge to the default branch or on tags',
  },
  'people.continuous-delivery': {
    couldPass: (r, _, u) =>
      !u.withoutCredentials && (!r || r.pushDefaultBranch),
    runs: 'on merge to the default branch',
  },
  // With GitOps, a production environment named by any job is enough.
  'process.continuous-deployment': {
    couldPass: (r, x, u) =>
      !u.withoutCredentials &&
      (!r || r.pushDefaultBranch || x.gitops.length > 0),
    runs: 'on merge to the default branch',
  },
  // Without credentials nothing reaches production, gated or not.
  'process.production-approval-gate': {
    couldPass: (_, __, u) => !u.withoutCredentials,
  },
  // Signing and provenance need credentials; the repository's own unpinned
  // actions stay unpinned whatever a shared file does.
  'process.supply-chain': {
    couldPass: (_, x, u) =>
      x.ci.every(
        p => (p.actions?.total ?? 0) === (p.actions?.pinnedBySha ?? 0),
      ) &&
      (!u.withoutCredentials ||
        (['signing', 'provenance'] as const).every(kind =>
          x.ci.some(p => p.scanners.some(sc => sc.kind === kind)),
        )),
  },
  // Only the scanners of a scheduled pipeline count.
  'process.continuous-scanning': {
    couldPass: r => !r || r.schedule,
    runs: 'on a schedule',
  },
  // A called GitHub workflow or action runs on the caller's triggers.
  'people.fast-feedback': { couldPass: r => !r },
  // A shared file can only add tools and deploys, never remove the ones that fail these.
  'people.consolidated-tooling': { couldPass: () => false },
  'technology.full-gitops': { couldPass: () => false },
};

/** The gaps that could turn this check's fail into a pass. */
export function gapsFor(
  checkId: string,
  gaps: readonly SharedCiUse[],
  signals: MaturitySignals,
): SharedCiUse[] {
  const reach = REACH[checkId];
  const repository = signals.repository;
  // A triage bot's workflow builds nothing: it can change no check.
  const building = gaps.filter(g => !g.triageOnly);
  if (!reach || repository.status !== 'ok') return building;
  return building.filter(g =>
    reach.couldPass(g.runsOn, repository.extraction, g),
  );
}

/**
 * The signals with the repository's CI watched: `onRead` is called when a
 * check reads the pipelines. A Proxy, so the check sees the same object.
 */
export function watchCi(
  signals: MaturitySignals,
  onRead: () => void,
): MaturitySignals {
  const repository = signals.repository;
  if (repository.status !== 'ok') return signals;
  const extraction = new Proxy(repository.extraction, {
    get(target, property, receiver) {
      if (property === 'ci') onRead();
      return Reflect.get(target, property, receiver);
    },
  });
  return { ...signals, repository: { ...repository, extraction } };
}

/** "ref, called from file:line (and 2 more)" for the first gap. */
function calls(gaps: readonly SharedCiUse[]): string {
  const first = gaps[0];
  const more = gaps.length > 1 ? ` (and ${gaps.length - 1} more)` : '';
  return `${first.ref}, called from ${first.file}${
    first.line ? `:${first.line}` : ''
  }${more}`;
}

/** A failed CI check turned `unknown`: a shared definition might do it. */
export function unknownForGaps(
  result: CheckResult,
  gaps: readonly SharedCiUse[],
): CheckResult {
  return {
    ...result,
    status: 'unknown',
    message: `${result.message.replace(
      /\.?$/,
      '.',
    )} It may run in shared CI that was not inspected: ${calls(gaps)}: ${
      gaps[0].reason ?? 'not read'
    }.`,
    evidence: [
      ...result.evidence,
      ...gaps.slice(0, 3).map(g => ({
        type: 'file' as const,
        label: g.file,
        ...(g.line ? { line: g.line } : {}),
        value: `calls ${g.ref} (${g.status})`,
        ...(g.url ? { ref: g.url } : {}),
      })),
    ],
  };
}

/**
 * A fail kept although shared CI was not inspected, because none of it runs
 * when the check needs it: says so, so the owner sees it was considered.
 */
export function failDespiteGaps(
  checkId: string,
  result: CheckResult,
  gaps: readonly SharedCiUse[],
): CheckResult {
  const runs = REACH[checkId]?.runs;
  const first = gaps[0];
  let why: string | undefined;
  if (!first) {
    why = undefined;
  } else if (first.triageOnly) {
    why = 'it runs only on triage events, building nothing';
  } else if (first.withoutCredentials && REACH[checkId]) {
    why = 'it is given no secrets and no token that could deploy or sign';
  } else if (runs) {
    why = `it does not run ${runs}`;
  }
  if (!why) return result;
  return {
    ...result,
    message: `${result.message.replace(
      /\.?$/,
      '.',
    )} The shared CI that was not inspected cannot change this, as ${why}: ${calls(
      gaps,
    )}.`,
  };
}
