import {
  CheckResult,
  CheckStatus,
  computeLevel,
  MaturityCheckDefinition,
  MaturityLevelNumber,
} from '@cnmaturity/plugin-maturity-common';
import { Review } from './review';

export interface Disagreement {
  checkId: string;
  expected: CheckStatus;
  found: CheckStatus;
  /** What the reviewer cited, and what the scanner said. */
  reviewFile?: string;
  message: string;
}

export interface Agreement {
  repository: string;
  commit: string;
  reviewed: number;
  agreed: number;
  /** Levels over the reviewed checks only, by the product's own rule. */
  expectedLevel: MaturityLevelNumber;
  foundLevel: MaturityLevelNumber;
  disagreements: Disagreement[];
  /** Checks that say `fail` where the reviewer found the signal unreadable. */
  failedUnreadable: string[];
}

/**
 * Compares a review with the scanner's results. The levels are computed
 * over the reviewed checks only (catalog, attestation and fact checks are
 * not in a review), so they show what the repository's checks decide.
 */
export function compare(
  review: Review,
  definitions: readonly MaturityCheckDefinition[],
  results: readonly CheckResult[],
): Agreement {
  const found = new Map(results.map(r => [r.checkId, r]));
  const reviewedIds = Object.keys(review.checks);
  const disagreements: Disagreement[] = [];
  for (const id of reviewedIds) {
    const expected = review.checks[id].expected;
    const result = found.get(id);
    const status: CheckStatus = result?.status ?? 'unknown';
    if (status !== expected) {
      disagreements.push({
        checkId: id,
        expected,
        found: status,
        ...(review.checks[id].file
          ? { reviewFile: review.checks[id].file }
          : {}),
        message: result?.message ?? 'the scanner has no such check',
      });
    }
  }
  const reviewedDefs = definitions.filter(d => review.checks[d.id]);
  const expectedResults = reviewedIds.map(id => ({
    checkId: id,
    status: review.checks[id].expected,
    message: '',
    evidence: [],
  }));
  return {
    repository: review.repository,
    commit: review.commit,
    reviewed: reviewedIds.length,
    agreed: reviewedIds.length - disagreements.length,
    expectedLevel: computeLevel(reviewedDefs, expectedResults),
    foundLevel: computeLevel(reviewedDefs, results),
    disagreements,
    failedUnreadable: disagreements
      .filter(d => d.expected === 'unknown' && d.found === 'fail')
      .map(d => d.checkId),
  };
}

const pct = (a: number, b: number) =>
  b === 0 ? '-' : `${((a / b) * 100).toFixed(1)}%`;

/** The table of docs/fidelity.md, then each disagreement. */
export function formatAgreements(rows: readonly Agreement[]): string {
  const out = [
    '| repository | commit | level expected | level found | verdicts agreeing |',
    '|---|---|:-:|:-:|---|',
  ];
  for (const r of rows) {
    out.push(
      `| ${r.repository} | \`${r.commit.slice(0, 12)}\` | ${
        r.expectedLevel
      } | ${r.foundLevel}${r.foundLevel === r.expectedLevel ? '' : ' ✗'} | ${
        r.agreed
      }/${r.reviewed} (${pct(r.agreed, r.reviewed)}) |`,
    );
  }
  const reviewed = rows.reduce((n, r) => n + r.reviewed, 0);
  const agreed = rows.reduce((n, r) => n + r.agreed, 0);
  const levels = rows.filter(r => r.expectedLevel === r.foundLevel).length;
  const unreadable = rows.flatMap(r => r.failedUnreadable);
  out.push(
    `| **all ${rows.length}** | | | ${levels}/${
      rows.length
    } levels agree | **${agreed}/${reviewed} (${pct(agreed, reviewed)})** |`,
    '',
    `Checks saying \`fail\` where the signal could not be read: ${unreadable.length}`,
  );
  for (const r of rows.filter(x => x.disagreements.length)) {
    out.push('', `#### ${r.repository}`);
    for (const d of r.disagreements) {
      out.push(
        `- \`${d.checkId}\`: expected ${d.expected}${
          d.reviewFile ? ` (${d.reviewFile})` : ''
        }, found ${d.found}: ${d.message}`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}
