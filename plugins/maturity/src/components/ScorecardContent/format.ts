import { levelName } from '@cnmaturity/plugin-maturity-common';

const integer = new Intl.NumberFormat('en-US');

export const formatCount = (n: number) => integer.format(n);

/** `Level 2 · Operate` */
export const levelLabel = (level: number) =>
  `Level ${level} · ${levelName(level)}`;

/** Averages and medians with at most one decimal: `2.3`, `2`. */
export const formatLevel = (n: number) => String(Math.round(n * 10) / 10);

/** `0.756` as `76%`. */
export const formatShare = (share: number) => `${Math.round(share * 100)}%`;
