import {
  CheckResult,
  EntityMaturityResult,
  MaturityLevelNumber,
} from '@cnmaturity/plugin-maturity-common';

/**
 * The parts of a result that are shown but never filtered on.
 * @public
 */
export type ResultDetails = Pick<
  EntityMaturityResult,
  'areaLevels' | 'scorePercent' | 'target' | 'next' | 'messages'
>;

/**
 * One evaluated entity, with the catalog fields the summary filters on.
 * @public
 */
export interface EntityResultRecord {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string;
  owner?: string;
  system?: string;
  domain?: string;
  type?: string;
  lifecycle?: string;
  level: MaturityLevelNumber;
  targetLevel?: number;
  targetDate?: string;
  evaluatedAt: Date;
  checks: CheckResult[];
  /**
   * Outside Backstage (the CLI): the checks that read `unknown` because the
   * catalog, not the repository, decides them.
   */
  catalogDecided?: string[];
  details?: ResultDetails;
  /** Set when a signal fell back to its last good read: why it is stale. */
  staleReason?: string;
  /** Hash of the inputs; the next cycle skips the entity while it holds. */
  inputsHash?: string;
}
