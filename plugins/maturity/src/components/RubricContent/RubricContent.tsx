import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ANNOTATION_ATTEST_PREFIX,
  MATURITY_AREAS,
  MATURITY_LEVELS,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import InputAdornment from '@material-ui/core/InputAdornment';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import SearchIcon from '@material-ui/icons/Search';
import { makeStyles } from '@material-ui/core/styles';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { maturityApiRef } from '../../api';
import { CodeText, MODEL_URL, modelReferenceUrl } from '../Evidence';

const useStyles = makeStyles(theme => ({
  cell: { verticalAlign: 'top' },
  checkCell: { verticalAlign: 'top', width: '22%' },
  metaCell: { verticalAlign: 'top', width: '18%' },
  area: { marginTop: theme.spacing(2) },
  required: {
    backgroundColor: theme.palette.primary.main,
    color: theme.palette.primary.contrastText,
  },
}));

const areaTitle = (id: string) =>
  MATURITY_AREAS.find(a => a.id === id)?.title ?? id;

/** All the text a filter matches, lower case. */
function searchText(check: MaturityCheckDefinition): string {
  return [
    check.id,
    check.title,
    areaTitle(check.area),
    check.kind,
    check.rule,
    check.remediation,
    check.modelReference,
    check.signal,
    ...(check.appliesTo ?? []),
    check.attestable ? 'attestable attestation' : '',
  ]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

function CheckRow(props: { check: MaturityCheckDefinition }) {
  const { check } = props;
  const classes = useStyles();
  return (
    <TableRow>
      <TableCell className={classes.checkCell}>
        <Typography variant="body2">
          <strong>{check.title}</strong>
        </Typography>
        <Typography variant="caption" color="textSecondary">
          <code>{check.id}</code>
        </Typography>
      </TableCell>
      <TableCell className={classes.metaCell}>
        <Chip
          size="small"
          label={check.kind}
          className={check.kind === 'required' ? classes.required : undefined}
          variant={check.kind === 'required' ? 'default' : 'outlined'}
        />
        <Typography variant="body2">Weight {check.weight}</Typography>
        <Typography variant="caption" color="textSecondary" component="div">
          {check.appliesTo?.length
            ? `Applies to: ${check.appliesTo.join(', ')}`
            : 'Applies to every type'}
        </Typography>
        {check.attestable && (
          <Typography variant="caption" component="div">
            Attestable: <code>{`${ANNOTATION_ATTEST_PREFIX}${check.id}`}</code>
          </Typography>
        )}
      </TableCell>
      <TableCell className={classes.cell}>
        {check.rule && (
          <Typography variant="body2">
            <strong>Passes when:</strong> <CodeText text={check.rule} />
          </Typography>
        )}
        <Typography variant="body2">
          <strong>How to fix:</strong> <CodeText text={check.remediation} />
        </Typography>
        <Typography variant="caption">
          Model:{' '}
          <Link to={modelReferenceUrl(check.modelReference)}>
            {check.modelReference || 'CNCF Cloud Native Maturity Model'}
          </Link>
        </Typography>
      </TableCell>
    </TableRow>
  );
}

/**
 * The rubric as configured on the backend: every check by level (with its
 * CNCF stage) and area, with kind, weight, rule, remediation, model section,
 * the entity types it applies to and whether owners may attest it. A text
 * filter narrows the list. No page chrome: the page around it has the header.
 * @public
 */
export function RubricContent() {
  const maturityApi = useApi(maturityApiRef);
  const classes = useStyles();
  const [filter, setFilter] = useState('');
  const { value, loading, error } = useAsync(
    () => maturityApi.getRubric(),
    [maturityApi],
  );

  const checks = useMemo(() => value?.checks ?? [], [value]);
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return checks;
    return checks.filter(c => {
      const text = searchText(c);
      return words.every(w => text.includes(w));
    });
  }, [checks, filter]);

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          style={{ gap: 16 }}
        >
          <TextField
            id="maturity-rubric-filter"
            label="Filter checks"
            placeholder="e.g. security, process.ci, attestable"
            variant="outlined"
            size="small"
            value={filter}
            onChange={e => setFilter(e.target.value)}
            InputProps={{
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon fontSize="small" />
                </InputAdornment>
              ),
            }}
            style={{ minWidth: 320 }}
          />
          <Typography variant="body2" color="textSecondary" aria-live="polite">
            {shown.length === checks.length
              ? `${checks.length} checks`
              : `${shown.length} of ${checks.length} checks`}
          </Typography>
        </Box>
        <Box mt={1}>
          <Typography variant="caption" color="textSecondary">
            A level is reached when every required check of it and the levels
            below passes or is exempt; supporting checks add to the score only.
            Based on the{' '}
            <Link to={MODEL_URL}>CNCF Cloud Native Maturity Model</Link>.
          </Typography>
        </Box>
      </Grid>
      {shown.length === 0 && (
        <Grid item xs={12}>
          <Typography variant="body1">
            {checks.length === 0
              ? 'The backend reports no checks.'
              : `No check matches "${filter}".`}
          </Typography>
        </Grid>
      )}
      {MATURITY_LEVELS.filter(l => l.level > 0).map(level => {
        const inLevel = shown.filter(c => c.level === level.level);
        if (inLevel.length === 0) return null;
        return (
          <Grid item xs={12} key={level.level}>
            <InfoCard
              title={`Level ${level.level} · ${level.name}`}
              subheader={`${level.description} ${inLevel.length} check${
                inLevel.length === 1 ? '' : 's'
              }.`}
            >
              {MATURITY_AREAS.map(area => {
                const inArea = inLevel.filter(c => c.area === area.id);
                if (inArea.length === 0) return null;
                return (
                  <Box key={area.id} className={classes.area}>
                    <Typography variant="h6" component="h3">
                      {area.title}
                    </Typography>
                    <Table
                      size="small"
                      aria-label={`Level ${level.level} ${area.title} checks`}
                    >
                      <TableHead>
                        <TableRow>
                          <TableCell>Check</TableCell>
                          <TableCell>Kind</TableCell>
                          <TableCell>Rule and remediation</TableCell>
                        </TableRow>
                      </TableHead>
                      <TableBody>
                        {inArea.map(check => (
                          <CheckRow key={check.id} check={check} />
                        ))}
                      </TableBody>
                    </Table>
                  </Box>
                );
              })}
            </InfoCard>
          </Grid>
        );
      })}
    </Grid>
  );
}
