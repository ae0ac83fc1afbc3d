import { InfoCard } from '@backstage/core-components';
import {
  EntityMaturityResult,
  levelName,
  MATURITY_LEVELS,
  ResolvedTarget,
} from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { AreaLevels } from './AreaLevels';

const useStyles = makeStyles(theme => ({
  overdue: {
    marginLeft: theme.spacing(1),
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
    fontWeight: 'bold',
  },
}));

/** `Level 2 · Operate` @public */
export function levelTitle(level: number): string {
  return `Level ${level} · ${levelName(level)}`;
}

const SOURCE_KINDS: Record<string, string> = {
  system: 'its System',
  domain: 'its Domain',
  group: 'its owner Group',
};

/** Where a target comes from, in words. */
export function targetSourceText(source: string, entityRef?: string): string {
  if (entityRef && source.toLowerCase() === entityRef.toLowerCase()) {
    return 'set on this entity';
  }
  const kind = source.split(':')[0].toLowerCase();
  const what = SOURCE_KINDS[kind];
  return what ? `set on ${what} ${source}` : `set on ${source}`;
}

/** The gap in words: `1 level to go`, or `reached`. */
export function gapText(target: ResolvedTarget): string {
  if (target.gap <= 0) return 'reached';
  return `${target.gap} level${target.gap === 1 ? '' : 's'} to go`;
}

/** A visible "Overdue" mark for a target whose date has passed. */
export function OverdueChip() {
  const classes = useStyles();
  return <Chip size="small" label="Overdue" className={classes.overdue} />;
}

/**
 * The target level and date, the gap, whether it is overdue and where the
 * target was set (the entity, its System, Domain or owner Group).
 * @public
 */
export function TargetLine(props: {
  result: EntityMaturityResult;
  /** Leave out the "set on" source, e.g. on the small card. */
  hideSource?: boolean;
}) {
  const { target, entityRef } = props.result;
  if (!target) {
    return (
      <Typography variant="body2" color="textSecondary">
        No target set. Add <code>cloud-native-maturity/target-level</code> to
        catalog-info.yaml (or to the System, Domain or owner Group).
      </Typography>
    );
  }
  return (
    <Box>
      <Typography variant="body2" component="div">
        Target: Level {target.level} {levelName(target.level)}
        {target.date ? ` by ${target.date}` : ''} ({gapText(target)})
        {target.overdue && <OverdueChip />}
      </Typography>
      {!props.hideSource && (
        <Typography variant="caption" color="textSecondary" component="div">
          Target {targetSourceText(target.source, entityRef)}
        </Typography>
      )}
    </Box>
  );
}

/**
 * Where the entity stands: the level reached with its CNCF stage, the score,
 * each area's level and the target.
 */
export function MaturitySummary(props: { result: EntityMaturityResult }) {
  const { result } = props;
  const description = MATURITY_LEVELS.find(
    l => l.level === result.level,
  )?.description;
  return (
    <InfoCard title={levelTitle(result.level)} subheader={description}>
      <TargetLine result={result} />
      {result.scorePercent !== undefined && (
        <Box mt={1}>
          <Typography variant="body2">
            Score: {result.scorePercent}% of weighted checks pass
          </Typography>
        </Box>
      )}
      {result.areaLevels && (
        <Box mt={2}>
          <Typography variant="subtitle2" gutterBottom>
            Level per area
          </Typography>
          <AreaLevels areaLevels={result.areaLevels} />
        </Box>
      )}
    </InfoCard>
  );
}
