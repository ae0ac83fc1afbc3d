/**
 * Cloud Native Maturity for Backstage: the Maturity tab on catalog entities.
 *
 * The default export is the plugin for the new frontend system; the named
 * `legacy…` exports serve apps on the legacy system.
 *
 * @packageDocumentation
 */
export { maturityPlugin as default } from './alpha/plugin';
export { legacyMaturityPlugin, EntityMaturityContent } from './plugin';
export { maturityApiRef, MaturityClient } from './api';
export type { MaturityApi } from './api';
