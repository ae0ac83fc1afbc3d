import { MaturityArea, MaturityLevelNumber } from './levels';

/**
 * Filters of `GET /summary` and `GET /summary.csv`. List filters match any
 * of their values; entity refs are full and lower case.
 * @public
 */
export interface MaturitySummaryFilter {
  owner?: string[];
  system?: string[];
  domain?: string[];
  kind?: string[];
  type?: string[];
  lifecycle?: string[];
  level?: MaturityLevelNumber[];
  /** Only entities with a target above the level reached. */
  behindTarget?: boolean;
  /** Only entities behind a target whose date has passed. */
  overdue?: boolean;
  /** Only entities whose latest evaluation failed and show the last good result. */
  stale?: boolean;
  /** Case-insensitive text in the name, title or entity ref. */
  q?: string;
}

/** @public */
export const MATURITY_SUMMARY_ORDER_FIELDS = [
  'name',
  'level',
  'score',
  'gap',
  'owner',
  'system',
  'evaluatedAt',
] as const;

/** @public */
export type MaturitySummaryOrderField =
  (typeof MATURITY_SUMMARY_ORDER_FIELDS)[number];

/** @public */
export interface MaturitySummaryOrder {
  field: MaturitySummaryOrderField;
  direction: 'asc' | 'desc';
}

/** One entity in the summary table and the CSV export. @public */
export interface MaturitySummaryRow {
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
  areaLevels?: Record<MaturityArea, MaturityLevelNumber>;
  scorePercent: number;
  targetLevel?: number;
  targetDate?: string;
  /** Target level minus level reached; 0 without a target or when reached. */
  gap: number;
  behindTarget: boolean;
  overdue: boolean;
  passed: number;
  failed: number;
  unknown: number;
  evaluatedAt: string;
  stale: boolean;
}

/** How the entities of one owner group or system stand. @public */
export interface MaturityRollup {
  /** The owner or system entity ref; empty for entities without one. */
  ref: string;
  entities: number;
  averageLevel: number;
  medianLevel: number;
  /** Entities per level, index 0 to 5. */
  levels: number[];
  /** Entities with a target that reached it. */
  onTarget: number;
  behindTarget: number;
  overdue: number;
  /** Entities without a target. */
  withoutTarget: number;
  /** onTarget over the entities that have a target, 0-1; 1 when none has one. */
  onTargetShare: number;
}

/** The totals over every entity the filter matches. @public */
export interface MaturitySummaryTotals {
  entities: number;
  /** Entities per level, index 0 to 5. */
  levels: number[];
  /** Per area, entities per area level, index 0 to 5. */
  areas: Record<MaturityArea, number[]>;
  onTarget: number;
  behindTarget: number;
  overdue: number;
  withoutTarget: number;
  stale: number;
}

/** The response of `GET /summary`. @public */
export interface MaturitySummary {
  totals: MaturitySummaryTotals;
  owners: MaturityRollup[];
  systems: MaturityRollup[];
  rows: MaturitySummaryRow[];
  pageInfo: {
    /** Pass as `cursor` for the next page; absent on the last page. */
    nextCursor?: string;
  };
}

/** One day of an entity's history. @public */
export interface MaturityHistoryPoint {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  level: MaturityLevelNumber;
  areaLevels?: Record<MaturityArea, MaturityLevelNumber>;
  scorePercent: number;
}

/** An owner's attestation of a check no machine can see. @public */
export interface MaturityAttestation {
  entityRef: string;
  checkId: string;
  /** The user entity ref of who attested. */
  attestedBy: string;
  attestedAt: string;
  /** `YYYY-MM-DD`; the attestation holds through this day. */
  expiresOn: string;
  evidenceUrl: string;
  comment?: string;
}
