import { Entity } from '@backstage/catalog-model';
import {
  CheckEvidence,
  CheckStatus,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import { RepoExtraction } from './repository';

/**
 * The repository as the checks see it. `unavailable` covers both "no source
 * location" and "the read failed"; checks that need the repository then say
 * `unknown`, never `fail`.
 * @public
 */
export type RepositorySignal =
  | {
      status: 'ok';
      url: string;
      extraction: RepoExtraction;
      /** The SCM's version of what was read (commit sha or etag), when it gives one. */
      etag?: string;
      /**
       * Set when the latest read failed and this is the last good
       * extraction: the result is kept and marked stale with the reason.
       */
      stale?: { reason: string; since: string };
    }
  | { status: 'unavailable'; reason: string; url?: string };

/**
 * Tool lists from config (`maturity.tools`), for checks that judge which
 * tools are used.
 * @public
 */
export interface MaturityToolPolicy {
  /** CI/CD and deploy tools the organisation has standardised on. */
  allowed: string[];
  /** Tools being retired. */
  denied: string[];
}

/**
 * A fact pushed from CI for the entity (a scan result, delivery metrics):
 * the latest one per source.
 * @public
 */
export interface MaturityFact {
  /** What kind of fact, e.g. `dora`, `container-scan`, `config-scan`. */
  source: string;
  /** When the fact was measured, ISO 8601. */
  timestamp: string;
  values: Record<string, unknown>;
}

/**
 * Everything a check may read about one entity. Collectors fill it; checks
 * only read it, so a check is a pure function that is easy to test.
 * @public
 */
export interface MaturitySignals {
  entity: Entity;
  /**
   * Entities the checks follow relations to (owner group, system, domain,
   * APIs, resources), keyed by full lower-case entity ref. A ref that is
   * absent could not be resolved in the catalog.
   */
  related: ReadonlyMap<string, Entity>;
  repository: RepositorySignal;
  /** Pushed facts, the latest per source. */
  facts: readonly MaturityFact[];
  tools: MaturityToolPolicy;
  /** Evaluation time, so checks with dates are deterministic in tests. */
  now: Date;
}

/** @public */
export interface MaturityCheckOutcome {
  status: CheckStatus;
  message: string;
  evidence: CheckEvidence[];
}

/**
 * A check: its rubric entry plus the pure function that decides it.
 * @public
 */
export interface MaturityCheck extends MaturityCheckDefinition {
  evaluate(signals: MaturitySignals): MaturityCheckOutcome;
}
