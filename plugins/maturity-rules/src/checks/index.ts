import {
  BUILTIN_CHECKS,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import { MaturityCheck } from '../model';
import { EvaluatorMap } from './evaluators';
import { businessEvaluators } from './business';
import { peopleEvaluators } from './people';
import { policyEvaluators } from './policy';
import { processEvaluators } from './process';
import { technologyEvaluators } from './technology';

const evaluators: EvaluatorMap = {
  ...peopleEvaluators,
  ...processEvaluators,
  ...policyEvaluators,
  ...technologyEvaluators,
  ...businessEvaluators,
};

/** Joins each rubric entry with the function that decides it. */
export function composeChecks(
  definitions: readonly MaturityCheckDefinition[],
  byId: EvaluatorMap,
): MaturityCheck[] {
  return definitions.map(def => {
    const evaluate = byId[def.id];
    if (!evaluate) throw new Error(`No evaluator for check ${def.id}`);
    return { ...def, evaluate };
  });
}

/** The checks this backend ships with, before modules add their own. */
export const builtinChecks: MaturityCheck[] = composeChecks(
  BUILTIN_CHECKS,
  evaluators,
);
