import { Entity } from '@backstage/catalog-model';
import {
  CheckEvidence,
  CheckStatus,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';

/**
 * Everything a check may read about one entity. Collectors fill it; checks
 * only read it, so a check is a pure function that is easy to test.
 * @public
 */
export interface MaturitySignals {
  entity: Entity;
  /**
   * Entities the checks follow relations to (owner group, system, APIs,
   * resources), keyed by full entity ref. A ref that is absent could not be
   * resolved in the catalog.
   */
  related: ReadonlyMap<string, Entity>;
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
