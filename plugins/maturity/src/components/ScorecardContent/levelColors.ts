import { alpha, Theme, useTheme } from '@material-ui/core/styles';
import { useMemo } from 'react';

/**
 * One colour per level, 0 to 5, from the theme: grey for "Not started",
 * then the primary colour growing stronger, so it reads in light and dark.
 */
export function useLevelColors(): string[] {
  const theme = useTheme<Theme>();
  return useMemo(() => {
    const base = theme.palette.primary.main;
    return [
      theme.palette.grey[500],
      alpha(base, 0.35),
      alpha(base, 0.5),
      alpha(base, 0.65),
      alpha(base, 0.82),
      base,
    ];
  }, [theme]);
}
