import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  MaturityRollup,
  MaturitySummary,
  MaturitySummaryRow,
  MaturityTrendPoint,
} from '@cnmaturity/plugin-maturity-common';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { MaturityApi, maturityApiRef } from '../../api';
import { fakeMaturityApi } from '../../__testUtils__/fixtures';
import { ScorecardContent } from './ScorecardContent';

// Each test renders the whole scorecard (MUI tables, charts) in jsdom, which
// takes seconds on a busy 2-core CI running five jest projects at once.
jest.setTimeout(20_000);

function row(overrides: Partial<MaturitySummaryRow> = {}): MaturitySummaryRow {
  return {
    entityRef: 'component:default/checkout-service',
    kind: 'Component',
    namespace: 'default',
    name: 'checkout-service',
    title: 'Checkout Service',
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
    type: 'service',
    lifecycle: 'production',
    level: 2,
    areaLevels: {
      people: 2,
      process: 2,
      policy: 1,
      technology: 3,
      business: 2,
    },
    scorePercent: 71,
    targetLevel: 3,
    targetDate: '2026-06-30',
    gap: 1,
    behindTarget: true,
    overdue: true,
    passed: 10,
    failed: 4,
    unknown: 0,
    evaluatedAt: '2026-11-25T10:00:00.000Z',
    stale: false,
    ...overrides,
  };
}

function rollup(ref: string, overrides: Partial<MaturityRollup> = {}) {
  return {
    ref,
    entities: 2,
    averageLevel: 1.5,
    medianLevel: 1.5,
    levels: [0, 1, 1, 0, 0, 0],
    onTarget: 1,
    behindTarget: 1,
    overdue: 1,
    withoutTarget: 0,
    onTargetShare: 0.5,
    ...overrides,
  };
}

function summary(overrides: Partial<MaturitySummary> = {}): MaturitySummary {
  return {
    totals: {
      entities: 42,
      levels: [3, 7, 12, 11, 6, 3],
      areas: {
        people: [0, 0, 0, 0, 0, 0],
        process: [0, 0, 0, 0, 0, 0],
        policy: [0, 0, 0, 0, 0, 0],
        technology: [0, 0, 0, 0, 0, 0],
        business: [0, 0, 0, 0, 0, 0],
      },
      onTarget: 20,
      behindTarget: 13,
      overdue: 5,
      withoutTarget: 9,
      stale: 2,
    },
    owners: [
      rollup('group:default/payments-team'),
      rollup('group:default/search-team', { averageLevel: 3.25 }),
      rollup('', { entities: 1 }),
    ],
    systems: [rollup('system:default/payments')],
    rows: [
      row(),
      row({
        entityRef: 'component:default/search-api',
        name: 'search-api',
        title: undefined,
        owner: 'group:default/search-team',
        system: undefined,
        level: 4,
        scorePercent: 95,
        targetLevel: undefined,
        targetDate: undefined,
        gap: 0,
        behindTarget: false,
        overdue: false,
        stale: true,
      }),
    ],
    pageInfo: { nextCursor: 'cursor-page-2' },
    ...overrides,
  };
}

function trend(days: number): MaturityTrendPoint[] {
  return Array.from({ length: days }, (_, i) => ({
    day: `2026-11-${String(20 + i).padStart(2, '0')}`,
    entities: 42,
    levels: [3, 7, 12, 11, 6, 3],
    averageLevel: 2 + i / 10,
  }));
}

function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{location.search}</div>;
}

const urlParams = () =>
  new URLSearchParams(screen.getByTestId('location').textContent ?? '');

