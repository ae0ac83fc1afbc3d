import { InfoCard, Link } from '@backstage/core-components';
import {
  CheckResult,
  EntityMaturityResult,
  levelName,
  MATURITY_AREAS,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { CheckStatusChip } from '../CheckStatusChip';
import { CodeText, modelReferenceUrl } from '../Evidence';

const useStyles = makeStyles(theme => ({
  card: {
    borderLeft: `4px solid ${theme.palette.primary.main}`,
  },
  step: {
    padding: theme.spacing(1.5, 0),
    '&:not(:last-child)': {
      borderBottom: `1px solid ${theme.palette.divider}`,
    },
  },
}));

const areaTitle = (id?: string) =>
  MATURITY_AREAS.find(a => a.id === id)?.title ?? id ?? '';

/**
 * First thing on the tab: the required checks still open for the next
 * level, each with why it fails, how to fix it and the model section it
 * comes from.
 */
export function NextSteps(props: {
  result: EntityMaturityResult;
  rubric: Map<string, MaturityCheckDefinition>;
}) {
  const { result, rubric } = props;
  const classes = useStyles();
  const checks = new Map<string, CheckResult>(
    result.checks.map(c => [c.checkId, c]),
  );

  if (!result.next) {
    if (result.level < 5) return null;
    return (
      <InfoCard title="Level 5 Adapt reached" className={classes.card}>
        <Typography variant="body2">
          Every required check passes. The CNCF notes that the top level is not
          a goal for every service; keep the evidence current.
        </Typography>
      </InfoCard>
    );
  }

  const { level, steps } = result.next;
  return (
    <InfoCard
      title={`To reach Level ${level} ${levelName(level)}`}
      subheader={
        steps.length === 0
          ? undefined
          : `${steps.length} required check${
              steps.length === 1 ? '' : 's'
            } still open`
      }
      className={classes.card}
    >
      {steps.length === 0 && (
        <Typography variant="body2">
          Nothing left: every required check passes.
        </Typography>
      )}
      {steps.map(step => {
        const definition = rubric.get(step.checkId);
        const check = checks.get(step.checkId);
        return (
          <Box key={step.checkId} className={classes.step}>
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 8 }}
            >
              <CheckStatusChip status={step.status} />
              <Typography variant="subtitle1" component="h3">
                <strong>{definition?.title ?? step.checkId}</strong>
              </Typography>
              <Typography variant="caption" color="textSecondary">
                Level {step.level}
                {definition ? ` · ${areaTitle(definition.area)}` : ''} ·{' '}
                {step.checkId}
              </Typography>
            </Box>
            {check?.message && (
              <Typography variant="body2" color="textSecondary">
                {check.message}
              </Typography>
            )}
            {definition?.remediation && (
              <Typography variant="body2">
                <strong>How to fix:</strong>{' '}
                <CodeText text={definition.remediation} />
              </Typography>
            )}
            {definition && (
              <Typography variant="caption">
                Why:{' '}
                <Link to={modelReferenceUrl(definition.modelReference)}>
                  {definition.modelReference ||
                    'CNCF Cloud Native Maturity Model'}
                </Link>
              </Typography>
            )}
          </Box>
        );
      })}
    </InfoCard>
  );
}
