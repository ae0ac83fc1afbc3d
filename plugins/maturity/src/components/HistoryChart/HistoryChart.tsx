import {
  levelName,
  MATURITY_AREAS,
  MaturityArea,
  MaturityHistoryPoint,
} from '@cnmaturity/plugin-maturity-common';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { useState } from 'react';

const WIDTH = 600;
const HEIGHT = 180;
const MARGIN = { top: 10, right: 12, bottom: 24, left: 78 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const DAY_MS = 86_400_000;

/** Days since the epoch of a `YYYY-MM-DD`, or NaN. */
function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / DAY_MS);
}

const y = (level: number) =>
  MARGIN.top + PLOT_H - (Math.max(0, Math.min(5, level)) / 5) * PLOT_H;

/** A step path: each level holds until the next point. */
function stepPath(points: { x: number; level: number }[]): string {
  return points
    .map((p, i) =>
      i === 0
        ? `M${p.x.toFixed(1)},${y(p.level).toFixed(1)}`
        : `H${p.x.toFixed(1)}V${y(p.level).toFixed(1)}`,
    )
    .join('');
}

/** Props of {@link HistoryChart}. @public */
export interface HistoryChartProps {
  /** One point per day, oldest first, as `getEntityHistory` returns them. */
  points: MaturityHistoryPoint[];
  /** The period asked for, for the label; default 90. */
  days?: number;
}

/**
 * The entity's level over time as a small step chart, optionally with the
 * five area levels. Fewer than two points read as a sentence instead.
 * @public
 */
export function HistoryChart(props: HistoryChartProps) {
  const theme = useTheme();
  const [showAreas, setShowAreas] = useState(false);
  const days = props.days ?? 90;
  const points = props.points
    .filter(p => Number.isFinite(dayNumber(p.day)))
    .sort((a, b) => dayNumber(a.day) - dayNumber(b.day));

  if (points.length < 2) {
    return (
      <Typography variant="body2" color="textSecondary">
        {points.length === 0
          ? `No history yet. The backend records the level once a day; a chart appears after two days of evaluations.`
          : `Only one day of history so far (Level ${
              points[0].level
            } ${levelName(points[0].level)} on ${
              points[0].day
            }); a chart appears after the second day of evaluations.`}
      </Typography>
    );
  }

  const first = points[0];
  const last = points[points.length - 1];
  const firstDay = dayNumber(first.day);
  const span = Math.max(1, dayNumber(last.day) - firstDay);
  const x = (day: string) =>
    MARGIN.left + ((dayNumber(day) - firstDay) / span) * PLOT_W;
  const positioned = (level: (p: MaturityHistoryPoint) => number | undefined) =>
    points
      .map(p => ({ x: x(p.day), level: level(p) }))
      .filter((p): p is { x: number; level: number } =>
        Number.isFinite(p.level),
      );

  const hasAreas = points.some(p => p.areaLevels);
  const areaColors: Record<MaturityArea, string> = {
    people: theme.palette.info.main,
    process: theme.palette.success.main,
    policy: theme.palette.warning.main,
    technology: theme.palette.secondary.main,
    business: theme.palette.error.main,
  };
  const label = `Maturity level over the last ${days} days: from Level ${
    first.level
  } ${levelName(first.level)} on ${first.day} to Level ${
    last.level
  } ${levelName(last.level)} on ${last.day}.`;

  return (
    <Box>
      <svg
        role="img"
        aria-label={label}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        style={{ maxHeight: 220, display: 'block' }}
      >
        {[0, 1, 2, 3, 4, 5].map(level => (
          <g key={level}>
            <line
              x1={MARGIN.left}
              x2={WIDTH - MARGIN.right}
              y1={y(level)}
              y2={y(level)}
              stroke={theme.palette.divider}
              strokeWidth={1}
            />
            <text
              x={MARGIN.left - 6}
              y={y(level) + 4}
              textAnchor="end"
              fontSize={11}
              fill={theme.palette.text.secondary}
            >
              {level} {level === 0 ? '' : levelName(level)}
            </text>
          </g>
        ))}
        <text
          x={MARGIN.left}
          y={HEIGHT - 6}
          fontSize={11}
          fill={theme.palette.text.secondary}
        >
          {first.day}
        </text>
        <text
          x={WIDTH - MARGIN.right}
          y={HEIGHT - 6}
          fontSize={11}
          textAnchor="end"
          fill={theme.palette.text.secondary}
        >
          {last.day}
        </text>
        {showAreas &&
          MATURITY_AREAS.map((area, i) => (
            <path
              key={area.id}
              d={stepPath(positioned(p => p.areaLevels?.[area.id]))}
              fill="none"
              stroke={areaColors[area.id]}
              strokeWidth={1.5}
              strokeDasharray="4 3"
              // Lines of equal areas would hide each other; nudge apart.
              transform={`translate(0 ${(i - 2) * 1.5})`}
            />
          ))}
        <path
          d={stepPath(positioned(p => p.level))}
          fill="none"
          stroke={theme.palette.primary.main}
          strokeWidth={3}
        />
        <circle
          cx={x(last.day)}
          cy={y(last.level)}
          r={4}
          fill={theme.palette.primary.main}
        />
      </svg>
      {hasAreas && (
        <Box display="flex" flexWrap="wrap" alignItems="center">
          <FormControlLabel
            control={
              <Checkbox
                size="small"
                checked={showAreas}
                onChange={e => setShowAreas(e.target.checked)}
              />
            }
            label={<Typography variant="caption">Show area levels</Typography>}
          />
          {showAreas &&
            MATURITY_AREAS.map(area => (
              <Typography
                key={area.id}
                variant="caption"
                style={{ marginRight: 12, color: areaColors[area.id] }}
              >
                ╌ {area.title}
              </Typography>
            ))}
        </Box>
      )}
    </Box>
  );
}
