import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';

/** The maturity card on the overview page of Components. */
export const entityMaturityCard = EntityCardBlueprint.make({
  name: 'maturity',
  params: {
    type: 'info',
    filter: { kind: 'component' },
    loader: () =>
      import('../components/EntityMaturityCard').then(m => (
        <m.EntityMaturityCard />
      )),
  },
});
