import {
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  EntityMaturityResult,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useMountedState from 'react-use/esm/useMountedState';
import { maturityApiRef } from '../../api';
import { hasSourceLocation, MODEL_URL } from '../Evidence';
import { HistoryChart } from '../HistoryChart';
import { MaturitySummary } from '../MaturitySummary';
import { AnnotationsCard } from './AnnotationsCard';
import { CheckList } from './CheckList';
import { NextSteps } from './NextSteps';
import { NotEvaluated } from './NotEvaluated';
import { RefreshButton } from './RefreshButton';
import { formatTimestamp } from './time';

const HISTORY_DAYS = 90;

function countsText(result: EntityMaturityResult): string {
  const c = result.counts;
  const parts = [
    `${c.pass} passed`,
    `${c.fail} failed`,
    `${c.unknown} unknown`,
  ];
  if (c.exempt) parts.push(`${c.exempt} exempt`);
  if (c['not-applicable']) parts.push(`${c['not-applicable']} not applicable`);
  return parts.join(', ');
}

/**
 * The Maturity tab: what to do to reach the next level, where the entity
 * stands and how it got there, its maturity annotations, and each check's
 * verdict with its evidence. Owners allowed to may re-evaluate it now.
 * @public
 */
export function EntityMaturityContent() {
  const { entity } = useEntity();
  const maturityApi = useApi(maturityApiRef);
  const isMounted = useMountedState();
  const entityRef = stringifyEntityRef(entity);
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  const ref = useMemo(
    () => ({ kind, namespace, name }),
    [kind, namespace, name],
  );

  const { value, loading, error } = useAsync(async () => {
    const [result, rubric] = await Promise.all([
      maturityApi.getEntityResult(ref),
      // Without the rubric the checks still show, by id.
      maturityApi.getRubric().catch(() => undefined),
    ]);
    return { result, rubric };
  }, [maturityApi, ref]);

  // A re-evaluation's result replaces the loaded one, for this entity only.
  const [refreshed, setRefreshed] = useState<{
    entityRef: string;
    result: EntityMaturityResult;
  }>();
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<Error>();
  const [historyVersion, setHistoryVersion] = useState(0);

  const history = useAsync(
    () => maturityApi.getEntityHistory(ref, HISTORY_DAYS),
    [maturityApi, ref, historyVersion],
  );

  const refresh = useCallback(async () => {
    setRefreshing(true);
    setRefreshError(undefined);
    try {
      const result = await maturityApi.refreshEntity(ref);
      if (!isMounted()) return;
      setRefreshed({ entityRef, result });
      setHistoryVersion(v => v + 1);
    } catch (e) {
      if (!isMounted()) return;
      setRefreshError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      if (isMounted()) setRefreshing(false);
    }
  }, [maturityApi, ref, entityRef, isMounted]);

  const rubric = useMemo(
    () =>
      new Map<string, MaturityCheckDefinition>(
        (value?.rubric?.checks ?? []).map(c => [c.id, c]),
      ),
    [value?.rubric],
  );

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;

  const result =
    refreshed?.entityRef === entityRef ? refreshed.result : value?.result;

  const refreshAlert = refreshError && (
    <Alert severity="error">
      Re-evaluation failed: {refreshError.message}
      {result ? ' The previous result is still shown.' : ''}
    </Alert>
  );
  const refreshButton = (label?: string) => (
    <RefreshButton
      entity={entity}
      refreshing={refreshing}
      onRefresh={refresh}
      label={label}
    />
  );

  if (!result) {
    return (
      <>
        {refreshAlert}
        <NotEvaluated
          hasSourceLocation={hasSourceLocation(entity)}
          action={refreshButton('Evaluate now')}
        />
      </>
    );
  }

  return (
    <Grid container spacing={3}>
      {result.stale && (
        <Grid item xs={12}>
          <Alert severity="warning">
            This is the last good result; the latest evaluation failed
            {result.staleReason ? `: ${result.staleReason}` : '.'}
          </Alert>
        </Grid>
      )}
      {refreshAlert && (
        <Grid item xs={12}>
          {refreshAlert}
        </Grid>
      )}
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          justifyContent="space-between"
          flexWrap="wrap"
          style={{ gap: 8 }}
        >
          <Typography variant="body2" color="textSecondary">
            Last evaluated{' '}
            <time dateTime={result.evaluatedAt}>
              {formatTimestamp(result.evaluatedAt)}
            </time>
          </Typography>
          {refreshButton()}
        </Box>
      </Grid>
      <Grid item xs={12}>
        <NextSteps result={result} rubric={rubric} />
      </Grid>
      <Grid item xs={12} md={6}>
        <MaturitySummary result={result} />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard
          title="History"
          subheader={`Level over the last ${HISTORY_DAYS} days`}
        >
          {history.loading && <Progress />}
          {history.error && (
            <Typography variant="body2" color="error">
              The history could not be loaded: {history.error.message}
            </Typography>
          )}
          {history.value && (
            <HistoryChart points={history.value} days={HISTORY_DAYS} />
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <AnnotationsCard entity={entity} messages={result.messages} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Maturity checks" subheader={countsText(result)}>
          {!value?.rubric && (
            <Box mb={1}>
              <Alert severity="info">
                The rubric could not be loaded; checks are shown by id.
              </Alert>
            </Box>
          )}
          <CheckList
            checks={result.checks}
            rubric={rubric}
            entity={entity}
            expandUpTo={result.next?.level ?? 5}
          />
          <Box mt={1}>
            <Typography variant="caption" color="textSecondary">
              Based on the{' '}
              <Link to={MODEL_URL}>CNCF Cloud Native Maturity Model</Link>.
            </Typography>
          </Box>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
