import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MaturityLevelNumber,
  MaturityRollup,
  MaturitySummary,
} from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { useCallback, useMemo, useRef } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { maturityApiRef } from '../../api';
import { humanizeRef } from '../refs';
import { CsvExportButton } from './CsvExportButton';
import { formatCount } from './format';
import { LevelChart } from './LevelChart';
import { RollupTable } from './RollupTable';
import { ScmStatusBanner } from './ScmStatusBanner';
import { ScorecardFilters } from './ScorecardFilters';
import { ServiceTable } from './ServiceTable';
import { SummaryTiles } from './SummaryTiles';
import { TrendCard } from './TrendChart';
import {
  hasFilters,
  hasTableOnlyFilters,
  queryKeyOf,
  trendFilterOf,
  useSummaryQuery,
} from './useSummaryQuery';

const DEFAULT_KINDS = ['component'];
const DEFAULT_LIFECYCLES = ['production', 'experimental', 'deprecated'];

/**
 * Every value seen so far in this visit, so a picker still offers the other
 * owners once the page is filtered to one.
 */
function useSeenValues(
  fresh: (string | undefined)[] | undefined,
  selected: string[] | undefined,
  initial: string[] = [],
  sortKey: (value: string) => string = v => v,
): string[] {
  const seen = useRef(new Set<string>(initial));
  return useMemo(() => {
    for (const v of fresh ?? []) if (v) seen.current.add(v);
    for (const v of selected ?? []) if (v) seen.current.add(v);
    return [...seen.current].sort((a, b) =>
      sortKey(a).localeCompare(sortKey(b)),
    );
    // sortKey is a module-level function at every call site.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fresh, selected]);
}

const refsOf = (rollups: MaturityRollup[] | undefined) =>
  rollups?.map(r => r.ref);
const byOwnerName = (ref: string) => humanizeRef(ref, 'group');
const bySystemName = (ref: string) => humanizeRef(ref, 'system');

function NoMatch(props: { onClear(): void }) {
  return (
    <Paper>
      <Box p={4} textAlign="center">
        <Typography variant="h6" component="p">
          No services match these filters
        </Typography>
        <Typography variant="body2" color="textSecondary" paragraph>
          Loosen or clear the filters to see services again.
        </Typography>
        <Button variant="contained" color="primary" onClick={props.onClear}>
          Clear filters
        </Button>
      </Box>
    </Paper>
  );
}

function NothingEvaluated() {
  return (
    <EmptyState
      missing="data"
      title="No maturity results yet"
      description={
        <>
          The maturity backend evaluates catalog entities on a schedule, and
          none has a result yet. Make sure the backend plugin is installed (
          <code>
            backend.add(import(&apos;@cnmaturity/plugin-maturity-backend&apos;))
          </code>{' '}
          in <code>packages/backend/src/index.ts</code>) and check back after
          its first evaluation cycle. Only entities you may read in the catalog
          are shown.
        </>
      }
    />
  );
}

/**
 * The previous value while the new one is equal: paging and sorting return
 * the same totals and rollups, so their charts and tables need not render
 * again (hundreds of owners and systems on a large catalog).
 */
function useUnchanged<T>(value: T): T {
  const kept = useRef({ key: JSON.stringify(value), value });
  const key = JSON.stringify(value);
  if (key !== kept.current.key) kept.current = { key, value };
  return kept.current.value;
}

/**
 * The org-wide scorecard: filters kept in the URL, totals, the level
 * distribution, the trend, owner and system rollups, and every service,
 * one server-side page at a time. The body of the `/maturity` page.
 * @public
 */
export function ScorecardContent() {
  const maturityApi = useApi(maturityApiRef);
  const state = useSummaryQuery();
  const { query, queryKey, setFilter, clearFilters } = state;

  const { value, loading, error } = useAsync(
    (): Promise<MaturitySummary> => maturityApi.getSummary(query),
    // One request per change of the query, whatever else is in the URL.
    [maturityApi, queryKey],
  );

  const ownerRollups = useUnchanged(value?.owners);
  const systemRollups = useUnchanged(value?.systems);
  const stableTotals = useUnchanged(value?.totals);

  const trendFilter = useMemo(() => trendFilterOf(query), [query]);
  const trendKey = queryKeyOf(trendFilter);

  const ownerRefs = useMemo(() => refsOf(value?.owners), [value]);
  const systemRefs = useMemo(() => refsOf(value?.systems), [value]);
  const owners = useSeenValues(ownerRefs, query.owner, [], byOwnerName);
  const systems = useSeenValues(systemRefs, query.system, [], bySystemName);
  // Kinds, types and lifecycles have no rollup: offer those seen on pages.
  const rows = value?.rows;
  const pageKinds = useMemo(
    () => rows?.map(r => r.kind.toLocaleLowerCase('en-US')),
    [rows],
  );
  const pageTypes = useMemo(() => rows?.map(r => r.type), [rows]);
  const pageLifecycles = useMemo(() => rows?.map(r => r.lifecycle), [rows]);
  const kinds = useSeenValues(pageKinds, query.kind, DEFAULT_KINDS);
  const types = useSeenValues(pageTypes, query.type);
  const lifecycles = useSeenValues(
    pageLifecycles,
    query.lifecycle,
    DEFAULT_LIFECYCLES,
  );

  const onLevel = useCallback(
    (level: number) =>
      setFilter({
        level:
          query.level?.length === 1 && query.level[0] === level
            ? undefined
            : [level as MaturityLevelNumber],
      }),
    [query.level, setFilter],
  );
  const onBehindTarget = useCallback(
    () => setFilter({ behindTarget: query.behindTarget ? undefined : true }),
    [query.behindTarget, setFilter],
  );
  const onOverdue = useCallback(
    () => setFilter({ overdue: query.overdue ? undefined : true }),
    [query.overdue, setFilter],
  );
  const onStale = useCallback(
    () => setFilter({ stale: query.stale ? undefined : true }),
    [query.stale, setFilter],
  );
  const onOwner = useCallback(
    (ref: string) => setFilter({ owner: [ref] }),
    [setFilter],
  );
  const onSystem = useCallback(
    (ref: string) => setFilter({ system: [ref] }),
    [setFilter],
  );

  const filtered = hasFilters(query);

  if (!value && !error) return <Progress />;
  if (value && value.totals.entities === 0 && !filtered) {
    return <NothingEvaluated />;
  }

  const filters = (
    <Grid item xs={12}>
      <Paper>
        <Box p={2}>
          <ScorecardFilters
            query={query}
            setFilter={setFilter}
            clearFilters={clearFilters}
            filtered={filtered}
            owners={owners}
            systems={systems}
            kinds={kinds}
            types={types}
            lifecycles={lifecycles}
          />
        </Box>
      </Paper>
    </Grid>
  );
  // Keeps the layout still while a new page or filter loads.
  const reloading = (
    <Grid item xs={12} style={{ paddingTop: 0, paddingBottom: 0 }}>
      <Box height={4}>{loading && <Progress />}</Box>
    </Grid>
  );

  if (error || !value) {
    return (
      <Grid container spacing={3}>
        {filters}
        {reloading}
        <Grid item xs={12}>
          <ResponseErrorPanel error={error ?? new Error('No summary')} />
          <Box mt={2}>
            <Button variant="outlined" onClick={state.resetAll}>
              Reset filters and sorting
            </Button>
          </Box>
        </Grid>
      </Grid>
    );
  }

  if (value.totals.entities === 0) {
    return (
      <Grid container spacing={3}>
        {filters}
        {reloading}
        <ScmStatusBanner />
        <Grid item xs={12}>
          <NoMatch onClear={clearFilters} />
        </Grid>
      </Grid>
    );
  }

  const totals = stableTotals ?? value.totals;
  return (
    <Grid container spacing={3}>
      {filters}
      {reloading}
      <ScmStatusBanner />
      <Grid item xs={12}>
        <SummaryTiles
          totals={totals}
          query={query}
          onLevel={onLevel}
          onBehindTarget={onBehindTarget}
          onOverdue={onOverdue}
          onStale={onStale}
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="Level distribution"
          subheader={`${formatCount(totals.entities)} services`}
        >
          <LevelChart levels={totals.levels} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <TrendCard
          filter={trendFilter}
          filterKey={trendKey}
          partial={hasTableOnlyFilters(query)}
        />
      </Grid>
      <Grid item xs={12} xl={6}>
        <RollupTable
          title="Owners"
          nameTitle="Owner"
          rollups={ownerRollups ?? value.owners}
          defaultKind="group"
          noneLabel="No owner"
          onSelect={onOwner}
        />
      </Grid>
      <Grid item xs={12} xl={6}>
        <RollupTable
          title="Systems"
          nameTitle="System"
          rollups={systemRollups ?? value.systems}
          defaultKind="system"
          noneLabel="No system"
          onSelect={onSystem}
        />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Services"
          subheader={`${formatCount(totals.entities)} match`}
          action={<CsvExportButton query={query} />}
          noPadding
        >
          <ServiceTable
            rows={value.rows}
            order={query.order}
            onOrderChange={state.setOrder}
            total={totals.entities}
            limit={query.limit}
            onLimitChange={state.setLimit}
            pageIndex={state.pageIndex}
            nextCursor={value.pageInfo.nextCursor}
            hasPreviousPage={state.hasPreviousPage}
            isFirstPage={!query.cursor}
            onNextPage={state.nextPage}
            onPreviousPage={state.previousPage}
            onFirstPage={state.firstPage}
            loading={loading}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
