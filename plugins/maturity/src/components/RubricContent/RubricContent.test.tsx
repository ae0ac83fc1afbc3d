import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  BUILTIN_CHECKS,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MaturityApi, maturityApiRef } from '../../api';
import { fakeMaturityApi } from '../../__testUtils__/fixtures';
import { RubricContent } from './RubricContent';

function render(api: Partial<MaturityApi> = {}) {
  return renderInTestApp(
    <TestApiProvider apis={[[maturityApiRef, fakeMaturityApi(api)]]}>
      <RubricContent />
    </TestApiProvider>,
  );
}

const rowOf = (title: string) => screen.getByText(title).closest('tr')!;

describe('RubricContent', () => {
  it('lists every check by level and area with kind, weight, rule, remediation and model link', async () => {
    await render();
    expect(
      await screen.findByText(`${BUILTIN_CHECKS.length} checks`),
    ).toBeInTheDocument();
    for (const title of [
      'Level 1 · Build',
      'Level 2 · Operate',
      'Level 3 · Scale',
      'Level 4 · Improve',
      'Level 5 · Adapt',
    ]) {
      expect(screen.getByText(title)).toBeInTheDocument();
    }

    const level2People = screen.getByRole('table', {
      name: 'Level 2 People checks',
    });
    const teamOwner = within(level2People)
      .getByText('Owned by a team')
      .closest('tr')!;
    expect(
      within(teamOwner).getByText('people.team-owner'),
    ).toBeInTheDocument();
    expect(within(teamOwner).getByText('required')).toBeInTheDocument();
    expect(within(teamOwner).getByText('Weight 3')).toBeInTheDocument();
    expect(
      within(teamOwner).getByText(/Set spec.owner to a Group entity/),
    ).toBeInTheDocument();
    expect(
      within(teamOwner).getByRole('link', {
        name: /Level 2 Operate, People: organizational change/,
      }),
    ).toHaveAttribute('href', 'https://maturitymodel.cncf.io/level-2/');

    // Applies to and attestable.
    const k8s = rowOf('Team knows Kubernetes fundamentals');
    expect(
      within(k8s).getByText('Applies to: service, website'),
    ).toBeInTheDocument();
    expect(
      within(k8s).getByText(
        'cloud-native-maturity/attest.people.k8s-fundamentals',
      ),
    ).toBeInTheDocument();
    expect(
      within(rowOf('Owned by a team')).getByText('Applies to every type'),
    ).toBeInTheDocument();

    // Supporting checks say so; rules show their code as code.
    const dora = rowOf('Delivery performance (DORA) is measured');
    expect(within(dora).getByText('supporting')).toBeInTheDocument();
    expect(
      within(rowOf('CI pipeline in the repository')).getByText(
        '.github/workflows/*.y*ml',
        { selector: 'code' },
      ),
    ).toBeInTheDocument();
  });

  it('narrows the list with the filter', async () => {
    await render();
    const filter = await screen.findByLabelText('Filter checks');
    await userEvent.type(filter, 'kubernetes fundamentals');
    expect(
      screen.getByText(`1 of ${BUILTIN_CHECKS.length} checks`),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Team knows Kubernetes fundamentals'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Owned by a team')).not.toBeInTheDocument();
    expect(screen.queryByText('Level 1 · Build')).not.toBeInTheDocument();

    await userEvent.clear(filter);
    await userEvent.type(filter, 'no such check');
    expect(
      screen.getByText('No check matches "no such check".'),
    ).toBeInTheDocument();
  });

  it('renders HTML in the rubric as text', async () => {
    const check: MaturityCheckDefinition = {
      id: 'process.custom',
      title: '<img src=x onerror=alert(1)>',
      area: 'process',
      level: 3,
      kind: 'required',
      weight: 1,
      remediation: '<script>alert(1)</script>',
      modelReference: `${'javascript'}:alert(1)`,
    };
    const { container } = await render({
      getRubric: async () => ({ checks: [check] }),
    });
    expect(
      await screen.findByText('<img src=x onerror=alert(1)>'),
    ).toBeInTheDocument();
    expect(screen.getByText('<script>alert(1)</script>')).toBeInTheDocument();
    expect(container.querySelector('img, script')).toBeNull();
    expect(
      screen.getByRole('link', { name: /javascript:alert\(1\)/ }),
    ).toHaveAttribute('href', 'https://maturitymodel.cncf.io/');
  });

  it('shows the error when the rubric cannot be loaded', async () => {
    await render({
      getRubric: async () => {
        throw new Error('rubric unavailable');
      },
    });
    expect(
      await screen.findByText('Error: rubric unavailable', { selector: 'h6' }),
    ).toBeInTheDocument();
  });
});
