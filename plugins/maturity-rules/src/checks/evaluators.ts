import {
  FileLocation,
  MaturityCheckOutcome,
  MaturitySignals,
  RepoExtraction,
} from '../model';
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

/**
 * Evidence for a file (and line) in the repository; for a shared CI file, it
 * links where the file was read and names the repository file that calls it.
 */
export function fileEvidence(
  location: FileLocation,
  value?: string,
): CheckEvidence {
  const calledFrom = location.calledFrom;
  return {
    type: 'file',
    label: location.file,
    ...(location.line ? { line: location.line } : {}),
    ...(value ? { value } : {}),
    ...(location.url ? { ref: location.url } : {}),
    ...(calledFrom
      ? {
          via: {
            label: calledFrom.file,
            ...(calledFrom.line ? { line: calledFrom.line } : {}),
          },
        }
      : {}),
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

/** Not decidable from what was read; never shown as a failure. */
export const unknown = (
  message: string,
  evidence: CheckEvidence[] = [],
): MaturityCheckOutcome => ({ status: 'unknown', message, evidence });

/**
 * A pushed fact of this source measured within `maxAgeDays`, as a passing
 * outcome with its evidence; undefined when there is none. Lets a scan done
 * outside the repository's CI (a registry, a central pipeline) count.
 */
export function recentFactOutcome(
  signals: MaturitySignals,
  source: string,
  what: string,
  maxAgeDays = 30,
): MaturityCheckOutcome | undefined {
  const fact = signals.facts.find(f => f.source === source);
  if (!fact) return undefined;
  const age =
    (signals.now.getTime() - new Date(fact.timestamp).getTime()) / 86_400_000;
  if (!(age <= maxAgeDays)) return undefined;
  return pass(
    `${what} (pushed ${source} fact of ${fact.timestamp.slice(0, 10)}).`,
    [
      {
        type: 'fact',
        label: source,
        value: fact.timestamp,
        ref: fact.timestamp,
      },
    ],
  );
}
