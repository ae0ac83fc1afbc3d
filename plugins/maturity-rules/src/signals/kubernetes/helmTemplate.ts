import { FileLocation, HELM_INCLUDE } from '../../model';
import { isRecord } from '../yaml';
import {
  Dot,
  evaluateExpression,
  lookupValues,
  truthy,
  valuesPath,
} from './helmExpression';

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/g;
const CONTROL =
  /^(?:(if|with|range|define|block)\b|else(?:\s+(if|with)\b)?|(end)\b)\s*(.*)$/;
// `toYaml .Values.x | nindent 8`, `.Values.x | toYaml | indent 8`, `toYaml .`
const TO_YAML = /^(?:toYaml\s+(\S+)|(\S+)\s*\|\s*toYaml)(?=\s|$)/;
const INDENT = /\|\s*n?indent\s+(\d+)/;
// `include "chart.podAnnotations" . | nindent 8`: a named template's output.
const INCLUDE = /^include\s+"([^"]+)"/;

const REF = /^(?:toYaml\s+)?(\$?\.[\w.-]*)(?=\s*(?:\||$))/;
/** The value of a placeholder key whose values are spliced into its map. */
const SPLICE = 'HELM_SPLICE';
const WHOLE_REF = /^\.Values\.([\w.-]+)$/;

/** One open `if`/`with`/`range`/`define` block. */
interface Block {
  /** Whether the branch being read renders: false no, undefined unknown (kept). */
  keep: boolean | undefined;
  /** A branch was taken (or kept as unknown), so later `else` branches are not. */
  decided: boolean;
  dot?: Dot;
}

const rendered = (stack: Block[]) => stack.every(b => b.keep !== false);

function dotOf(stack: Block[]): Dot {
  for (let i = stack.length - 1; i >= 0; i--) {
    if (stack[i].dot !== undefined) return stack[i].dot;
  }
  return undefined;
}

/** Applies a control action to the block stack; false when it is not one. */
function control(expr: string, stack: Block[], values: unknown): boolean {
  const m = CONTROL.exec(expr);
  if (!m) return false;
  const [, open, elseKind, end, arg] = m;
  const dot = dotOf(stack);
  const test = (kind: string) => {
    const v = evaluateExpression(arg, values, dot);
    if (kind === 'range') {
      // Inside a range `.` is an element nobody can name.
      return { keep: truthy(v) === false ? false : undefined, dot: null };
    }
    const ref = /^\S+$/.test(arg) ? valuesPath(arg, dot) : undefined;
    return {
      keep: truthy(v),
      dot: kind === 'with' ? ref ?? null : undefined,
    };
  };
  if (end) {
    stack.pop();
  } else if (open === 'define' || open === 'block') {
    // Named templates render where they are included, not here.
    stack.push({ keep: false, decided: true });
  } else if (open) {
    const t = test(open);
    stack.push({ ...t, decided: t.keep !== false });
  } else {
    const top = stack[stack.length - 1];
    if (!top) return true;
    const t = elseKind ? test(elseKind) : { keep: true, dot: undefined };
    top.keep = top.decided ? false : t.keep;
    top.dot = t.dot;
    top.decided = top.decided || t.keep !== false;
  }
  return true;
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/**
 * Whether a placeholder key at `indent` would sit among sequence items
 * (`- a`), where a key does not parse; then the line stays empty.
 */
function inSequence(
  out: string[],
  lines: string[],
  from: number,
  indent: number,
): boolean {
  const item = (line: string) =>
    indentOf(line) === indent && line.trimStart().startsWith('-');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i].trim() !== '') {
      if (item(out[i])) return true;
      break;
    }
  }
  for (let i = from + 1; i < lines.length; i++) {
    if (lines[i].replace(ACTION, '').trim() !== '') return item(lines[i]);
  }
  return false;
}

/**
 * Makes a Helm template parse as YAML without rendering it, keeping line
 * numbers: branches that the chart's values switch off become empty lines;
 * a line of only `{{ toYaml .Values.x | nindent 8 }}` becomes the key
 * `.Values.x: HELM_SPLICE` at that indent, one of only `{{ include "name" }}`
 * the key `HELM_INCLUDE.<line>: name`; other lines of only actions
 * become empty; an inline `{{ .Values.a.b }}` becomes the text `.Values.a.b`
 * (anything else `HELM_TEMPLATE`). {@link applyChartValues} fills them in.
 * Without `values` (no readable values.yaml) no branch is known to be off:
 * the first branch of each `if` stays, later ones go.
 */
