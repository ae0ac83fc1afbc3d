import { isRecord } from '../yaml';

/** A value the template cannot know without rendering (`.Release`, `include`, pipes). */
export const UNKNOWN = Symbol('unknown');

/**
 * What `.` means inside a template block: a values path ('' for `.Values`
 * itself), `null` inside `range` (an element nobody can name), or
 * undefined at the top, where `.` is the chart's root context.
 */
export type Dot = string | null | undefined;

export function lookupValues(values: unknown, path: string): unknown {
  let cur = values;
  for (const key of path ? path.split('.') : []) {
    if (!isRecord(cur)) {
      return undefined;
    }
    cur = cur[key];
  }
  return cur;
}

/**
 * The values path a reference names: `.Values.a.b` and `$.Values.a.b` give
 * `a.b`, `.` and `.x` give a path below the enclosing `with`. Anything else
 * (`.Release.Name`, `.Chart.Version`, `$var`) gives undefined.
 */
export function valuesPath(ref: string, dot: Dot): string | undefined {
  const m = /^\$?\.Values(?:\.([\w.-]+))?$/.exec(ref);
  if (m) {
    return m[1] ?? '';
  }
  if (typeof dot === 'string' && /^\.(?:[\w-]+(?:\.[\w-]+)*)?$/.test(ref)) {
    const rest = ref.slice(1);
    return [dot, rest].filter(Boolean).join('.');
  }
  return undefined;
}

/** Helm's truth: empty and zero values are false; unknown stays unknown. */
export function truthy(v: unknown): boolean | undefined {
  if (v === UNKNOWN) return undefined;
  if (Array.isArray(v)) return v.length > 0;
  if (isRecord(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

const TOKEN = /\(|\)|"(?:[^"\\]|\\.)*"|'[^']*'|[^\s()]+/g;

/**
 * Evaluates the condition of `if`/`with`/`range` as far as values decide it:
 * references, literals, `not`, `and`, `or`, `eq`, `ne`, `empty` and
 * parentheses. `values` undefined (no readable values.yaml), a pipe or any
 * other function makes the answer {@link UNKNOWN}.
 */
export function evaluateExpression(
  expr: string,
  values: unknown,
  dot: Dot,
): unknown {
  if (expr.includes('|')) return UNKNOWN;
  const tokens = expr.match(TOKEN) ?? [];
  let i = 0;
  function term(): unknown {
    const t = tokens[i++];
    if (t === undefined || t === ')') return UNKNOWN;
    if (t === '(') {
      let v = call();
      // Arguments left over mean a call we do not know (`.Capabilities.APIVersions.Has "x"`).
      while (i < tokens.length && tokens[i] !== ')') {
        term();
        v = UNKNOWN;
      }
      i++;
      return v;
    }
    if (/^["']/.test(t)) return t.slice(1, -1);
    if (/^-?\d+(?:\.\d+)?$/.test(t)) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
    if (t === 'nil') return null;
    if (t.startsWith('.') || t.startsWith('$.')) {
      const path = valuesPath(t, dot);
      return path === undefined || values === undefined
        ? UNKNOWN
        : lookupValues(values, path);
    }
    return fn(t);
  }
  // A function takes the terms up to the end of its group.
  function rest(): unknown[] {
    const args: unknown[] = [];
    while (i < tokens.length && tokens[i] !== ')') args.push(term());
    return args;
  }
  function fn(name: string): unknown {
    const args = rest();
    const truth = args.map(truthy);
    switch (name) {
      case 'not':
        return truth[0] === undefined ? UNKNOWN : !truth[0];
      case 'empty':
        return truth[0] === undefined ? UNKNOWN : !truth[0];
      case 'and':
        if (truth.includes(false)) return false;
        return truth.includes(undefined) ? UNKNOWN : true;
      case 'or':
        if (truth.includes(true)) return true;
        return truth.includes(undefined) ? UNKNOWN : false;
      case 'eq':
      case 'ne':
        if (args.length !== 2 || args.includes(UNKNOWN)) return UNKNOWN;
        return (args[0] === args[1]) === (name === 'eq');
      default:
        return UNKNOWN;
    }
  }
  function call(): unknown {
    const first = tokens[i];
    if (
      first !== undefined &&
      /^[a-z]\w*$/.test(first) &&
      !['true', 'false', 'nil'].includes(first)
    ) {
      i++;
      return fn(first);
    }
    return term();
  }
  const value = call();
  return i < tokens.length ? UNKNOWN : value;
}
