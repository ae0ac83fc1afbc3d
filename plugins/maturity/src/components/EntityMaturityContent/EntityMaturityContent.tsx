import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  CheckEvidence,
  CheckResult,
  levelName,
  MATURITY_AREAS,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import useAsync from 'react-use/esm/useAsync';
import { maturityApiRef } from '../../api';
import { CheckStatusChip } from '../CheckStatusChip';
import { MaturitySummary } from '../MaturitySummary';

interface Row extends CheckResult {
  id: string;
  definition?: MaturityCheckDefinition;
}

function Evidence(props: { evidence: CheckEvidence[] }) {
  if (props.evidence.length === 0) return <>—</>;
  return (
    <>
      {props.evidence.map((e, i) => (
        <Typography key={i} variant="body2" component="div">
          <strong>{e.label}</strong>
          {e.value ? `: ${e.value}` : ''}
          {e.line ? ` (line ${e.line})` : ''}
        </Typography>
      ))}
    </>
  );
}

const areaTitle = (id?: string) =>
  MATURITY_AREAS.find(a => a.id === id)?.title ?? id ?? '';

const columns: TableColumn<Row>[] = [
  {
    title: 'Status',
    field: 'status',
    width: '120px',
    render: row => <CheckStatusChip status={row.status} />,
  },
  {
    title: 'Check',
    field: 'checkId',
    render: row => (
      <>
        <Typography variant="body2">
          {row.definition?.title ?? row.checkId}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {row.checkId}
        </Typography>
      </>
    ),
  },
  {
    title: 'Area',
    render: row => areaTitle(row.definition?.area),
  },
  {
    title: 'Level',
    render: row =>
      row.definition
        ? `${row.definition.level} ${levelName(row.definition.level)}`
        : '',
  },
  {
    title: 'Result',
    field: 'message',
    render: row => (
      <>
        <Typography variant="body2">{row.message}</Typography>
        {row.status === 'fail' && row.definition?.remediation && (
          <Typography variant="caption" color="textSecondary">
            To fix: {row.definition.remediation}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Evidence',
    render: row => <Evidence evidence={row.evidence} />,
  },
];

/**
 * The Maturity tab: each check's verdict on this entity, with its evidence.
 * @public
 */
export function EntityMaturityContent() {
  const { entity } = useEntity();
  const maturityApi = useApi(maturityApiRef);
  const ref = getCompoundEntityRef(entity);
  const { value, loading, error } = useAsync(async () => {
    const [result, rubric] = await Promise.all([
      maturityApi.getEntityResult(ref),
      maturityApi.getRubric(),
    ]);
    return { result, rubric };
  }, [maturityApi, ref.kind, ref.namespace, ref.name]);

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value?.result) {
    return (
      <EmptyState
        missing="data"
        title="Not evaluated yet"
        description="The maturity backend evaluates catalog entities on a schedule. This entity has no result yet; check back after the next evaluation cycle."
      />
    );
  }
  const { result, rubric } = value;
  const byId = new Map(rubric.checks.map(c => [c.id, c]));
  // Lowest level first, then by area, as the model reads.
  const areaOrder = MATURITY_AREAS.map(a => a.id as string);
  const rows: Row[] = result.checks
    .map(c => ({ ...c, id: c.checkId, definition: byId.get(c.checkId) }))
    .sort(
      (a, b) =>
        (a.definition?.level ?? 9) - (b.definition?.level ?? 9) ||
        areaOrder.indexOf(a.definition?.area ?? '') -
          areaOrder.indexOf(b.definition?.area ?? ''),
    );

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
      <Grid item xs={12}>
        <MaturitySummary result={result} rubric={byId} />
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Maturity checks"
          subheader={`Evaluated ${new Date(
            result.evaluatedAt,
          ).toLocaleString()} · ${result.counts.pass} passed, ${
            result.counts.fail
          } failed, ${result.counts.unknown} unknown`}
        >
          <Table<Row>
            options={{
              paging: false,
              search: false,
              toolbar: false,
              padding: 'dense',
            }}
            data={rows}
            columns={columns}
          />
          <Typography variant="caption" color="textSecondary">
            Based on the{' '}
            <Link to="https://maturitymodel.cncf.io/">
              CNCF Cloud Native Maturity Model
            </Link>
            .
          </Typography>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
