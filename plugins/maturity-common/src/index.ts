/**
 * Rubric, result types, annotation names and permissions shared by the
 * Cloud Native Maturity plugins. Isomorphic: no Node or browser APIs.
 *
 * @packageDocumentation
 */
export * from './levels';
export * from './checks';
export * from './rubric';
export * from './results';
export * from './annotations';
export * from './permissions';
export * from './scoring';
export * from './summary';
export * from './scm';
