import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import { maturityApi } from './apis';
import { entityMaturityContent } from './entityContent';

/**
 * The maturity plugin for the new frontend system.
 * @public
 */
export const maturityPlugin = createFrontendPlugin({
  pluginId: 'maturity',
  extensions: [maturityApi, entityMaturityContent],
});
