/*
 * `yarn fidelity <folder of checkouts>`: runs the scanner on each reviewed
 * repository (fidelity/<owner>__<repo>.yaml, checked out as
 * <folder>/<owner>__<repo>) and prints how far it agrees with the review.
 * Run from the repository root; paths are relative to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { scan } from '../scan';
import { Agreement, compare, formatAgreements } from './compare';
import { parseReview, reviewedEntity } from './review';

function main(args: string[]): number {
  const [checkouts, reviewsDir = 'fidelity'] = args;
  if (!checkouts) {
    process.stderr.write(
      'Usage: yarn fidelity <folder of checkouts> [folder of reviews]\n',
    );
    return 2;
  }
  const rows: Agreement[] = [];
  const missing: string[] = [];
  for (const file of fs
    .readdirSync(reviewsDir)
    .filter(f => f.endsWith('.yaml'))
    .sort()) {
    const review = parseReview(
      fs.readFileSync(path.join(reviewsDir, file), 'utf8'),
      file,
    );
    const dir = path.join(checkouts, review.repository.replace('/', '__'));
    if (!fs.existsSync(dir)) {
      missing.push(`${review.repository} (${review.commit}) in ${dir}`);
      continue;
    }
    const report = scan({ dir, catalogEntity: reviewedEntity(review) });
    rows.push(compare(review, report.checks, report.record.checks));
  }
  process.stdout.write(formatAgreements(rows));
  if (missing.length) {
    process.stderr.write(
      `\nNo checkout for:\n${missing.map(m => `- ${m}\n`).join('')}`,
    );
  }
  return missing.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
