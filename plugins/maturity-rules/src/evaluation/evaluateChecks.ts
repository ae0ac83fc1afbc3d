import { CheckResult } from '@cnmaturity/plugin-maturity-common';
import { MaturityCheck, MaturitySignals } from '../model';
import { sharedCiGaps, unknownForGaps, watchCi } from './sharedCiGaps';

/**
 * Runs every check over one entity's signals. A check that throws is a bug in
 * that check, not a verdict on the service: it reads `unknown`, and the others
 * still run. When the CI calls shared definitions that could not be
 * inspected, a check that read the CI and failed reads `unknown` with why.
 */
export function evaluateChecks(
  checks: readonly MaturityCheck[],
  signals: MaturitySignals,
): CheckResult[] {
  const gaps = sharedCiGaps(signals);
  if (gaps.length === 0) return checks.map(c => evaluateCheck(c, signals));
  return checks.map(check => {
    let readCi = false;
    const result = evaluateCheck(
      check,
      watchCi(signals, () => {
        readCi = true;
      }),
    );
    return result.status === 'fail' && readCi
      ? unknownForGaps(result, gaps)
      : result;
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
