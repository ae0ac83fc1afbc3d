import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { maturityApiRef } from './api';
import { fakeMaturityApi } from './__testUtils__/fixtures';
import { MaturityPage } from './components/MaturityPage';
import {
  EntityMaturityCard,
  EntityMaturityContent,
  maturityPlugin,
  MaturityScorecardPage,
} from './plugin';

describe('legacy frontend system exports', () => {
  it('provide the plugin, the tab, the card and the page', () => {
    expect(maturityPlugin.getId()).toBe('maturity');
    for (const component of [
      EntityMaturityContent,
      EntityMaturityCard,
      MaturityScorecardPage,
    ]) {
      expect(component).toEqual(expect.any(Function));
    }
  });

  it('the page (MaturityScorecardPage) shows the scorecard and the rubric as tabs', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            maturityApiRef,
            fakeMaturityApi({
              getSummary: async () => {
                throw new Error('the maturity backend is down');
              },
            }),
          ],
        ]}
      >
        <MaturityPage />
      </TestApiProvider>,
      {
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByText('Cloud Native Maturity'),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Scorecard' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Rubric' })).toBeInTheDocument();
    // A backend error is shown with its message, never a blank page.
    expect(
      (await screen.findAllByText(/the maturity backend is down/))[0],
    ).toBeInTheDocument();
  });
});
