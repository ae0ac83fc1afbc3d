/**
 * `cnmaturity scan`: the Cloud Native Maturity checks of the Backstage
 * plugins, run on a local checkout. The `cnmaturity` command calls `main`;
 * `scan` is the same as a library.
 *
 * @packageDocumentation
 */
export { main, EXIT } from './main';
export type { Io } from './main';
export { scan } from './scan';
export type { ScanOptions, ScanReport } from './scan';
export { toJsonReport } from './format/json';
export type { JsonReport } from './format/json';
