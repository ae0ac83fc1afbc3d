import {
  CheckResult,
  CheckStatus,
  levelName,
  MATURITY_AREAS,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import { ScanReport } from '../scan';
import { evidenceText } from './evidence';

const MARK: Record<CheckStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  unknown: '??  ',
  exempt: 'EXMP',
  'not-applicable': 'n/a ',
};

const level = (n: number) => `Level ${n} · ${levelName(n)}`;

function checkLines(
  def: MaturityCheckDefinition,
  result: CheckResult,
  detail: { message: boolean; fix: boolean },
): string[] {
  const kind = def.kind === 'required' ? '' : ` (${def.kind})`;
  const lines = [`  ${MARK[result.status]}  ${def.id}: ${def.title}${kind}`];
  const indent = '          ';
  if (detail.message) lines.push(`${indent}${result.message}`);
  for (const e of result.evidence.slice(0, 3)) {
    lines.push(`${indent}- ${evidenceText(e)}`);
  }
  if (result.evidence.length > 3) {
    lines.push(`${indent}- and ${result.evidence.length - 3} more`);
  }
  if (detail.fix) lines.push(`${indent}Fix: ${def.remediation}`);
  return lines;
}

/** The default output: where the checkout stands, what to do next, each check with its evidence. */
export function formatText(report: ScanReport): string {
  const { record, checkout } = report;
  const defs = new Map(report.checks.map(c => [c.id, c]));
  const results = new Map(record.checks.map(r => [r.checkId, r]));
  const details = record.details ?? {};
  const out: string[] = [];

  out.push(
    `Cloud Native Maturity of ${record.entityRef} (${
      record.type ?? 'no type'
    })`,
  );
  out.push(
    `Scanned ${checkout.root}: ${checkout.listed} ${
      checkout.source === 'git' ? 'tracked files' : 'files'
    }, ${checkout.read} read; ${
      report.catalogFile
        ? `entity from ${report.catalogFile}`
        : 'no catalog-info.yaml, so the catalog checks are left to the catalog'
    }`,
  );
  report.messages.forEach(m => out.push(`  ! ${m}`));
  out.push('');
  out.push(
    `${level(record.level)}    score ${details.scorePercent ?? 0}%`,
    `Areas: ${MATURITY_AREAS.map(
      a => `${a.title} ${details.areaLevels?.[a.id] ?? 0}`,
    ).join(' · ')}`,
  );
  const setAside = record.catalogDecided?.length ?? 0;
  if (setAside > 0) {
    out.push(
      `Repository: ${level(
        report.repositoryLevel,
      )}, with the ${setAside} checks the catalog decides set aside`,
    );
  }
  if (details.target) {
    const t = details.target;
    out.push(
      `Target: Level ${t.level}${t.date ? ` by ${t.date}` : ''} (${
        t.gap > 0 ? `${t.gap} to go` : 'reached'
      }${t.overdue ? ', overdue' : ''})`,
    );
  }
  for (const m of details.messages ?? []) {
    out.push(`  ! ${m.annotation}: ${m.message}`);
  }

  if (details.next && details.next.steps.length > 0) {
    out.push('', `To reach ${level(details.next.level)}`);
    for (const step of details.next.steps) {
      const def = defs.get(step.checkId);
      const result = results.get(step.checkId);
      if (def && result) {
        out.push(...checkLines(def, result, { message: true, fix: true }));
      }
    }
  }

  out.push('', 'Checks');
  for (const n of [1, 2, 3, 4, 5]) {
    out.push(` ${level(n)}`);
    for (const def of report.checks.filter(c => c.level === n)) {
      const result = results.get(def.id);
      if (!result) continue;
      const open = result.status === 'fail' || result.status === 'unknown';
      out.push(...checkLines(def, result, { message: open, fix: false }));
    }
  }
  const notes = report.extraction.notes;
  if (notes.length > 0) {
    out.push('', `Notes (${notes.length})`);
    notes.slice(0, 20).forEach(n => out.push(`  ${n.file}: ${n.message}`));
    if (notes.length > 20) out.push(`  and ${notes.length - 20} more`);
  }
  return `${out.join('\n')}\n`;
}
