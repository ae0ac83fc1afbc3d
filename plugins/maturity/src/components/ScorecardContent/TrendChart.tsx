import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MaturitySummaryFilter,
  MaturityTrendPoint,
} from '@cnmaturity/plugin-maturity-common';
import { Theme, useTheme } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { memo, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { maturityApiRef } from '../../api';
import { formatCount, formatLevel } from './format';

const WIDTH = 480;
const HEIGHT = 220;
const LEFT = 28;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 28;
const DAY_MS = 24 * 60 * 60 * 1000;
export const TREND_DAYS = 90;

const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** The words a screen reader says for the trend. */
export function trendLabel(points: MaturityTrendPoint[]): string {
  const first = points[0];
  const last = points[points.length - 1];
  return `Average level over ${points.length} days: ${formatLevel(
    first.averageLevel,
  )} on ${first.day}, ${formatLevel(last.averageLevel)} on ${
    last.day
  } across ${formatCount(last.entities)} services`;
}

/** Average level per day as a line, with levels 0 to 5 on the y axis. */
export const TrendChart = memo(function TrendChartComponent(props: {
  points: MaturityTrendPoint[];
}) {
  const theme = useTheme<Theme>();
  const points = useMemo(
    () => [...props.points].sort((a, b) => dayMs(a.day) - dayMs(b.day)),
    [props.points],
  );
  if (points.length < 2) {
    const only = points[0];
    return (
      <>
        <Typography variant="body2">
          Trend appears after the second day of evaluations.
        </Typography>
        {only && (
          <Typography variant="body2" color="textSecondary">
            {only.day}: average level {formatLevel(only.averageLevel)} across{' '}
            {formatCount(only.entities)} services.
          </Typography>
        )}
      </>
    );
  }
  const start = dayMs(points[0].day);
  const span = Math.max(DAY_MS, dayMs(points[points.length - 1].day) - start);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (day: string) => LEFT + ((dayMs(day) - start) / span) * plotWidth;
  const y = (level: number) => TOP + plotHeight - (level / 5) * plotHeight;
  const line = points
    .map(
      (p, i) =>
        `${i === 0 ? 'M' : 'L'}${x(p.day).toFixed(1)},${y(
          p.averageLevel,
        ).toFixed(1)}`,
    )
    .join(' ');
  const area = `${line} L${x(points[points.length - 1].day).toFixed(1)},${y(
    0,
  )} L${x(points[0].day).toFixed(1)},${y(0)} Z`;
  const label = trendLabel(points);
  const last = points[points.length - 1];
  const stroke = theme.palette.primary.main;
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      style={{ maxHeight: HEIGHT, display: 'block' }}
      fontFamily={theme.typography.fontFamily}
    >
      <title>{label}</title>
      <g aria-hidden>
        {[0, 1, 2, 3, 4, 5].map(level => (
          <g key={level}>
            <line
              x1={LEFT}
              x2={WIDTH - RIGHT}
              y1={y(level)}
              y2={y(level)}
              stroke={theme.palette.divider}
            />
            <text
              x={LEFT - 8}
              y={y(level) + 4}
              textAnchor="end"
              fontSize={11}
              fill={theme.palette.text.secondary}
            >
              {level}
            </text>
          </g>
        ))}
        <path d={area} fill={stroke} fillOpacity={0.12} />
        <path d={line} fill="none" stroke={stroke} strokeWidth={2} />
        <circle
          cx={x(last.day)}
          cy={y(last.averageLevel)}
          r={3.5}
          fill={stroke}
        />
        <text
          x={LEFT}
          y={HEIGHT - 8}
          fontSize={11}
          fill={theme.palette.text.secondary}
        >
          {points[0].day}
        </text>
        <text
          x={WIDTH - RIGHT}
          y={HEIGHT - 8}
          textAnchor="end"
          fontSize={11}
          fill={theme.palette.text.secondary}
        >
          {last.day}
        </text>
      </g>
    </svg>
  );
});

/**
 * The org trend for the page's entity filters, fetched beside the summary
 * (not after it); a failure here leaves the rest of the page usable.
 */
export const TrendCard = memo(function TrendCardComponent(props: {
  filter: MaturitySummaryFilter;
  /** A stable key of the filter; the trend is fetched again when it changes. */
  filterKey: string;
  /** Text and target filters are set, which the trend does not follow. */
  partial: boolean;
}) {
  const maturityApi = useApi(maturityApiRef);
  const { filter, filterKey } = props;
  const { value, loading, error } = useAsync(
    () => maturityApi.getTrend(filter, TREND_DAYS),
    // The filter object changes identity on every URL change; its key does not.
    [maturityApi, filterKey],
  );
  let body;
  if (error) {
    body = (
      <Alert severity="error">Could not load the trend: {error.message}</Alert>
    );
  } else if (!value) {
    body = loading ? <Progress /> : null;
  } else {
    body = <TrendChart points={value} />;
  }
  const last = value?.[value.length - 1];
  const subheader = [
    `Average level per day, last ${TREND_DAYS} days`,
    last && value && value.length > 1
      ? `now ${formatLevel(last.averageLevel)}`
      : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <InfoCard title="Trend" subheader={subheader}>
      {body}
      {props.partial && (
        <Typography variant="caption" color="textSecondary" component="p">
          The trend follows the owner, system, domain, kind, type, lifecycle,
          level and stale filters; search and target filters apply to the tables
          only.
        </Typography>
      )}
    </InfoCard>
  );
});
