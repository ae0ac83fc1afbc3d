import {
  CheckStatus,
  levelName,
  MATURITY_AREAS,
} from '@cnmaturity/plugin-maturity-common';
import { ScanReport } from '../scan';
import { evidenceText } from './evidence';

const ICON: Record<CheckStatus, string> = {
  pass: '✅',
  fail: '❌',
  unknown: '❔',
  exempt: '➖',
  'not-applicable': '➖',
};

/** Markdown text in a table cell: no pipes, no line breaks. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** For a pull-request comment: the level, what to do next, every check folded away. */
export function formatMarkdown(report: ScanReport): string {
  const { record } = report;
  const details = record.details ?? {};
  const defs = new Map(report.checks.map(c => [c.id, c]));
  const results = new Map(record.checks.map(r => [r.checkId, r]));
  const out: string[] = [];
  out.push(
    `### Cloud Native Maturity: Level ${record.level} · ${levelName(
      record.level,
    )}`,
    '',
    `${code(record.entityRef)} scores ${details.scorePercent ?? 0}%.`,
  );
  const setAside = record.catalogDecided?.length ?? 0;
  if (setAside > 0) {
    out.push(
      `With the ${setAside} checks the catalog decides set aside, the repository shows **Level ${
        report.repositoryLevel
      } · ${levelName(report.repositoryLevel)}**.`,
    );
  }
  if (details.target) {
    const t = details.target;
    out.push(
      `Target: Level ${t.level}${t.date ? ` by ${t.date}` : ''}${
        t.gap > 0 ? `, ${t.gap} to go` : ', reached'
      }${t.overdue ? ' (overdue)' : ''}.`,
    );
  }
  out.push(
    '',
    `| ${MATURITY_AREAS.map(a => a.title).join(' | ')} |`,
    `|${MATURITY_AREAS.map(() => ' :-: ').join('|')}|`,
    `| ${MATURITY_AREAS.map(a => details.areaLevels?.[a.id] ?? 0).join(
      ' | ',
    )} |`,
  );
  if (details.next && details.next.steps.length > 0) {
    out.push(
      '',
      `**To reach Level ${details.next.level} · ${levelName(
        details.next.level,
      )}**`,
      '',
    );
    for (const step of details.next.steps) {
      const def = defs.get(step.checkId);
      const result = results.get(step.checkId);
      if (!def || !result) continue;
      const where = result.evidence[0]
        ? ` (${code(evidenceText(result.evidence[0]))})`
        : '';
      out.push(
        `- ${ICON[result.status]} **${def.title}** ${code(def.id)}: ${cell(
          result.message,
        )}${where}`,
      );
      if (result.status === 'fail')
        out.push(`  - Fix: ${cell(def.remediation)}`);
    }
  }
  out.push(
    '',
    `<details><summary>All ${record.checks.length} checks</summary>`,
    '',
    '| | Check | Level | Evidence |',
    '|---|---|:-:|---|',
  );
  for (const def of report.checks) {
    const result = results.get(def.id);
    if (!result) continue;
    const evidence = result.evidence
      .slice(0, 2)
      .map(e => code(evidenceText(e)))
      .join(', ');
    out.push(
      `| ${ICON[result.status]} | ${cell(def.title)} ${code(def.id)} | ${
        def.level
      } | ${cell(evidence || result.message)} |`,
    );
  }
  out.push('', '</details>');
  return `${out.join('\n')}\n`;
}
