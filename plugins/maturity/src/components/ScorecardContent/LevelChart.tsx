import { levelName } from '@cnmaturity/plugin-maturity-common';
import { Theme, useTheme } from '@material-ui/core/styles';
import { memo } from 'react';
import { formatCount } from './format';
import { useLevelColors } from './levelColors';

const WIDTH = 480;
const HEIGHT = 220;
const TOP = 20;
const BOTTOM = 40;
const SIDE = 8;

/** The words a screen reader says for the chart. */
export function levelChartLabel(levels: number[]): string {
  return `Services per level: ${levels
    .map((count, level) => `Level ${level} ${levelName(level)} ${count}`)
    .join(', ')}`;
}

/** Services per level as bars, 0 to 5, with their counts. */
export const LevelChart = memo(function LevelChartComponent(props: {
  levels: number[];
}) {
  const { levels } = props;
  const theme = useTheme<Theme>();
  const colors = useLevelColors();
  const max = Math.max(1, ...levels);
  const slot = (WIDTH - 2 * SIDE) / levels.length;
  const barWidth = slot * 0.6;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const label = levelChartLabel(levels);
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
      <line
        x1={SIDE}
        x2={WIDTH - SIDE}
        y1={TOP + plotHeight}
        y2={TOP + plotHeight}
        stroke={theme.palette.divider}
      />
      {levels.map((count, level) => {
        const height = (count / max) * plotHeight;
        const x = SIDE + level * slot + (slot - barWidth) / 2;
        const y = TOP + plotHeight - height;
        const center = x + barWidth / 2;
        return (
          <g key={level} aria-hidden>
            <rect
              x={x}
              y={y}
              width={barWidth}
              height={height}
              fill={colors[level]}
              rx={2}
            />
            <text
              x={center}
              y={y - 6}
              textAnchor="middle"
              fontSize={13}
              fill={theme.palette.text.primary}
            >
              {formatCount(count)}
            </text>
            <text
              x={center}
              y={TOP + plotHeight + 16}
              textAnchor="middle"
              fontSize={12}
              fill={theme.palette.text.primary}
            >
              {level}
            </text>
            <text
              x={center}
              y={TOP + plotHeight + 32}
              textAnchor="middle"
              fontSize={11}
              fill={theme.palette.text.secondary}
            >
              {levelName(level)}
            </text>
          </g>
        );
      })}
    </svg>
  );
});
