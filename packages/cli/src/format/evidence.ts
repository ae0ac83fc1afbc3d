import { CheckEvidence } from '@cnmaturity/plugin-maturity-common';

/** `file:line`, the value, and for a shared file the repository file that calls it. */
export function evidenceText(e: CheckEvidence): string {
  const at = e.line ? `${e.label}:${e.line}` : e.label;
  const via = e.via
    ? ` (called from ${
        e.via.line ? `${e.via.label}:${e.via.line}` : e.via.label
      })`
    : '';
  const value = e.value && e.value !== e.label ? ` ${e.value}` : '';
  return `${at}${via}${value}`;
}
