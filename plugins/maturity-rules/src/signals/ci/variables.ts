import { isRecord } from '../yaml';
import { CommandLine } from './steps';

/**
 * Workflow variables a command may use in place of a tool or a file
 * (`$BUILD_CMD test`, `${{ matrix.cmd }} test`, `-f ${{ matrix.dockerfile }}`):
 * `env.X` and `matrix.X`, each with the values it can take.
 */
export type Variables = ReadonlyMap<string, readonly string[]>;

const MAX_VARIANTS = 4;
const scalar = (v: unknown) =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v).replace(/\s+/g, ' ')
    : undefined;
const EXPRESSION = /\$\{\{\s*(matrix|env)\.([\w-]+)\s*\}\}/g;
const SHELL_VARIABLE = /\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/g;

/** `strategy.matrix` of a job: each key's values, including `include` entries. */
function matrixValues(strategy: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const matrix = isRecord(strategy) ? strategy.matrix : undefined;
  if (!isRecord(matrix)) return out;
  const add = (key: string, value: unknown) => {
    const s = scalar(value);
    if (s === undefined) return;
    const list = out.get(`matrix.${key}`) ?? [];
    if (!list.includes(s)) list.push(s);
    out.set(`matrix.${key}`, list);
  };
  for (const [key, value] of Object.entries(matrix)) {
    if (key === 'include' && Array.isArray(value)) {
      value
        .filter(isRecord)
        .forEach(entry => Object.entries(entry).forEach(([k, v]) => add(k, v)));
    } else if (key !== 'exclude' && Array.isArray(value)) {
      value.forEach(v => add(key, v));
    }
  }
  return out;
}

/** Replaces `${{ matrix.x }}` / `${{ env.x }}` / `$X` in one text: up to MAX_VARIANTS texts. */
function expand(text: string, vars: Variables): string[] {
  const used = new Map<string, readonly string[]>();
  const lookup = (key: string) => {
    const values = vars.get(key);
    if (values && values.length > 0) used.set(key, values);
    return values;
  };
  text.replace(EXPRESSION, (_m, scope: string, name: string) => {
    lookup(`${scope}.${name}`);
    return '';
  });
  text.replace(SHELL_VARIABLE, (_m, braced?: string, bare?: string) => {
    lookup(`env.${braced ?? bare}`);
    return '';
  });
  if (used.size === 0) return [text];
  const count = Math.min(
    MAX_VARIANTS,
    Math.max(...[...used.values()].map(v => v.length)),
  );
  return Array.from({ length: count }, (_, i) => {
    const pick = (key: string, whole: string) => {
      const values = used.get(key);
      return values ? values[i % values.length] : whole;
    };
    return text
      .replace(EXPRESSION, (m, scope: string, name: string) =>
        pick(`${scope}.${name}`, m),
      )
      .replace(SHELL_VARIABLE, (m, braced?: string, bare?: string) =>
        pick(`env.${braced ?? bare}`, m),
      );
  });
}

/**
 * The variables of a job: the workflow's and the job's `env` (an env value
 * may name a matrix value), and its matrix. Later maps win.
 */
export function jobVariables(
  envs: unknown[],
  strategy: unknown,
  inherited: Variables = new Map(),
): Map<string, readonly string[]> {
  const vars = new Map<string, readonly string[]>([
    ...inherited,
    ...matrixValues(strategy),
  ]);
  for (const env of envs) {
    if (!isRecord(env)) continue;
    for (const [name, value] of Object.entries(env)) {
      const s = scalar(value);
      if (s !== undefined) vars.set(`env.${name}`, expand(s, vars));
    }
  }
  return vars;
}

/** Adds a step's own `env` to the job's variables. */
export function withStepEnv(vars: Variables, env: unknown): Variables {
  return isRecord(env) ? jobVariables([env], undefined, vars) : vars;
}

/** Each command line with its variables replaced; one line per value, at the same line. */
export function substitute(
  lines: CommandLine[],
  vars: Variables,
): CommandLine[] {
  if (vars.size === 0) return lines;
  return lines.flatMap(l => expand(l.text, vars).map(text => ({ ...l, text })));
}
