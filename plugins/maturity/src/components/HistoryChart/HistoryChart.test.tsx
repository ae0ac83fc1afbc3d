import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { historyPoints } from '../../__testUtils__/fixtures';
import { HistoryChart } from './HistoryChart';

describe('HistoryChart', () => {
  it('summarises the first and last level in its label', async () => {
    await renderInTestApp(<HistoryChart points={historyPoints()} days={30} />);
    expect(
      screen.getByRole('img', {
        name: 'Maturity level over the last 30 days: from Level 1 Build on 2026-09-01 to Level 2 Operate on 2026-11-25.',
      }),
    ).toBeInTheDocument();
  });

  it('sorts points by day, whatever order they come in', async () => {
    await renderInTestApp(<HistoryChart points={historyPoints().reverse()} />);
    expect(
      screen.getByRole('img', {
        name: /from Level 1 Build on 2026-09-01 to Level 2 Operate on 2026-11-25/,
      }),
    ).toBeInTheDocument();
  });

  it('adds the area levels on request', async () => {
    const { container } = await renderInTestApp(
      <HistoryChart points={historyPoints()} />,
    );
    expect(container.querySelectorAll('svg[role="img"] path')).toHaveLength(1);
    await userEvent.click(screen.getByLabelText('Show area levels'));
    expect(container.querySelectorAll('svg[role="img"] path')).toHaveLength(6);
    expect(screen.getByText(/Business Outcomes/)).toBeInTheDocument();
  });

  it('says there is no history instead of an empty chart', async () => {
    await renderInTestApp(<HistoryChart points={[]} />);
    expect(screen.getByText(/No history yet/)).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  it('says a single day is not a trend yet', async () => {
    await renderInTestApp(<HistoryChart points={historyPoints().slice(-1)} />);
    expect(
      screen.getByText(
        /Only one day of history so far \(Level 2 Operate on 2026-11-25\)/,
      ),
    ).toBeInTheDocument();
  });
});
