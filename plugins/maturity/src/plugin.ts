import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { maturityApiRef, MaturityClient } from './api';
import { rootRouteRef } from './routes';

/**
 * The maturity plugin for apps on the legacy frontend system.
 * New apps use the default export of this package instead.
 * @public
 */
export const legacyMaturityPlugin = createPlugin({
  id: 'maturity',
  apis: [
    createApiFactory({
      api: maturityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new MaturityClient(deps),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The Maturity tab for the legacy entity page:
 * `<EntityLayout.Route path="/maturity" title="Maturity"><EntityMaturityContent /></EntityLayout.Route>`.
 * @public
 */
export const EntityMaturityContent = legacyMaturityPlugin.provide(
  createRoutableExtension({
    name: 'EntityMaturityContent',
    component: () =>
      import('./components/EntityMaturityContent').then(
        m => m.EntityMaturityContent,
      ),
    mountPoint: rootRouteRef,
  }),
);
