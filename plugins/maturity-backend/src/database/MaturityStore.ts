import type { EntityResultRecord } from '@cnmaturity/plugin-maturity-rules';

export type {
  EntityResultRecord,
  ResultDetails,
} from '@cnmaturity/plugin-maturity-rules';
import {
  EntityMaturityResult,
  MaturityHistoryPoint,
  MaturitySummaryFilter,
  MaturitySummaryRow,
  MaturityTrendPoint,
} from '@cnmaturity/plugin-maturity-common';

/** The filters the database applies; the rest are applied by the caller. */
export type StoredSummaryFilter = Omit<
  MaturitySummaryFilter,
  'behindTarget' | 'overdue' | 'q'
>;

/** The repository an entity's result was read from. */
export interface ResultSource {
  /** `host/path` of the repository, lower case: see repositoryOf. */
  repository: string;
  /** The source location URL. */
  url: string;
}

/** A result as the engine stores it: with the repository it read, if any. */
export type StoredResultRecord = EntityResultRecord & { source?: ResultSource };

/** Where results live; the router and the engine only see this interface. */
export interface MaturityStore {
  /**
   * Writes a batch of results, their history rows for the day and the
   * repositories they read in one transaction: all or nothing.
   */
  upsertResults(records: StoredResultRecord[]): Promise<void>;
  /** The entities whose stored result read this repository, with their URLs. */
  entitiesOfRepository(
    repository: string,
  ): Promise<Array<{ entityRef: string; url: string }>>;
  getResult(entityRef: string): Promise<EntityMaturityResult | undefined>;
  /** The inputs hash of each stored result; null when it has none. */
  getInputHashes(entityRefs: string[]): Promise<Map<string, string | null>>;
  /**
   * Keeps the stored results but marks them stale with the reason, and
   * forgets their inputs hash so the next cycle tries again.
   */
  markStale(entityRefs: string[], reason: string): Promise<void>;
  /** Changes whenever stored results change, on any instance. */
  resultsVersion(): Promise<number>;
  /**
   * Every stored result without its checks, and the results version it
   * belongs to; `today` (YYYY-MM-DD) decides overdue.
   */
  summaryRows(
    today: string,
  ): Promise<{ version: number; rows: MaturitySummaryRow[] }>;
  /** Every stored result that matches, without checks; `today` is YYYY-MM-DD. */
  listSummaryRows(
    filter: StoredSummaryFilter,
    today: string,
  ): Promise<MaturitySummaryRow[]>;
  /** The entity's daily history from `sinceDay` on, oldest first. */
  getHistory(
    entityRef: string,
    sinceDay: string,
  ): Promise<MaturityHistoryPoint[]>;
  /**
   * Entities per level per day from `sinceDay` on, for the entities whose
   * latest result matches the filter; `visible` limits it to those refs.
   */
  getTrend(
    filter: StoredSummaryFilter,
    sinceDay: string,
    visible: 'all' | ReadonlySet<string>,
  ): Promise<MaturityTrendPoint[]>;
  /** Deletes history rows before the day; returns how many. */
  pruneHistory(beforeDay: string): Promise<number>;
}
