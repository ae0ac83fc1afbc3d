import { Config } from '@backstage/config';
import { MaturityCheckDefinition } from '@cnmaturity/plugin-maturity-common';
import {
  builtinChecks,
  MaturityCheck,
  MaturityToolPolicy,
  OrgControl,
  readCustomChecks,
} from '@cnmaturity/plugin-maturity-rules';
import {
  applyCheckOverrides,
  MaturityConfig,
  readMaturityConfig,
  resultSettings,
} from '../config';
import { rubricHash } from './inputsHash';

/**
 * What decides an entity's result besides its inputs. Built from config the
 * same way on the event loop and on an extraction worker, so a worker that
 * evaluates entities applies the very rubric the plugin runs.
 */
export interface EvaluationSetup {
  checks: MaturityCheck[];
  /** Fingerprint of the checks and settings, see rubricHash. */
  rubricHash: string;
  tools: MaturityToolPolicy;
  attestationMaxAgeDays: number;
  orgControls: readonly OrgControl[];
  orgControlReviewMaxAgeDays: number;
}

/**
 * Checks added by other modules, as a worker knows them: their definitions
 * only. Their functions cannot cross to a worker, so the event loop runs
 * them and sends the results along (EvaluationJob.precomputed).
 */
export function checksRunElsewhere(
  definitions: readonly MaturityCheckDefinition[],
): MaturityCheck[] {
  return definitions.map(definition => ({
    ...definition,
    evaluate: () => {
      throw new Error(`${definition.id} runs on the event loop`);
    },
  }));
}

/**
 * A check's definition without its function, as plain data a worker can be
 * sent (a module's check may carry more than the definition).
 */
export function definitionOf({
  evaluate: _,
  ...definition
}: MaturityCheck): MaturityCheckDefinition {
  return JSON.parse(JSON.stringify(definition));
}

export function evaluationSetup(
  config: Config,
  options: {
    /** Checks other modules added through the extension point. */
    addedChecks?: readonly MaturityCheck[];
    /** `readMaturityConfig(config)`, when the caller has it already. */
    maturityConfig?: MaturityConfig;
  } = {},
): EvaluationSetup {
  const settings = options.maturityConfig ?? readMaturityConfig(config);
  const checks = applyCheckOverrides(
    [
      ...builtinChecks,
      ...(options.addedChecks ?? []),
      ...readCustomChecks(config),
    ],
    settings.checks,
  );
  return {
    checks,
    // All of `maturity` that decides results, org controls included: a
    // change re-evaluates all; how the work is run does not.
    rubricHash: rubricHash(checks, resultSettings(config)),
    tools: settings.tools,
    attestationMaxAgeDays: settings.attestationMaxAgeDays,
    orgControls: settings.orgControls,
    orgControlReviewMaxAgeDays: settings.orgControlReviewMaxAgeDays,
  };
}
