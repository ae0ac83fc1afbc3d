import {
  MATURITY_AREAS,
  MATURITY_LEVELS,
  MaturitySummaryRow,
} from '@cnmaturity/plugin-maturity-common';
import { Writable } from 'node:stream';
import { once } from 'node:events';

type Cell = string | number | boolean | undefined;

const COLUMNS: Array<[string, (r: MaturitySummaryRow) => Cell]> = [
  ['entity_ref', r => r.entityRef],
  ['kind', r => r.kind],
  ['namespace', r => r.namespace],
  ['name', r => r.name],
  ['title', r => r.title],
  ['owner', r => r.owner],
  ['system', r => r.system],
  ['domain', r => r.domain],
  ['type', r => r.type],
  ['lifecycle', r => r.lifecycle],
  ['level', r => r.level],
  ['stage', r => MATURITY_LEVELS[r.level]?.name],
  ...MATURITY_AREAS.map(
    a =>
      [`level_${a.id}`, (r: MaturitySummaryRow) => r.areaLevels?.[a.id]] as [
        string,
        (r: MaturitySummaryRow) => Cell,
      ],
  ),
  ['score_percent', r => r.scorePercent],
  ['target_level', r => r.targetLevel],
  ['target_date', r => r.targetDate],
  ['gap', r => r.gap],
  ['behind_target', r => r.behindTarget],
  ['overdue', r => r.overdue],
  ['checks_passed', r => r.passed],
  ['checks_failed', r => r.failed],
  ['checks_unknown', r => r.unknown],
  ['stale', r => r.stale],
  ['evaluated_at', r => r.evaluatedAt],
];

/**
 * One CSV cell (RFC 4180). Text that a spreadsheet would run as a formula
 * is prefixed with an apostrophe, so a crafted entity title cannot execute.
 */
export function csvCell(value: Cell): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvHeader = () => `${COLUMNS.map(c => c[0]).join(',')}\r\n`;

export const csvLine = (row: MaturitySummaryRow) =>
  `${COLUMNS.map(([, get]) => csvCell(get(row))).join(',')}\r\n`;

/** The whole CSV as one string, for a cached export. */
export function csvText(rows: Iterable<MaturitySummaryRow>): string {
  const parts = [csvHeader()];
  for (const row of rows) parts.push(csvLine(row));
  return parts.join('');
}

/** Streams the rows as CSV in chunks, waiting when the client is slow. */
export async function writeCsv(
  out: Writable,
  rows: Iterable<MaturitySummaryRow>,
): Promise<void> {
  let chunk = csvHeader();
  for (const row of rows) {
    chunk += csvLine(row);
    if (chunk.length > 64 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
}
