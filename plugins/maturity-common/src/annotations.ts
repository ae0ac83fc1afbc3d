/**
 * Catalog annotations through which owners set targets as code.
 * Parsers arrive with the full rubric; the names are fixed here.
 * @public
 */
export const MATURITY_ANNOTATION_PREFIX = 'cloud-native-maturity/';

/** @public */
export const ANNOTATION_TARGET_LEVEL = `${MATURITY_ANNOTATION_PREFIX}target-level`;

/** @public */
export const ANNOTATION_TARGET_DATE = `${MATURITY_ANNOTATION_PREFIX}target-date`;

/** @public */
export const ANNOTATION_EXEMPT_PREFIX = `${MATURITY_ANNOTATION_PREFIX}exempt.`;

/** @public */
export const ANNOTATION_ATTEST_PREFIX = `${MATURITY_ANNOTATION_PREFIX}attest.`;
