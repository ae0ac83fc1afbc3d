import { InputError } from '@backstage/errors';
import {
  MATURITY_AREAS,
  MATURITY_SUMMARY_BOOLEAN_FILTERS,
  MATURITY_SUMMARY_LIST_FILTERS,
  MATURITY_SUMMARY_ORDER_FIELDS,
  MaturityArea,
  MaturityLevelNumber,
  MaturityRollup,
  MaturitySummary,
  MaturitySummaryFilter,
  MaturitySummaryOrder,
  MaturitySummaryOrderField,
  MaturitySummaryRow,
  MaturitySummaryTotals,
} from '@cnmaturity/plugin-maturity-common';

/** A parsed, validated `GET /summary` query. */
export interface SummaryQuery {
  filter: MaturitySummaryFilter;
  order: MaturitySummaryOrder;
  cursor?: { value: string | number; ref: string };
  limit: number;
}

export const DEFAULT_SUMMARY_LIMIT = 50;
export const MAX_SUMMARY_LIMIT = 500;
const MAX_VALUES = 100;
const MAX_VALUE_LENGTH = 255;

/** Stored lower case: the catalog compares refs and kinds case-insensitively. */
const LOWER_CASE_FILTERS = new Set(['owner', 'system', 'domain', 'kind']);

const invalid = (field: string, message: string) =>
  new InputError(`Invalid query parameter ${field}: ${message}`);

/** A repeated or comma-separated parameter as a list of strings. */
function list(query: Record<string, unknown>, field: string): string[] {
  const raw = query[field];
  if (raw === undefined) return [];
  const parts = Array.isArray(raw) ? raw : [raw];
  const values: string[] = [];
  for (const part of parts) {
    if (typeof part !== 'string') {
      throw invalid(field, 'must be a string or a list of strings');
    }
    values.push(
      ...part
        .split(',')
        .map(v => v.trim())
        .filter(Boolean),
    );
  }
  if (values.length > MAX_VALUES) {
    throw invalid(field, `at most ${MAX_VALUES} values`);
  }
  for (const v of values) {
    if (v.length > MAX_VALUE_LENGTH) {
      throw invalid(field, `values are at most ${MAX_VALUE_LENGTH} characters`);
    }
  }
  return values;
}

function single(
  query: Record<string, unknown>,
  field: string,
): string | undefined {
  const raw = query[field];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw invalid(field, 'must be given once');
  return raw;
}

function bool(
  query: Record<string, unknown>,
  field: string,
): boolean | undefined {
  const raw = single(query, field);
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalid(field, 'must be true or false');
}

function encodeCursor(value: string | number, ref: string): string {
  return Buffer.from(JSON.stringify([value, ref]), 'utf8').toString(
    'base64url',
  );
}

function decodeCursor(raw: string): SummaryQuery['cursor'] {
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      (typeof parsed[0] === 'string' || typeof parsed[0] === 'number') &&
      typeof parsed[1] === 'string'
    ) {
      return { value: parsed[0], ref: parsed[1] };
    }
  } catch {
    // reported below
  }
  throw invalid('cursor', 'is not a cursor this API returned');
}

/** Validates the summary query; a 400 names the parameter at fault. */
export function parseSummaryQuery(
  query: Record<string, unknown>,
): SummaryQuery {
  const filter: MaturitySummaryFilter = {};
  for (const field of MATURITY_SUMMARY_LIST_FILTERS) {
    const values = list(query, field);
    if (values.length) {
      filter[field] = LOWER_CASE_FILTERS.has(field)
        ? values.map(v => v.toLocaleLowerCase('en-US'))
        : values;
    }
  }
  const levels = list(query, 'level');
  if (levels.length) {
    filter.level = levels.map(v => {
      if (!/^[0-5]$/.test(v)) throw invalid('level', 'levels are 0 to 5');
      return Number(v) as MaturityLevelNumber;
    });
  }
  for (const field of MATURITY_SUMMARY_BOOLEAN_FILTERS) {
    const value = bool(query, field);
    if (value !== undefined) filter[field] = value;
  }
  const q = single(query, 'q')?.trim();
  if (q) {
    if (q.length > 200) throw invalid('q', 'at most 200 characters');
    filter.q = q;
  }

  let order: MaturitySummaryOrder = { field: 'name', direction: 'asc' };
  const rawOrder = single(query, 'order');
  if (rawOrder) {
    const [field, direction = 'asc'] = rawOrder.split(':');
    if (!(MATURITY_SUMMARY_ORDER_FIELDS as readonly string[]).includes(field)) {
      throw invalid(
        'order',
        `sort by one of ${MATURITY_SUMMARY_ORDER_FIELDS.join(
          ', ',
        )}, optionally with :asc or :desc`,
      );
    }
    if (direction !== 'asc' && direction !== 'desc') {
      throw invalid('order', 'the direction is asc or desc');
    }
    order = { field: field as MaturitySummaryOrderField, direction };
  }

  let limit = DEFAULT_SUMMARY_LIMIT;
  const rawLimit = single(query, 'limit');
  if (rawLimit !== undefined) {
    if (!/^\d{1,4}$/.test(rawLimit) || Number(rawLimit) < 1) {
      throw invalid('limit', `a whole number from 1 to ${MAX_SUMMARY_LIMIT}`);
    }
    limit = Math.min(Number(rawLimit), MAX_SUMMARY_LIMIT);
  }
  const rawCursor = single(query, 'cursor');
  return {
    filter,
    order,
    limit,
    ...(rawCursor ? { cursor: decodeCursor(rawCursor) } : {}),
  };
}

