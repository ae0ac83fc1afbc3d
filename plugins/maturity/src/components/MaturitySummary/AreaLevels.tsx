import {
  MATURITY_AREAS,
  MaturityArea,
  MaturityLevelNumber,
} from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: 2,
  },
  label: { width: 130, flexShrink: 0 },
  segments: { display: 'flex', gap: 2 },
  segment: {
    width: 18,
    height: 8,
    borderRadius: 2,
    backgroundColor: theme.palette.action.disabledBackground,
  },
  filled: { backgroundColor: theme.palette.primary.main },
  value: { minWidth: 12, fontWeight: 'bold' },
}));

/**
 * The five area levels as five small labelled bars of five segments.
 * @public
 */
export function AreaLevels(props: {
  areaLevels: Record<MaturityArea, MaturityLevelNumber>;
}) {
  const classes = useStyles();
  return (
    <Box role="list" aria-label="Level per area">
      {MATURITY_AREAS.map(area => {
        const level = props.areaLevels[area.id] ?? 0;
        return (
          <div
            key={area.id}
            role="listitem"
            aria-label={`${area.title}: level ${level} of 5`}
            className={classes.row}
          >
            <Typography variant="body2" className={classes.label}>
              {area.title}
            </Typography>
            <span className={classes.segments} aria-hidden>
              {[1, 2, 3, 4, 5].map(n => (
                <span
                  key={n}
                  className={`${classes.segment} ${
                    n <= level ? classes.filled : ''
                  }`}
                />
              ))}
            </span>
            <Typography variant="body2" className={classes.value}>
              {level}
            </Typography>
          </div>
        );
      })}
    </Box>
  );
}
