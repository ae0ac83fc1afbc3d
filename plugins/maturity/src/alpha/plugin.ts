import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { rootRouteRef } from '../routes';
import { maturityApi } from './apis';
import { entityMaturityCard } from './entityCards';
import { entityMaturityContent } from './entityContent';
import {
  maturityPage,
  maturityRubricSubPage,
  maturityScorecardSubPage,
} from './pages';

/**
 * The maturity plugin for the new frontend system: the API, the Maturity
 * tab and overview card on Components, and the Maturity page (scorecard and
 * rubric) with its sidebar item.
 * @public
 */
export const maturityPlugin = createFrontendPlugin({
  pluginId: 'maturity',
  title: 'Maturity',
  routes: { root: rootRouteRef },
  extensions: [
    maturityApi,
    entityMaturityContent,
    entityMaturityCard,
    maturityPage,
    maturityScorecardSubPage,
    maturityRubricSubPage,
  ],
});
