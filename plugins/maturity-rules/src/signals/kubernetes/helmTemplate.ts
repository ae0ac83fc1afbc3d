import { isRecord } from '../yaml';

// A line that holds only template actions: `{{- if .Values.x }}`, `{{- end }}`,
// `{{- include "labels" . | nindent 4 }}`.
const ACTION_ONLY_LINE = /^\s*(?:\{\{[^}]*\}\}\s*)+$/;
const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const VALUES_REF = /^\.Values\.([\w.]+)/;

/**
 * Makes a Helm template parse as YAML without rendering it: lines that are
 * only actions become empty (so line numbers stay right), and each inline
 * `{{ .Values.a.b }}` becomes the plain text `.Values.a.b` (anything else
 * becomes `HELM_TEMPLATE`), which {@link applyChartValues} can fill in later.
 */
export function sanitizeHelmTemplate(text: string): string {
  return text
    .split('\n')
    .map(line => {
      if (!line.includes('{{')) {
        return line;
      }
      if (ACTION_ONLY_LINE.test(line)) {
        return '';
      }
      return line.replace(ACTION, (_, expr: string) => {
        const m = VALUES_REF.exec(expr);
        return m ? `.Values.${m[1]}` : 'HELM_TEMPLATE';
      });
    })
    .join('\n');
}

function lookup(values: unknown, path: string): unknown {
  let cur = values;
  for (const key of path.split('.')) {
    if (!isRecord(cur)) {
      return undefined;
    }
    cur = cur[key];
  }
  return cur;
}

/**
 * Replaces `.Values.a.b` left by {@link sanitizeHelmTemplate} with the chart's
 * default from values.yaml, where that is a scalar. A value that is the whole
 * string keeps its type (a number stays a number).
 */
export function applyChartValues(value: unknown, values: unknown): unknown {
  if (typeof value === 'string') {
    const whole = /^\.Values\.([\w.]+)$/.exec(value);
    if (whole) {
      const v = lookup(values, whole[1]);
      if (['string', 'number', 'boolean'].includes(typeof v)) {
        return v;
      }
      return value;
    }
    return value.replace(/\.Values\.([\w.]+)/g, (ref, path: string) => {
      const v = lookup(values, path);
      return ['string', 'number', 'boolean'].includes(typeof v)
        ? String(v)
        : ref;
    });
  }
  if (Array.isArray(value)) {
    return value.map(v => applyChartValues(v, values));
  }
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, applyChartValues(v, values)]),
    );
  }
  return value;
}
