import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { MaturityApi, maturityApiRef } from '../../api';
import {
  fakeMaturityApi,
  levelTwoResult,
  maturityEntity,
} from '../../__testUtils__/fixtures';
import { EntityMaturityCard } from './EntityMaturityCard';

function render(api: Partial<MaturityApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[maturityApiRef, fakeMaturityApi(api)]]}>
      <EntityProvider entity={maturityEntity()}>
        <EntityMaturityCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityMaturityCard', () => {
  it('shows the level with its stage, the overdue target, the first three steps and a link to the tab', async () => {
    await render({ getEntityResult: async () => levelTwoResult() });
    expect(
      await screen.findByText('Cloud Native Maturity'),
    ).toBeInTheDocument();
    expect(screen.getByText('Level 2')).toBeInTheDocument();
    expect(screen.getByText('Operate')).toBeInTheDocument();
    expect(
      screen.getByText(/Target: Level 3 Scale by 2026-06-30 \(1 level to go\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('Overdue')).toBeInTheDocument();

    expect(screen.getByText('Next steps to Level 3 Scale')).toBeInTheDocument();
    expect(screen.getByText('Code quality is measured')).toBeInTheDocument();
    expect(screen.getByText('Alerts are defined')).toBeInTheDocument();
    expect(screen.getByText('Scanning runs continuously')).toBeInTheDocument();
    // The fourth step waits on the tab.
    expect(
      screen.queryByText('Policies as code block CI'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('and 1 more on the Maturity tab'),
    ).toBeInTheDocument();
    const step = screen.getByText('Code quality is measured').closest('div')!
      .parentElement!;
    expect(
      within(step).getByText(/Analyse the code with SonarQube/),
    ).toBeInTheDocument();

    expect(screen.getByRole('link', { name: /View maturity/ })).toHaveAttribute(
      'href',
      '/maturity',
    );
  });

  it('shortens a long remediation', async () => {
    await render({
      getEntityResult: async () =>
        levelTwoResult({
          next: {
            level: 3,
            steps: [
              {
                checkId: 'policy.policy-as-code-in-ci',
                level: 3,
                status: 'fail',
              },
            ],
          },
        }),
    });
    const text = (await screen.findByText(/Keep policies in the repository/))
      .textContent!;
    expect(text.endsWith('…')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(161);
  });

  it('shows progress while loading', async () => {
    await render({ getEntityResult: () => new Promise(() => {}) });
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('shows the error in the card', async () => {
    await render({
      getEntityResult: async () => {
        throw new Error('maturity backend is down');
      },
    });
    expect(
      await screen.findByText(
        'Could not load the maturity result: maturity backend is down',
      ),
    ).toBeInTheDocument();
  });

  it('says when the entity was not evaluated yet', async () => {
    await render({ getEntityResult: async () => undefined });
    expect(await screen.findByText('Not evaluated yet.')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View maturity/ }),
    ).toBeInTheDocument();
  });
});
