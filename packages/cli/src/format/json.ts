import {
  countStatuses,
  EntityMaturityResult,
} from '@cnmaturity/plugin-maturity-common';
import { ScanReport } from '../scan';

/**
 * What `--format json` prints: the backend's entity result, plus the scan.
 * @public
 */
export interface JsonReport extends EntityMaturityResult {
  scan: {
    root: string;
    source: 'git' | 'folder';
    filesListed: number;
    filesRead: number;
    catalogFile?: string;
    repositoryLevel: number;
    catalogDecided: string[];
    messages: string[];
    notes: Array<{ file: string; message: string }>;
  };
}

/**
 * The result as `GET /api/maturity/entities/...` serves it.
 * @public
 */
export function toJsonReport(report: ScanReport): JsonReport {
  const { record } = report;
  return {
    entityRef: record.entityRef,
    evaluatedAt: record.evaluatedAt.toISOString(),
    stale: false,
    level: record.level,
    ...record.details,
    counts: countStatuses(record.checks),
    checks: record.checks,
    scan: {
      root: report.checkout.root,
      source: report.checkout.source,
      filesListed: report.checkout.listed,
      filesRead: report.checkout.read,
      ...(report.catalogFile ? { catalogFile: report.catalogFile } : {}),
      repositoryLevel: report.repositoryLevel,
      catalogDecided: record.catalogDecided ?? [],
      messages: report.messages,
      notes: report.extraction.notes,
    },
  };
}

export function formatJson(report: ScanReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}