function sortValue(
  row: MaturitySummaryRow,
  field: MaturitySummaryOrderField,
): string | number {
  switch (field) {
    case 'level':
      return row.level;
    case 'score':
      return row.scorePercent;
    case 'gap':
      return row.gap;
    case 'owner':
      return row.owner ?? '';
    case 'system':
      return row.system ?? '';
    case 'evaluatedAt':
      return row.evaluatedAt;
    default:
      return row.name.toLocaleLowerCase('en-US');
  }
}

function compareKeys(
  a: [string | number, string],
  b: [string | number, string],
  direction: 'asc' | 'desc',
): number {
  if (a[0] !== b[0]) {
    const c = a[0] < b[0] ? -1 : 1;
    return direction === 'asc' ? c : -c;
  }
  // Ties in a stable order, so cursors never skip or repeat a row.
  if (a[1] === b[1]) return 0;
  return a[1] < b[1] ? -1 : 1;
}

/** Sorts rows in the query's order with the entity ref breaking ties. */
export function sortRows(
  rows: MaturitySummaryRow[],
  order: MaturitySummaryOrder,
): MaturitySummaryRow[] {
  const keyed = rows.map(
    (r): [[string | number, string], MaturitySummaryRow] => [
      [sortValue(r, order.field), r.entityRef],
      r,
    ],
  );
  keyed.sort((a, b) => compareKeys(a[0], b[0], order.direction));
  return keyed.map(k => k[1]);
}

const emptyLevels = () => [0, 0, 0, 0, 0, 0];

function median(sortedLevels: number[]): number {
  const n = sortedLevels.length;
  if (n === 0) return 0;
  const mid = Math.floor(n / 2);
  return n % 2
    ? sortedLevels[mid]
    : (sortedLevels[mid - 1] + sortedLevels[mid]) / 2;
}

function rollup(ref: string, rows: MaturitySummaryRow[]): MaturityRollup {
  const levels = emptyLevels();
  let sum = 0;
  let onTarget = 0;
  let behindTarget = 0;
  let overdue = 0;
  let withoutTarget = 0;
  for (const r of rows) {
    levels[r.level]++;
    sum += r.level;
    if (r.targetLevel === undefined) withoutTarget++;
    else if (r.behindTarget) behindTarget++;
    else onTarget++;
    if (r.overdue) overdue++;
  }
  const sorted = rows.map(r => r.level).sort((a, b) => a - b);
  const withTarget = rows.length - withoutTarget;
  return {
    ref,
    entities: rows.length,
    averageLevel: rows.length ? Math.round((sum / rows.length) * 100) / 100 : 0,
    medianLevel: median(sorted),
    levels,
    onTarget,
    behindTarget,
    overdue,
    withoutTarget,
    onTargetShare: withTarget
      ? Math.round((onTarget / withTarget) * 1000) / 1000
      : 1,
  };
}

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function rollups(
  rows: MaturitySummaryRow[],
  key: (r: MaturitySummaryRow) => string | undefined,
): MaturityRollup[] {
  const groups = new Map<string, MaturitySummaryRow[]>();
  for (const r of rows) {
    const k = key(r) ?? '';
    const group = groups.get(k);
    if (group) group.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([ref, group]) => rollup(ref, group));
}

function totalsOf(rows: MaturitySummaryRow[]): MaturitySummaryTotals {
  const all = rollup('', rows);
  const areas = Object.fromEntries(
    MATURITY_AREAS.map(a => [a.id, emptyLevels()]),
  ) as Record<MaturityArea, number[]>;
  let stale = 0;
  for (const r of rows) {
    if (r.stale) stale++;
    if (!r.areaLevels) continue;
    for (const a of MATURITY_AREAS) areas[a.id][r.areaLevels[a.id]]++;
  }
  return {
    entities: rows.length,
    levels: all.levels,
    areas,
    onTarget: all.onTarget,
    behindTarget: all.behindTarget,
    overdue: all.overdue,
    withoutTarget: all.withoutTarget,
    stale,
  };
}

/**
 * The summary over every matching row: totals, rollups per owner and per
 * system, and one page of rows in the requested order. Pure.
 */
export function buildSummary(
  matching: MaturitySummaryRow[],
  query: SummaryQuery,
): MaturitySummary {
  const sorted = sortRows(matching, query.order);
  let start = 0;
  if (query.cursor) {
    const after: [string | number, string] = [
      query.cursor.value,
      query.cursor.ref,
    ];
    start = sorted.findIndex(
      r =>
        compareKeys(
          [sortValue(r, query.order.field), r.entityRef],
          after,
          query.order.direction,
        ) > 0,
    );
    if (start < 0) start = sorted.length;
  }
  const rows = sorted.slice(start, start + query.limit);
  const last = rows[rows.length - 1];
  const more = start + rows.length < sorted.length;
  return {
    totals: totalsOf(matching),
    owners: rollups(matching, r => r.owner),
    systems: rollups(matching, r => r.system),
    rows,
    pageInfo:
      more && last
        ? {
            nextCursor: encodeCursor(
              sortValue(last, query.order.field),
              last.entityRef,
            ),
          }
        : {},
  };
}
