/**
 * Extension points and interfaces for backend modules that extend the
 * Cloud Native Maturity backend.
 *
 * @packageDocumentation
 */
export * from './checks';
export * from './extensions';
export * from './repository';
