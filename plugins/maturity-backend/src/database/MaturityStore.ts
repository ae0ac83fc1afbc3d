import {
  CheckResult,
  EntityMaturityResult,
  MaturityLevelNumber,
} from '@cnmaturity/plugin-maturity-common';

/** The parts of a result that are shown but never filtered on. */
export type ResultDetails = Pick<
  EntityMaturityResult,
  'areaLevels' | 'scorePercent' | 'target' | 'next' | 'messages'
>;

/** One evaluated entity, with the catalog fields the summary filters on. */
export interface EntityResultRecord {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
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
  details?: ResultDetails;
  /** Set when a signal fell back to its last good read: why it is stale. */
  staleReason?: string;
}

/** Where results live; the router and the engine only see this interface. */
export interface MaturityStore {
  /** Writes a batch of results in one transaction: all or nothing. */
  upsertResults(records: EntityResultRecord[]): Promise<void>;
  getResult(entityRef: string): Promise<EntityMaturityResult | undefined>;
}
