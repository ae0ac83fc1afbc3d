/**
 * Builders for tests of code that runs the maturity rules: entities,
 * signals, extractions and the example repositories.
 *
 * @packageDocumentation
 */
export * from './entities';
export * from './signals';
export * from './extractions';
export { loadRepo } from './loadRepo';