async function render(api: Partial<MaturityApi>, url = '/maturity') {
  const apis = {
    getSummary: jest.fn(async () => summary()),
    getTrend: jest.fn(async () => trend(3)),
    ...api,
  };
  await renderInTestApp(
    <TestApiProvider apis={[[maturityApiRef, fakeMaturityApi(apis)]]}>
      <ScorecardContent />
      <LocationProbe />
    </TestApiProvider>,
    {
      routeEntries: [url],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return apis;
}

const servicesTable = () => screen.getByRole('table', { name: 'Services' });
const totals = () => within(screen.getByRole('region', { name: 'Totals' }));

describe('ScorecardContent', () => {
  it('shows the totals, the level distribution and the services', async () => {
    const { getSummary } = await render({});
    expect(await screen.findByText('Checkout Service')).toBeInTheDocument();
    expect(getSummary).toHaveBeenCalledTimes(1);
    expect(getSummary).toHaveBeenCalledWith({});

    const tile = (label: string) =>
      totals().getByText(label, { selector: 'div' }).parentElement!;
    expect(tile('Services')).toHaveTextContent('42');
    expect(tile('On target')).toHaveTextContent('20');
    expect(tile('On target')).toHaveTextContent('of 33 with a target');
    expect(tile('Behind target')).toHaveTextContent('13');
    expect(tile('Overdue')).toHaveTextContent('5');
    expect(tile('Stale')).toHaveTextContent('2');
    expect(tile('Level 2 · Operate')).toHaveTextContent('12');
    expect(tile('Level 5 · Adapt')).toHaveTextContent('3');

    expect(
      screen.getByRole('img', { name: /^Services per level/ }),
    ).toHaveAttribute(
      'aria-label',
      'Services per level: Level 0 Not started 3, Level 1 Build 7, Level 2 Operate 12, Level 3 Scale 11, Level 4 Improve 6, Level 5 Adapt 3',
    );

    const table = within(servicesTable());
    expect(
      table.getByRole('link', { name: 'Checkout Service' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-service/maturity',
    );
    expect(
      table.getByRole('link', { name: 'component:checkout-service' }),
    ).toHaveAttribute('href', '/catalog/default/component/checkout-service');
    expect(
      table.getAllByRole('link', { name: 'payments-team' })[0],
    ).toHaveAttribute('href', '/catalog/default/group/payments-team');
    expect(table.getByText('2 · Operate')).toBeInTheDocument();
    expect(table.getByText('71%')).toBeInTheDocument();
    expect(table.getByText(/1 to go · by 2026-06-30/)).toBeInTheDocument();
    expect(table.getByText('Overdue')).toBeInTheDocument();
    expect(table.getByText('Stale')).toBeInTheDocument();
    // Without a title, the name; without a target, a dash.
    expect(table.getByRole('link', { name: 'search-api' })).toBeInTheDocument();
    expect(screen.getByText('1–2 of 42')).toBeInTheDocument();
  });

  it('shows owners and systems with their rollups, and filters by a click', async () => {
    const { getSummary } = await render({});
    const owners = within(
      (await screen.findByText('Owners')).closest(
        '.MuiPaper-root',
      )! as HTMLElement,
    );
    const searchTeam = owners.getByRole('button', { name: 'search-team' });
    expect(searchTeam.closest('tr')).toHaveTextContent('3.3');
    expect(owners.getByText('No owner')).toBeInTheDocument();
    expect(owners.getAllByText('50%').length).toBeGreaterThan(0);

    await userEvent.click(searchTeam);
    await waitFor(() =>
      expect(getSummary).toHaveBeenLastCalledWith({
        owner: ['group:default/search-team'],
      }),
    );
    expect(urlParams().get('owner')).toBe('group:default/search-team');
  });

  it('filters by an owner picked from the list and puts it in the URL', async () => {
    const { getSummary, getTrend } = await render({});
    await screen.findByText('Checkout Service');
    const owner = screen.getByRole('textbox', { name: 'Owner' });
    await userEvent.type(owner, 'pay');
    await userEvent.click(
      await screen.findByRole('option', { name: 'payments-team' }),
    );
    await waitFor(() =>
      expect(getSummary).toHaveBeenLastCalledWith({
        owner: ['group:default/payments-team'],
      }),
    );
    expect(urlParams().get('owner')).toBe('group:default/payments-team');
    await waitFor(() =>
      expect(getTrend).toHaveBeenLastCalledWith(
        { owner: ['group:default/payments-team'] },
        90,
      ),
    );
    expect(getSummary).toHaveBeenCalledTimes(2);
  });

  it('reads its filters from the URL, so a filtered view can be shared', async () => {
    const { getSummary, getTrend } = await render(
      {},
      '/maturity?owner=group:default/payments-team&level=1,2&behindTarget=true&q=check&order=level:desc&domain=domain:default/commerce',
    );
    await screen.findByText('Checkout Service');
    expect(getSummary).toHaveBeenCalledTimes(1);
    expect(getSummary).toHaveBeenCalledWith({
      owner: ['group:default/payments-team'],
      domain: ['domain:default/commerce'],
      level: [1, 2],
      behindTarget: true,
      q: 'check',
      order: 'level:desc',
    });
    // The trend follows the entity filters; search and target are table-only.
    expect(getTrend).toHaveBeenCalledWith(
      {
        owner: ['group:default/payments-team'],
        domain: ['domain:default/commerce'],
        level: [1, 2],
      },
      90,
    );
    expect(screen.getByRole('textbox', { name: 'Search' })).toHaveValue(
      'check',
    );
    // The chips show refs the way people say them; the URL keeps them in full.
    expect(screen.getByTitle('group:default/payments-team')).toHaveTextContent(
      'payments-team',
    );
    expect(screen.getByTitle('domain:default/commerce')).toHaveTextContent(
      /^commerce$/,
    );
    expect(
      screen.getByRole('checkbox', { name: 'Behind target' }),
    ).toBeChecked();
    expect(
      screen.getByText(/search and target filters apply to the tables only/),
    ).toBeInTheDocument();
  });

  it('takes a typed domain as a full domain ref', async () => {
    const { getSummary } = await render({});
    await screen.findByText('Checkout Service');
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Domain' }),
      'Commerce{enter}',
    );
    await waitFor(() =>
      expect(getSummary).toHaveBeenLastCalledWith({
        domain: ['domain:default/commerce'],
      }),
    );
    expect(urlParams().get('domain')).toBe('domain:default/commerce');
  });

  it('searches once the user pauses typing', async () => {
    jest.useFakeTimers();
    try {
      const { getSummary } = await render({});
      await screen.findByText('Checkout Service');
      const search = screen.getByRole('textbox', { name: 'Search' });
      fireEvent.change(search, { target: { value: 'che' } });
      act(() => jest.advanceTimersByTime(100));
      fireEvent.change(search, { target: { value: 'checkout ' } });
      act(() => jest.advanceTimersByTime(299));
      expect(getSummary).toHaveBeenCalledTimes(1);
      act(() => jest.advanceTimersByTime(1));
      await waitFor(() => expect(getSummary).toHaveBeenCalledTimes(2));
      expect(getSummary).toHaveBeenLastCalledWith({ q: 'checkout' });
      expect(urlParams().get('q')).toBe('checkout');
      // The trailing space the user typed stays in the box.
      expect(search).toHaveValue('checkout ');
    } finally {
      jest.useRealTimers();
    }
  });

  it('filters by a level, behind-target or overdue tile, and a second click clears it', async () => {
    const { getSummary } = await render({});
    await screen.findByText('Checkout Service');
    await userEvent.click(
      totals().getByRole('button', { name: /Level 3 · Scale/ }),
    );
    await waitFor(() =>
      expect(getSummary).toHaveBeenLastCalledWith({ level: [3] }),
    );
    expect(urlParams().get('level')).toBe('3');
    await waitFor(() =>
      expect(
        totals().getByRole('button', { name: /Level 3 · Scale/ }),
      ).toHaveAttribute('aria-pressed', 'true'),
    );

    await userEvent.click(
      totals().getByRole('button', { name: /Behind target/ }),
    );
    await waitFor(() =>
      expect(getSummary).toHaveBeenLastCalledWith({
        level: [3],
        behindTarget: true,
      }),
    );
    await userEvent.click(totals().getByRole('button', { name: /Overdue/ }));
    await waitFor(() =>
      expect(getSummary).toHaveBeenLastCalledWith({
        level: [3],
        behindTarget: true,
        overdue: true,
      }),
    );
    await userEvent.click(
      totals().getByRole('button', { name: /Level 3 · Scale/ }),
    );
    await waitFor(() =>
      expect(getSummary).toHaveBeenLastCalledWith({
        behindTarget: true,
        overdue: true,
      }),
    );
    expect(urlParams().get('level')).toBeNull();
  });

  it('asks the backend to sort when a column header is clicked', async () => {
    const { getSummary } = await render({});
    await screen.findByText('Checkout Service');
    const table = within(servicesTable());
    await userEvent.click(table.getByRole('button', { name: 'Level' }));
    await waitFor(() =>
      expect(getSummary).toHaveBeenLastCalledWith({ order: 'level:asc' }),
    );
    await userEvent.click(
      within(servicesTable()).getByRole('button', { name: /Level/ }),
    );
    await waitFor(() =>
      expect(getSummary).toHaveBeenLastCalledWith({ order: 'level:desc' }),
    );
    expect(urlParams().get('order')).toBe('level:desc');
    expect(
      within(servicesTable()).getByRole('columnheader', { name: /Level/ }),
    ).toHaveAttribute('aria-sort', 'descending');
  });

  it('pages with the cursor of the page shown, and back', async () => {
    const getSummary = jest.fn(async (query: { cursor?: string }) =>
      query.cursor === 'cursor-page-2'
        ? summary({
            rows: [
              row({
                entityRef: 'component:default/zebra',
                name: 'zebra',
                title: undefined,
              }),
            ],
            pageInfo: {},
          })
        : summary(),
    );
    await render({ getSummary }, '/maturity?order=name:asc&limit=2');
    await screen.findByText('Checkout Service');
    expect(
      screen.getByRole('button', { name: 'Previous page' }),
    ).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByText('zebra')).toBeInTheDocument();
    expect(getSummary).toHaveBeenLastCalledWith({
      order: 'name:asc',
      limit: 2,
      cursor: 'cursor-page-2',
    });
    expect(urlParams().get('cursor')).toBe('cursor-page-2');
    expect(screen.getByText(/3–3 of 42 · page 2/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeDisabled();

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous page' }),
    );
    expect(await screen.findByText('Checkout Service')).toBeInTheDocument();
    expect(getSummary).toHaveBeenLastCalledWith({
      order: 'name:asc',
      limit: 2,
    });
    expect(urlParams().get('cursor')).toBeNull();
  });

  it('keeps the page size in the URL', async () => {
    const { getSummary } = await render({}, '/maturity?cursor=abc');
    await screen.findByText('Checkout Service');
    // Opened on a shared later page: the first page is one click away.
    expect(screen.getByRole('button', { name: 'First page' })).toBeEnabled();
    await userEvent.click(
      screen.getByRole('button', { name: /Rows per page/ }),
    );
    await userEvent.click(screen.getByRole('option', { name: '100' }));
    await waitFor(() =>
      expect(getSummary).toHaveBeenLastCalledWith({ limit: 100 }),
    );
    expect(urlParams().get('limit')).toBe('100');
    expect(urlParams().get('cursor')).toBeNull();
  });

  it('exports the current filter as CSV', async () => {
    const createObjectURL = jest.fn(() => 'blob:maturity');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function fakeClick(this: HTMLAnchorElement) {
        expect(this.download).toMatch(/^maturity-\d{4}-\d{2}-\d{2}\.csv$/);
        expect(this.href).toBe('blob:maturity');
      });
    let finish: (blob: Blob) => void = () => {};
    const getSummaryCsv = jest.fn(
      () => new Promise<Blob>(resolve => (finish = resolve)),
    );
    try {
      await render(
        { getSummaryCsv },
        '/maturity?owner=group:default/payments-team&order=level:desc&cursor=abc&limit=25',
      );
      await screen.findByText('Checkout Service');
      await userEvent.click(screen.getByRole('button', { name: /Export CSV/ }));
      expect(
        await screen.findByRole('button', { name: /Exporting/ }),
      ).toBeDisabled();
      expect(getSummaryCsv).toHaveBeenCalledWith({
        owner: ['group:default/payments-team'],
        order: 'level:desc',
      });
      await act(async () => finish(new Blob(['a,b\n'])));
      expect(
        await screen.findByRole('button', { name: /Export CSV/ }),
      ).toBeEnabled();
      expect(createObjectURL).toHaveBeenCalledTimes(1);
      expect(click).toHaveBeenCalledTimes(1);
    } finally {
      click.mockRestore();
    }
  });

  it('says when the CSV export fails', async () => {
    Object.assign(URL, { createObjectURL: jest.fn() });
    await render({
      getSummaryCsv: async () => {
        throw new Error('summary.csv answered 503');
      },
    });
    await screen.findByText('Checkout Service');
    await userEvent.click(screen.getByRole('button', { name: /Export CSV/ }));
    expect(
      await screen.findByText('CSV export failed: summary.csv answered 503'),
    ).toBeInTheDocument();
  });

  it('says when the SCM rate limit holds reads back, until when, and how far the first read is', async () => {
    await render({
      getScmStatus: async () => ({
        hosts: [
          {
            host: 'github.com',
            updatedAt: '2026-12-04T12:00:00.000Z',
            repositories: { seen: 10_000, unread: 6_000, held: 12 },
            heldUntil: '2999-01-01T14:30:00.000Z',
            heldReason: 'the SCM reports its rate limit used up',
            estimateHours: 4.8,
            resources: [],
          },
          {
            host: 'ghe.example.com',
            updatedAt: '2026-12-04T12:00:00.000Z',
            repositories: { seen: 20, unread: 0, held: 0 },
            resources: [],
          },
        ],
      }),
    });
    const notice = await screen.findByRole('status');
    expect(notice).toHaveTextContent(
      'Repository reads on github.com are held back by the SCM request budget until 2999-01-01 14:30 UTC (the SCM reports its rate limit used up).',
    );
    expect(notice).toHaveTextContent(
      "github.com: 4,000 of 10,000 repositories read; 6,000 services wait for their first result, about 4.8 h to go at this plugin's share of the rate limit.",
    );
    expect(notice).toHaveTextContent(
      'github.com: 12 changed repositories wait for their read; their services show their last results, marked stale.',
    );
    expect(notice).not.toHaveTextContent('ghe.example.com');
  });

  it('shows no SCM notice when nothing is held back', async () => {
    await render({});
    expect(await screen.findByText('Checkout Service')).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('shows progress while the summary loads', async () => {
    await render({ getSummary: () => new Promise(() => {}) });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(screen.queryByText('Services')).not.toBeInTheDocument();
  });

  it('shows the backend error with its message instead of a blank page', async () => {
    const { getSummary } = await render(
      {
        getSummary: jest.fn(async () => {
          throw new Error('Invalid query parameter order: sort by one of name');
        }),
      },
      '/maturity?order=colour',
    );
    expect(
      await screen.findByText(
        'Error: Invalid query parameter order: sort by one of name',
        { selector: 'h6' },
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Reset filters and sorting' }),
    );
    await waitFor(() => expect(getSummary).toHaveBeenLastCalledWith({}));
    expect(urlParams().get('order')).toBeNull();
  });

  it('explains an empty scorecard: nothing evaluated yet', async () => {
    await render({
      getSummary: async () =>
        summary({
          totals: {
            ...summary().totals,
            entities: 0,
            levels: [0, 0, 0, 0, 0, 0],
          },
          owners: [],
          systems: [],
          rows: [],
          pageInfo: {},
        }),
    });
    expect(
      await screen.findByText('No maturity results yet'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/evaluates catalog entities on a schedule/),
    ).toBeInTheDocument();
  });

  it('says when no service matches the filters, and clears them', async () => {
    const getSummary = jest.fn(async (query: { owner?: string[] }) =>
      query.owner
        ? summary({
            totals: {
              ...summary().totals,
              entities: 0,
              levels: [0, 0, 0, 0, 0, 0],
            },
            owners: [],
            systems: [],
            rows: [],
            pageInfo: {},
          })
        : summary(),
    );
    await render(
      { getSummary },
      '/maturity?owner=group:default/nobody&order=level:desc',
    );
    expect(
      await screen.findByText('No services match these filters'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Clear filters' })[1],
    );
    expect(await screen.findByText('Checkout Service')).toBeInTheDocument();
    // Filters go; the order stays.
    expect(getSummary).toHaveBeenLastCalledWith({ order: 'level:desc' });
    expect(urlParams().get('owner')).toBeNull();
  });

  it('shows what the backend sends as text, never as markup', async () => {
    await render({
      getSummary: async () =>
        summary({
          rows: [
            row({ title: '<img src=x onerror="alert(1)"><b>Checkout</b>' }),
          ],
        }),
    });
    expect(
      await screen.findByText('<img src=x onerror="alert(1)"><b>Checkout</b>'),
    ).toBeInTheDocument();
    expect(document.querySelector('img[src="x"]')).toBeNull();
  });

  it('draws the org trend, or says when there is not enough of it', async () => {
    await render({ getTrend: jest.fn(async () => trend(3)) });
    expect(
      await screen.findByRole('img', { name: /^Average level over 3 days/ }),
    ).toHaveAttribute(
      'aria-label',
      'Average level over 3 days: 2 on 2026-11-20, 2.2 on 2026-11-22 across 42 services',
    );
  });

  it('says the trend appears after the second day', async () => {
    await render({ getTrend: jest.fn(async () => trend(1)) });
    expect(
      await screen.findByText(
        'Trend appears after the second day of evaluations.',
      ),
    ).toBeInTheDocument();
  });

  it('keeps the page usable when only the trend fails', async () => {
    await render({
      getTrend: async () => {
        throw new Error('trend answered 500');
      },
    });
    expect(
      await screen.findByText('Could not load the trend: trend answered 500'),
    ).toBeInTheDocument();
    expect(screen.getByText('Checkout Service')).toBeInTheDocument();
  });
});
