import { createRouteRef } from '@backstage/core-plugin-api';
import { createRouteRef as createNewRouteRef } from '@backstage/frontend-plugin-api';

/** The legacy app's route to the maturity page. @public */
export const legacyRootRouteRef = createRouteRef({ id: 'maturity' });

/** The maturity page. @public */
export const rootRouteRef = createNewRouteRef();
/** The scorecard tab of the maturity page. @public */
export const scorecardRouteRef = createNewRouteRef();
/** The rubric tab of the maturity page. @public */
export const rubricRouteRef = createNewRouteRef();
