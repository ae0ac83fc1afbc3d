import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { maturityApiRef, MaturityClient } from './api';
import { legacyRootRouteRef } from './routes';

/**
 * The maturity plugin for apps on the legacy frontend system. New apps use
 * the default export of this package instead.
 * @public
 */
export const maturityPlugin = createPlugin({
  id: 'maturity',
  apis: [
    createApiFactory({
      api: maturityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new MaturityClient(deps),
    }),
  ],
  routes: { root: legacyRootRouteRef },
});

/**
 * @public
 * @deprecated Use `maturityPlugin`.
 */
export const legacyMaturityPlugin = maturityPlugin;

/**
 * The Maturity tab for the legacy entity page:
 * `<EntityLayout.Route path="/maturity" title="Maturity"><EntityMaturityContent /></EntityLayout.Route>`.
 * @public
 */
export const EntityMaturityContent = maturityPlugin.provide(
  createComponentExtension({
    name: 'EntityMaturityContent',
    component: {
      lazy: () =>
        import('./components/EntityMaturityContent').then(
          m => m.EntityMaturityContent,
        ),
    },
  }),
);

/**
 * The maturity card for the legacy entity overview page:
 * `<Grid item md={6}><EntityMaturityCard /></Grid>`.
 * @public
 */
export const EntityMaturityCard = maturityPlugin.provide(
  createComponentExtension({
    name: 'EntityMaturityCard',
    component: {
      lazy: () =>
        import('./components/EntityMaturityCard').then(
          m => m.EntityMaturityCard,
        ),
    },
  }),
);

/**
 * The org-wide scorecard and rubric page for the legacy app:
 * `<Route path="/maturity" element={<MaturityScorecardPage />} />`.
 * @public
 */
export const MaturityScorecardPage = maturityPlugin.provide(
  createRoutableExtension({
    name: 'MaturityScorecardPage',
    component: () =>
      import('./components/MaturityPage').then(m => m.MaturityPage),
    mountPoint: legacyRootRouteRef,
  }),
);
