import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { BUILTIN_CHECKS } from '@cnmaturity/plugin-maturity-common';
import { screen } from '@testing-library/react';
import { MaturityApi, maturityApiRef } from '../api';
import { entityMaturityContent } from './entityContent';

const api: MaturityApi = {
  getEntityResult: async () => ({
    entityRef: 'component:default/checkout-service',
    evaluatedAt: '2026-11-25T10:00:00.000Z',
    stale: false,
    level: 0,
    counts: { pass: 1, fail: 0, unknown: 0, exempt: 0, 'not-applicable': 0 },
    checks: [
      {
        checkId: 'people.team-owner',
        status: 'pass',
        message:
          'Owned by group:default/payments-team, a group with 2 members.',
        evidence: [],
      },
    ],
  }),
  getRubric: async () => ({ checks: [...BUILTIN_CHECKS] }),
};

describe('maturity entity content extension', () => {
  it('renders the Maturity tab content on a Component page', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({
          entity: {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'checkout-service', namespace: 'default' },
            spec: {},
          },
        }),
        entityMaturityContent,
      ],
      apis: [[maturityApiRef, api]],
    });
    expect(await screen.findByText('Owned by a team')).toBeInTheDocument();
  });
});
