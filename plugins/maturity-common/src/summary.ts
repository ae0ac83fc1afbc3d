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

/** How many entities stood at each level on one day. @public */
export interface MaturityTrendPoint {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  entities: number;
  /** Entities per level, index 0 to 5. */
  levels: number[];
  averageLevel: number;
}

/** A summary request: the filter plus ordering and paging. @public */
export interface MaturitySummaryQuery extends MaturitySummaryFilter {
  /** `field` or `field:asc|desc`, field one of MATURITY_SUMMARY_ORDER_FIELDS. */
  order?: string;
  cursor?: string;
  limit?: number;
}

/** Filters on an entity field, matching any of their values. @public */
export const MATURITY_SUMMARY_LIST_FILTERS = [
  'owner',
  'system',
  'domain',
  'kind',
  'type',
  'lifecycle',
] as const;

/** Yes/no filters. @public */
export const MATURITY_SUMMARY_BOOLEAN_FILTERS = [
  'behindTarget',
  'overdue',
  'stale',
] as const;

/** Every filter of the summary, as opposed to ordering and paging. @public */
export const MATURITY_SUMMARY_FILTER_KEYS = [
  ...MATURITY_SUMMARY_LIST_FILTERS,
  'level',
  ...MATURITY_SUMMARY_BOOLEAN_FILTERS,
  'q',
] as const;

/**
 * Whether a summary row matches the filter: what `GET /summary`, the CSV
 * and the stored rows all apply, so they cannot disagree.
 * @public
 */
export function matchesSummaryFilter(
  row: MaturitySummaryRow,
  filter: MaturitySummaryFilter,
): boolean {
  for (const key of MATURITY_SUMMARY_LIST_FILTERS) {
    const values = filter[key];
    if (values?.length && !values.includes(row[key] ?? '')) return false;
  }
  if (filter.level?.length && !filter.level.includes(row.level)) return false;
  for (const key of MATURITY_SUMMARY_BOOLEAN_FILTERS) {
    if (filter[key] !== undefined && row[key] !== filter[key]) return false;
  }
  if (filter.q) {
    const q = filter.q.toLocaleLowerCase('en-US');
    const text = `${row.entityRef} ${row.name} ${
      row.title ?? ''
    }`.toLocaleLowerCase('en-US');
    if (!text.includes(q)) return false;
  }
  return true;
}

const LIST_KEYS = [...MATURITY_SUMMARY_LIST_FILTERS, 'level'] as const;
const BOOLEAN_KEYS = MATURITY_SUMMARY_BOOLEAN_FILTERS;

/**
 * The query as URL parameters, the way `GET /summary` reads them (lists
 * comma-separated). The UI keeps its filters in the page URL the same way,
 * so a filtered view can be shared.
 * @public
 */
export function summaryQueryToParams(
  query: MaturitySummaryQuery,
): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of LIST_KEYS) {
    const values = query[key];
    if (values?.length) params.set(key, values.join(','));
  }
  for (const key of BOOLEAN_KEYS) {
    if (query[key] !== undefined) params.set(key, String(query[key]));
  }
  if (query.q) params.set('q', query.q);
  if (query.order) params.set('order', query.order);
  if (query.cursor) params.set('cursor', query.cursor);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  return params;
}

/**
 * Reads a summary query from URL parameters; values that cannot be valid
 * are dropped rather than sent, so a hand-edited URL still shows a page.
 * @public
 */
export function summaryQueryFromParams(
  params: URLSearchParams,
): MaturitySummaryQuery {
  const query: MaturitySummaryQuery = {};
  const list = (key: string) =>
    (params.get(key) ?? '')
      .split(',')
      .map(v => v.trim())
      .filter(Boolean);
  for (const key of LIST_KEYS) {
    if (key === 'level') continue;
    const values = list(key);
    if (values.length) query[key] = values;
  }
  const levels = list('level')
    .filter(v => /^[0-5]$/.test(v))
    .map(v => Number(v) as MaturityLevelNumber);
  if (levels.length) query.level = levels;
  for (const key of BOOLEAN_KEYS) {
    const v = params.get(key);
    if (v === 'true' || v === 'false') query[key] = v === 'true';
  }
  const q = params.get('q')?.trim();
  if (q) query.q = q.slice(0, 200);
  const order = params.get('order');
  if (order) query.order = order;
  const cursor = params.get('cursor');
  if (cursor) query.cursor = cursor;
  const limit = Number(params.get('limit'));
  if (Number.isInteger(limit) && limit >= 1 && limit <= 500) {
    query.limit = limit;
  }
  return query;
}