export function sanitizeHelmTemplate(text: string, values?: unknown): string {
  const stack: Block[] = [];
  const lines = text.split('\n');
  const out: string[] = [];
  lines.forEach((line, index) => {
    if (!line.includes('{{')) {
      out.push(rendered(stack) ? line : '');
      return;
    }
    let kept = '';
    let literal = '';
    let last = 0;
    // Value actions on the line, with the values path a toYaml names.
    const inline: Array<{ expr: string; toYaml?: string }> = [];
    for (const m of line.matchAll(ACTION)) {
      const before = line.slice(last, m.index);
      last = m.index! + m[0].length;
      if (rendered(stack)) {
        kept += before;
        literal += before;
      }
      if (control(m[1], stack, values) || !rendered(stack)) continue;
      const dot = dotOf(stack);
      const ref = REF.exec(m[1])?.[1];
      const path = ref !== undefined ? valuesPath(ref, dot) : undefined;
      kept += path ? `.Values.${path}` : 'HELM_TEMPLATE';
      const toYaml = TO_YAML.exec(m[1]);
      inline.push({
        expr: m[1],
        toYaml: toYaml ? valuesPath(toYaml[1] ?? toYaml[2], dot) : undefined,
      });
    }
    if (rendered(stack)) {
      kept += line.slice(last);
      literal += line.slice(last);
    }
    if (literal.trim() !== '') {
      out.push(kept);
      return;
    }
    // Only actions: at most a toYaml of values, spliced in as a placeholder key.
    const only = inline.length === 1 ? inline[0] : undefined;
    const indent = Number(INDENT.exec(only?.expr ?? '')?.[1] ?? indentOf(line));
    const included = only && INCLUDE.exec(only.expr)?.[1];
    if (!only || inSequence(out, lines, index, indent)) {
      out.push('');
    } else if (only.toYaml) {
      out.push(`${' '.repeat(indent)}.Values.${only.toYaml}: ${SPLICE}`);
    } else if (included) {
      // One key per line, so two includes in one map do not collide.
      out.push(
        `${' '.repeat(indent)}${HELM_INCLUDE}.${index + 1}: ${included}`,
      );
    } else {
      out.push('');
    }
  });
  return out.join('\n');
}

/** A chart's values as templates see them, and where each one is set. */
export interface ChartValues {
  /** The merged values; undefined when they could not be read. */
  value: unknown;
  /** The values file (and line) that sets a dotted path. */
  locate(path: string): FileLocation;
}

/** Values taken as a whole (maps and lists), with the file that set them. */
export type ValueOrigins = Map<unknown, FileLocation>;

const SCALAR = ['string', 'number', 'boolean'];

/**
 * Replaces what {@link sanitizeHelmTemplate} left with the chart's values:
 * a whole `.Values.a.b` string with the value (a number stays a number, a
 * map stays a map), `.Values.a.b` inside a string with a scalar value, and a
 * `HELM_SPLICE` key with the entries of the map it names. Maps and lists
 * taken from values are noted in `origins` with the file that sets them.
 */
export function applyChartValues(
  value: unknown,
  values: ChartValues,
  origins: ValueOrigins = new Map(),
): unknown {
  const take = (path: string) => {
    const v = lookupValues(values.value, path);
    if (typeof v === 'object' && v !== null) {
      origins.set(v, values.locate(path));
    }
    return v;
  };
  const apply = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const whole = WHOLE_REF.exec(v);
      if (whole) {
        const found = take(whole[1]);
        return found === undefined || found === null ? v : found;
      }
      return v.replace(/\.Values\.([\w.-]+)/g, (ref, path: string) => {
        const found = lookupValues(values.value, path);
        return SCALAR.includes(typeof found) ? String(found) : ref;
      });
    }
    if (Array.isArray(v)) {
      return v.map(apply);
    }
    if (!isRecord(v)) {
      return v;
    }
    const entries = Object.entries(v);
    const splices = entries.filter(
      ([k, x]) => x === SPLICE && WHOLE_REF.test(k),
    );
    if (splices.length === 1 && entries.length === 1) {
      // The whole block comes from values: `resources:` + toYaml.
      return take(WHOLE_REF.exec(splices[0][0])![1]) ?? null;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of entries) {
      if (x === SPLICE && WHOLE_REF.test(k)) {
        const spliced = take(WHOLE_REF.exec(k)![1]);
        if (isRecord(spliced)) Object.assign(out, spliced);
      } else {
        out[k] = apply(x);
      }
    }
    return out;
  };
  return apply(value);
}
