import {
  levelName,
  MaturitySummaryQuery,
  MaturitySummaryTotals,
} from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import ButtonBase from '@material-ui/core/ButtonBase';
import Paper from '@material-ui/core/Paper';
import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import { memo, ReactNode } from 'react';
import { formatCount } from './format';
import { useLevelColors } from './levelColors';

const useStyles = makeStyles((theme: Theme) => ({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))',
    gap: theme.spacing(2),
  },
  tile: {
    height: '100%',
    borderWidth: 2,
    borderColor: 'transparent',
    borderStyle: 'solid',
  },
  active: {
    borderColor: theme.palette.primary.main,
  },
  button: {
    display: 'block',
    width: '100%',
    height: '100%',
    textAlign: 'left',
    borderRadius: theme.shape.borderRadius,
    '&:hover': { backgroundColor: theme.palette.action.hover },
    '&:focus-visible': { backgroundColor: theme.palette.action.focus },
  },
  body: {
    padding: theme.spacing(1.5, 2),
  },
  label: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
  swatch: {
    width: 12,
    height: 12,
    borderRadius: 2,
    flexShrink: 0,
  },
}));

function Tile(props: {
  label: string;
  value: number;
  caption?: ReactNode;
  swatch?: string;
  /** Whether the tile's filter is on; tiles without onClick are read-only. */
  active?: boolean;
  onClick?: () => void;
  hint?: string;
}) {
  const classes = useStyles();
  const body = (
    <Box className={classes.body}>
      <Typography variant="h4" component="div">
        {formatCount(props.value)}
      </Typography>
      <Typography
        variant="body2"
        color="textSecondary"
        component="div"
        className={classes.label}
      >
        {props.swatch && (
          <span
            className={classes.swatch}
            style={{ backgroundColor: props.swatch }}
            aria-hidden
          />
        )}
        {props.label}
      </Typography>
      {props.caption && (
        <Typography variant="caption" color="textSecondary" component="div">
          {props.caption}
        </Typography>
      )}
    </Box>
  );
  return (
    <Paper
      className={`${classes.tile} ${props.active ? classes.active : ''}`}
      elevation={1}
    >
      {props.onClick ? (
        <ButtonBase
          className={classes.button}
          onClick={props.onClick}
          aria-pressed={Boolean(props.active)}
          title={props.hint}
        >
          {body}
        </ButtonBase>
      ) : (
        body
      )}
    </Paper>
  );
}

export interface SummaryTilesProps {
  totals: MaturitySummaryTotals;
  query: MaturitySummaryQuery;
  onLevel(level: number): void;
  onBehindTarget(): void;
  onOverdue(): void;
  onStale(): void;
}

/**
 * The totals over every matching service; level, behind-target, overdue and
 * stale tiles filter to their services, and clear the filter when on.
 */
export const SummaryTiles = memo(function SummaryTilesComponent(
  props: SummaryTilesProps,
) {
  const { totals, query } = props;
  const classes = useStyles();
  const colors = useLevelColors();
  const withTarget = totals.entities - totals.withoutTarget;
  const onlyLevel = query.level?.length === 1 ? query.level[0] : undefined;
  return (
    <section className={classes.grid} aria-label="Totals">
      <Tile label="Services" value={totals.entities} caption="evaluated" />
      <Tile
        label="On target"
        value={totals.onTarget}
        caption={`of ${formatCount(withTarget)} with a target`}
      />
      <Tile
        label="Behind target"
        value={totals.behindTarget}
        active={query.behindTarget === true}
        onClick={props.onBehindTarget}
        hint="Show only services behind their target"
      />
      <Tile
        label="Overdue"
        value={totals.overdue}
        caption="behind after the target date"
        active={query.overdue === true}
        onClick={props.onOverdue}
        hint="Show only services past their target date"
      />
      <Tile
        label="Stale"
        value={totals.stale}
        caption="last evaluation failed"
        active={query.stale === true}
        onClick={props.onStale}
        hint="Show only services whose latest evaluation failed"
      />
      {totals.levels.map((count, level) => (
        <Tile
          key={level}
          label={`Level ${level} · ${levelName(level)}`}
          value={count}
          swatch={colors[level]}
          active={onlyLevel === level}
          onClick={() => props.onLevel(level)}
          hint={`Show only services at level ${level}`}
        />
      ))}
    </section>
  );
});
