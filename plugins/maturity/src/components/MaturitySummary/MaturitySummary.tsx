import { InfoCard } from '@backstage/core-components';
import {
  EntityMaturityResult,
  levelName,
  MATURITY_AREAS,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { CheckStatusChip } from '../CheckStatusChip';

function TargetLine(props: { result: EntityMaturityResult }) {
  const { target } = props.result;
  if (!target) {
    return (
      <Typography variant="body2" color="textSecondary">
        No target set. Add <code>cloud-native-maturity/target-level</code> to
        catalog-info.yaml (or to the System, Domain or owner Group).
      </Typography>
    );
  }
  let status = 'on target';
  if (target.gap > 0) {
    status = `${target.gap} level${target.gap === 1 ? '' : 's'} to go`;
  }
  return (
    <Typography variant="body2">
      Target: Level {target.level} {levelName(target.level)}
      {target.date ? ` by ${target.date}` : ''} ({status})
      {target.overdue && (
        <Chip
          size="small"
          label="Overdue"
          color="secondary"
          style={{ marginLeft: 8 }}
        />
      )}
      <Typography variant="caption" color="textSecondary" component="span">
        {' '}
        · set on {target.source}
      </Typography>
    </Typography>
  );
}

/**
 * Where the entity stands: the level reached, each area's level, the target,
 * and first of all what to do to reach the next level.
 */
export function MaturitySummary(props: {
  result: EntityMaturityResult;
  rubric: Map<string, MaturityCheckDefinition>;
}) {
  const { result, rubric } = props;
  const steps = result.next?.steps ?? [];
  return (
    <InfoCard title={`Level ${result.level} · ${levelName(result.level)}`}>
      <Grid container spacing={2}>
        <Grid item xs={12} md={5}>
          <TargetLine result={result} />
          {result.scorePercent !== undefined && (
            <Typography variant="body2">
              Score: {result.scorePercent}% of weighted checks pass
            </Typography>
          )}
          {result.areaLevels && (
            <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 8 }}>
              {MATURITY_AREAS.map(a => (
                <Chip
                  key={a.id}
                  size="small"
                  variant="outlined"
                  label={`${a.title}: ${result.areaLevels![a.id]}`}
                />
              ))}
            </Box>
          )}
          {(result.messages ?? []).map(m => (
            <Typography key={m.annotation} variant="body2" color="error">
              {m.annotation}: {m.message}
            </Typography>
          ))}
        </Grid>
        <Grid item xs={12} md={7}>
          {result.next && (
            <>
              <Typography variant="h6">
                To reach Level {result.next.level}{' '}
                {levelName(result.next.level)}
              </Typography>
              {steps.length === 0 && (
                <Typography variant="body2">
                  Nothing left: every required check passes.
                </Typography>
              )}
              {steps.map(step => (
                <Box key={step.checkId} mt={1}>
                  <Box display="flex" alignItems="center" style={{ gap: 8 }}>
                    <CheckStatusChip status={step.status} />
                    <Typography variant="body2">
                      <strong>
                        {rubric.get(step.checkId)?.title ?? step.checkId}
                      </strong>{' '}
                      (Level {step.level})
                    </Typography>
                  </Box>
                  <Typography variant="caption" color="textSecondary">
                    {rubric.get(step.checkId)?.remediation}
                  </Typography>
                </Box>
              ))}
            </>
          )}
        </Grid>
      </Grid>
    </InfoCard>
  );
}
