/**
 * The Cloud Native Maturity backend plugin.
 *
 * @packageDocumentation
 */
export { maturityPlugin as default } from './plugin';
