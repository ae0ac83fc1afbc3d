import { Entity } from '@backstage/catalog-model';
import { CheckStatus } from '@cnmaturity/plugin-maturity-common';
import { parseYaml } from '@cnmaturity/plugin-maturity-rules';

/** A person's reading of one repository, written before the scanner ran on it. */
export interface Review {
  /** `owner/name`. */
  repository: string;
  commit: string;
  shape?: string;
  entity: { type: string; lifecycle?: string };
  checks: Record<
    string,
    { expected: CheckStatus; file?: string; why?: string }
  >;
}

const STATUSES: readonly CheckStatus[] = [
  'pass',
  'fail',
  'unknown',
  'exempt',
  'not-applicable',
];

/** Parses a review file; a malformed one throws, naming the field. */
export function parseReview(text: string, file: string): Review {
  const parsed = parseYaml(text);
  if (parsed.errors.length) throw new Error(`${file}: ${parsed.errors[0]}`);
  const r = parsed.docs[0]?.value as Partial<Review> | undefined;
  const fail = (field: string) => {
    throw new Error(`${file}: ${field} is missing or malformed`);
  };
  if (!r || typeof r.repository !== 'string' || !r.repository.includes('/'))
    fail('repository');
  if (!/^[0-9a-f]{40}$/.test(String(r!.commit))) fail('commit');
  if (typeof r!.entity?.type !== 'string') fail('entity.type');
  if (!r!.checks || typeof r!.checks !== 'object') fail('checks');
  for (const [id, c] of Object.entries(r!.checks!)) {
    if (!STATUSES.includes(c?.expected)) fail(`checks.${id}.expected`);
  }
  return r as Review;
}

/** The entity as the review states it: a Component with its type, nothing else. */
export function reviewedEntity(review: Review): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: review.repository.replace('/', '__').toLocaleLowerCase('en-US'),
      namespace: 'default',
    },
    spec: {
      type: review.entity.type,
      ...(review.entity.lifecycle
        ? { lifecycle: review.entity.lifecycle }
        : {}),
    },
  };
}
