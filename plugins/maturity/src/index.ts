/**
 * Cloud Native Maturity for Backstage: the Maturity tab and card on catalog
 * entities, and the org-wide scorecard and rubric page.
 *
 * The default export is the plugin for the new frontend system; the named
 * exports serve apps on the legacy system.
 *
 * @packageDocumentation
 */
export { maturityPlugin as default } from './alpha/plugin';
export {
  maturityPlugin,
  legacyMaturityPlugin,
  EntityMaturityContent,
  EntityMaturityCard,
  MaturityScorecardPage,
} from './plugin';
export { maturityApiRef, MaturityClient } from './api';
export type { MaturityApi, MaturityAttestationRequest } from './api';
export {
  legacyRootRouteRef,
  rootRouteRef,
  scorecardRouteRef,
  rubricRouteRef,
} from './routes';
