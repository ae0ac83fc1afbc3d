import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { MaturitySummary } from '@cnmaturity/plugin-maturity-common';
import { screen } from '@testing-library/react';
import { maturityApiRef } from '../api';
import { fakeMaturityApi } from '../__testUtils__/fixtures';
import { entityMaturityCard } from './entityCards';
import { entityMaturityContent } from './entityContent';
import { maturityPlugin } from './plugin';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default' },
  spec: {},
};

const summary: MaturitySummary = {
  totals: {
    entities: 1,
    levels: [0, 0, 1, 0, 0, 0],
    areas: {
      people: [0, 0, 1, 0, 0, 0],
      process: [0, 0, 1, 0, 0, 0],
      policy: [0, 0, 1, 0, 0, 0],
      technology: [0, 0, 1, 0, 0, 0],
      business: [0, 0, 1, 0, 0, 0],
    },
    onTarget: 0,
    behindTarget: 1,
    overdue: 0,
    withoutTarget: 0,
    stale: 0,
  },
  owners: [],
  systems: [],
  rows: [
    {
      entityRef: 'component:default/checkout-service',
      kind: 'component',
      namespace: 'default',
      name: 'checkout-service',
      title: 'Checkout Service',
      level: 2,
      scorePercent: 40,
      gap: 1,
      behindTarget: true,
      overdue: false,
      passed: 20,
      failed: 10,
      unknown: 1,
      evaluatedAt: '2026-11-25T10:00:00.000Z',
      stale: false,
    },
  ],
  pageInfo: {},
};

describe('maturity extensions for the new frontend system', () => {
  it('the plugin carries every extension', () => {
    expect(maturityPlugin.id).toBe('maturity');
  });

  it('renders the Maturity tab content on a Component page', async () => {
    renderTestApp({
      extensions: [createTestEntityPage({ entity }), entityMaturityContent],
      apis: [[maturityApiRef, fakeMaturityApi()]],
    });
    expect(await screen.findByText('Owned by a team')).toBeInTheDocument();
  });

  it('renders the overview card with a link to the tab', async () => {
    renderTestApp({
      extensions: [createTestEntityPage({ entity }), entityMaturityCard],
      apis: [[maturityApiRef, fakeMaturityApi()]],
    });
    expect(
      await screen.findByRole('link', { name: /view maturity/i }),
    ).toBeInTheDocument();
  });

  it('serves the scorecard at /maturity and the rubric as its second tab', async () => {
    renderTestApp({
      features: [maturityPlugin],
      apis: [
        [maturityApiRef, fakeMaturityApi({ getSummary: async () => summary })],
      ],
      initialRouteEntries: ['/maturity'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(
      (await screen.findAllByText('Checkout Service')).length,
    ).toBeGreaterThan(0);
    expect(screen.getByRole('tab', { name: 'Scorecard' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Rubric' })).toBeInTheDocument();
  });
});
