import { CheckResult } from '@cnmaturity/plugin-maturity-common';
import {
  MaturityCheck,
  MaturitySignals,
} from '@cnmaturity/plugin-maturity-node';

/**
 * Runs every check over one entity's signals. A check that throws is a bug in
 * that check, not a verdict on the service: it reads `unknown`, and the others
 * still run.
 */
export function evaluateChecks(
  checks: readonly MaturityCheck[],
  signals: MaturitySignals,
): CheckResult[] {
  return checks.map(check => {
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
  });
}
