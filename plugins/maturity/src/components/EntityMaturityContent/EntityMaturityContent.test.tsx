import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { MaturityApi, maturityApiRef } from '../../api';
import { fakeMaturityApi, ownedResult } from '../../__testUtils__/fixtures';
import { EntityMaturityContent } from './EntityMaturityContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default' },
  spec: { owner: 'payments-team' },
};

function render(api: Partial<MaturityApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[maturityApiRef, fakeMaturityApi(api)]]}>
      <EntityProvider entity={entity}>
        <EntityMaturityContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityMaturityContent', () => {
  it('shows each check with its title, status, area, level, message and evidence', async () => {
    const getEntityResult = jest.fn(async () => ownedResult());
    await render({ getEntityResult });
    expect(getEntityResult).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'checkout-service',
    });
    expect(await screen.findByText('Maturity checks')).toBeInTheDocument();
    expect(screen.getByText('Owned by a team')).toBeInTheDocument();
    expect(screen.getByText('Pass')).toBeInTheDocument();
    expect(screen.getByText('People')).toBeInTheDocument();
    expect(screen.getByText('2 Operate')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Owned by group:default/payments-team, a group with 2 members.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/1 passed, 0 failed, 0 unknown/),
    ).toBeInTheDocument();
    // A passing check does not nag with a fix.
    expect(screen.queryByText(/To fix:/)).not.toBeInTheDocument();
  });

  it('tells the owner how to fix a failing check', async () => {
    await render({
      getEntityResult: async () =>
        ownedResult({
          counts: {
            pass: 0,
            fail: 1,
            unknown: 0,
            exempt: 0,
            'not-applicable': 0,
          },
          checks: [
            {
              checkId: 'people.team-owner',
              status: 'fail',
              message:
                'The owning group group:default/legacy-ops has no members.',
              evidence: [],
            },
          ],
        }),
    });
    expect(await screen.findByText('Fail')).toBeInTheDocument();
    expect(
      screen.getByText(/To fix: Set spec.owner to a Group entity/),
    ).toBeInTheDocument();
  });

  it('says "Unknown", not "Fail", when a signal could not be read', async () => {
    await render({
      getEntityResult: async () =>
        ownedResult({
          checks: [
            {
              checkId: 'people.team-owner',
              status: 'unknown',
              message: 'Catalog unavailable',
              evidence: [],
            },
          ],
        }),
    });
    expect(await screen.findByText('Unknown')).toBeInTheDocument();
    expect(screen.queryByText('Fail')).not.toBeInTheDocument();
  });

  it('says when the shown result is stale, with the reason', async () => {
    await render({
      getEntityResult: async () =>
        ownedResult({ stale: true, staleReason: 'GitHub answered 429' }),
    });
    expect(
      await screen.findByText(
        /the latest evaluation failed: GitHub answered 429/,
      ),
    ).toBeInTheDocument();
  });

  it('explains an entity that has not been evaluated yet', async () => {
    await render({ getEntityResult: async () => undefined });
    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
  });

  it('shows the backend error instead of a blank tab', async () => {
    await render({
      getEntityResult: async () => {
        throw new Error('maturity backend is down');
      },
    });
    expect(
      await screen.findByText('Error: maturity backend is down', {
        selector: 'h6',
      }),
    ).toBeInTheDocument();
  });
});

describe('EntityMaturityContent summary', () => {
  const withScore = ownedResult({
    level: 2,
    scorePercent: 71,
    areaLevels: {
      people: 2,
      process: 2,
      policy: 2,
      technology: 2,
      business: 2,
    },
    target: {
      level: 3,
      date: '2026-06-30',
      source: 'system:default/payments',
      gap: 1,
      overdue: true,
    },
    next: {
      level: 3,
      steps: [{ checkId: 'people.team-owner', level: 2, status: 'fail' }],
    },
    messages: [
      {
        annotation: 'cloud-native-maturity/target-date',
        value: '2027-02-30',
        message: 'is not a calendar date (YYYY-MM-DD)',
      },
    ],
  });

  it('shows the level, areas, target with gap and overdue, and the next steps with their fix', async () => {
    await render({ getEntityResult: async () => withScore });
    expect(await screen.findByText('Level 2 · Operate')).toBeInTheDocument();
    expect(
      screen.getByText(/Target: Level 3 Scale by 2026-06-30 \(1 level to go\)/),
    ).toBeInTheDocument();
    expect(screen.getByText('Overdue')).toBeInTheDocument();
    expect(
      screen.getByText(/set on system:default\/payments/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Score: 71% of weighted checks pass'),
    ).toBeInTheDocument();
    expect(screen.getByText('Business Outcomes: 2')).toBeInTheDocument();
    expect(screen.getByText('To reach Level 3 Scale')).toBeInTheDocument();
    expect(
      screen.getAllByText(/Set spec.owner to a Group entity/).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByText(
        'cloud-native-maturity/target-date: is not a calendar date (YYYY-MM-DD)',
      ),
    ).toBeInTheDocument();
  });

  it('tells the owner how to set a target when there is none', async () => {
    await render({ getEntityResult: async () => ownedResult({ level: 1 }) });
    expect(await screen.findByText(/No target set/)).toBeInTheDocument();
  });
});
