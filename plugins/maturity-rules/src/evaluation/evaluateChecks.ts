import { CheckResult } from '@cnmaturity/plugin-maturity-common';
import { MaturityCheck, MaturitySignals } from '../model';
import {
  failDespiteGaps,
  gapsFor,
  sharedCiGaps,
  unknownForGaps,
  watchCi,
} from './sharedCiGaps';

/**
 * Runs every check over one entity's signals. A check that throws is a bug in
 * that check, not a verdict on the service: it reads `unknown`, and the others
 * still run. When the CI calls shared definitions that could not be
 * inspected, a check that read the CI and failed reads `unknown` with why,
 * unless none of them runs when the check needs it (see `gapsFor`).
 * `precomputed` results, by check id, were computed so elsewhere (the
 * checks of other modules, when the rest run on a worker) and are kept.
 */
export function evaluateChecks(
  checks: readonly MaturityCheck[],
  signals: MaturitySignals,
  precomputed?: ReadonlyMap<string, CheckResult>,
): CheckResult[] {
  const gaps = sharedCiGaps(signals);
  return checks.map(check => {
    const kept = precomputed?.get(check.id);
    if (kept) return kept;
    if (gaps.length === 0) return evaluateCheck(check, signals);
    let readCi = false;
    const result = evaluateCheck(
      check,
      watchCi(signals, () => {
        readCi = true;
      }),
    );
    if (result.status !== 'fail' || !readCi) return result;
    const open = gapsFor(check.id, gaps, signals);
    return open.length > 0
      ? unknownForGaps(result, open)
      : failDespiteGaps(check.id, result, gaps);
  });
}

function evaluateCheck(
  check: MaturityCheck,
  signals: MaturitySignals,
): CheckResult {
  try {
    const outcome = check.evaluate(signals);
    return { checkId: check.id, ...outcome };
  } catch (e) {
    return {
      checkId: check.id,
      status: 'unknown',
      message: `The check could not be evaluated: ${
        e instanceof Error ? e.message : String(e)
      }`,
      evidence: [],
    };
  }
}
