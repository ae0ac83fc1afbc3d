import {
  MaturityCheckOutcome,
  MaturitySignals,
  RepoExtraction,
} from '@cnmaturity/plugin-maturity-node';
import { CheckEvidence } from '@cnmaturity/plugin-maturity-common';

/** The pure function that decides one check. */
export type Evaluator = (signals: MaturitySignals) => MaturityCheckOutcome;

/** Evaluators of one area, keyed by check id. */
export type EvaluatorMap = Record<string, Evaluator>;

/**
 * For checks that read the repository: the extraction, or the `unknown`
 * outcome to return when it could not be read. Never `fail` for that.
 */
export function withRepository(
  signals: MaturitySignals,
  decide: (extraction: RepoExtraction) => MaturityCheckOutcome,
): MaturityCheckOutcome {
  if (signals.repository.status !== 'ok') {
    return {
      status: 'unknown',
      message: `The repository could not be read: ${signals.repository.reason}.`,
      evidence: [],
    };
  }
  return decide(signals.repository.extraction);
}

/** Evidence for a file (and line) in the repository. */
export function fileEvidence(
  location: { file: string; line?: number },
  value?: string,
): CheckEvidence {
  return {
    type: 'file',
    label: location.file,
    ...(location.line ? { line: location.line } : {}),
    ...(value ? { value } : {}),
  };
}

/** Evidence for an annotation on the entity. */
export function annotationEvidence(key: string, value: string): CheckEvidence {
  return { type: 'annotation', label: key, value };
}

export const pass = (
  message: string,
  evidence: CheckEvidence[] = [],
): MaturityCheckOutcome => ({ status: 'pass', message, evidence });

export const fail = (
  message: string,
  evidence: CheckEvidence[] = [],
): MaturityCheckOutcome => ({ status: 'fail', message, evidence });
