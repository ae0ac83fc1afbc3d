import { renderTestApp } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { screen } from '@testing-library/react';
import { maturityApiRef } from '../api';
import { fakeMaturityApi } from '../__testUtils__/fixtures';
import { entityMaturityContent } from './entityContent';

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
      apis: [[maturityApiRef, fakeMaturityApi()]],
    });
    expect(await screen.findByText('Owned by a team')).toBeInTheDocument();
  });
});
