/**
 * Reads the root Makefile (and the root files it includes, such as
 * Makefile.common) far enough to tell what `make <target>` runs: the
 * target's recipe, and the recipes of its prerequisites and of the targets
 * it calls with `$(MAKE)`, a few levels deep. Only simple variables and
 * `$(addprefix ...)` are expanded; anything else stays as written.
 */

interface Rule {
  targets: string[];
  prerequisites: string[];
  recipe: string[];
}

export interface Makefile {
  /** The first target: what a bare `make` runs. */
  defaultGoal?: string;
  /** Every target named literally (pattern targets are left out). */
  targets: string[];
  /** The command lines `make <target>` runs, with variables expanded. */
  resolve(target: string): string[];
}

const MAX_DEPTH = 4;
const MAX_LINES = 300;
const MAX_RULE_VISITS = 200;
const ASSIGNMENT =
  /^(?:export\s+|override\s+)?([A-Za-z_][\w.-]*)\s*(\?|:{1,3}|\+|!)?=\s*(.*)$/;
const RULE = /^([^\s#:=][^:=]*?)\s*::?(?!=)\s*(.*)$/;
const INCLUDE = /^-?include\s+(.+)$/;

/** Lines with `\` continuations joined; comments dropped outside recipes. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    out.push(pending + line);
    pending = '';
  }
  if (pending) out.push(pending);
  return out;
}

/**
 * Parses the root make files. `readFile` gives the text of a root-level file
 * that was read, for `include`; files not read are skipped.
 */
export function parseMakefile(
  text: string,
  readFile: (name: string) => string | undefined,
): Makefile {
  const vars = new Map<string, string>();
  const rules: Rule[] = [];
  const seenFiles = new Set<string>();
  let defaultGoal: string | undefined;

  const expand = (value: string, depth = 0): string => {
    if (depth > 5 || !value.includes('$')) return value;
    return value.replace(
      /\$(?:\(([^()$]*(?:\$[({][^(){}$]*[)}][^()$]*)*)\)|\{([^{}$]*)\}|\$)/g,
      (whole, paren?: string, brace?: string) => {
        if (whole === '$$') return '$';
        const inner = (paren ?? brace ?? '').trim();
        if (inner === 'MAKE') return 'make';
        const call = /^addprefix\s+([^,]*),(.*)$/.exec(inner);
        if (call) {
          const prefix = expand(call[1], depth + 1);
          return expand(call[2], depth + 1)
            .split(/\s+/)
            .filter(Boolean)
            .map(w => prefix + w)
            .join(' ');
        }
        const v = vars.get(inner);
        return v === undefined ? whole : expand(v, depth + 1);
      },
    );
  };

  const read = (source: string) => {
    let current: Rule | undefined;
    let inDefine = false;
    for (const line of logicalLines(source)) {
      // A `define` block is a macro body, not rules.
      if (inDefine || /^define\s/.test(line)) {
        inDefine = !/^endef\b/.test(line);
        continue;
      }
      if (line.startsWith('\t')) {
        const cmd = line.trim().replace(/^[@+-]+/, '');
        if (current && cmd && !cmd.startsWith('#')) current.recipe.push(cmd);
        continue;
      }
      const trimmed = line.replace(/(^|\s)#.*$/, '').trim();
      if (!trimmed) continue;
      current = undefined;
      const include = INCLUDE.exec(trimmed);
      if (include) {
        for (const name of expand(include[1]).split(/\s+/)) {
          const included = seenFiles.has(name) ? undefined : readFile(name);
          if (included !== undefined) {
            seenFiles.add(name);
            read(included);
          }
        }
        continue;
      }
      const assignment = ASSIGNMENT.exec(trimmed);
      if (assignment) {
        const [, name, op, value] = assignment;
        if (op === '?' && vars.has(name)) continue;
        vars.set(name, op === '+' ? `${vars.get(name) ?? ''} ${value}` : value);
        continue;
      }
      const rule = RULE.exec(trimmed);
      if (!rule || /^(?:if|else|endif|define|endef)\b/.test(trimmed)) continue;
      // `targets: target-pattern: prerequisites` (a static pattern rule).
      const parts = rule[2].split(/(?<!:):(?!=)/);
      const isStatic = parts.length > 1 && parts[0].includes('%');
      const targets = (isStatic ? parts[0] : expand(rule[1]))
        .split(/\s+/)
        .filter(t => t && !t.startsWith('.'));
      const [prereqText, inline] = (isStatic ? parts[1] : rule[2]).split(';');
      current = {
        targets,
        prerequisites: expand(prereqText ?? '')
          .split(/[\s|]+/)
          .filter(Boolean),
        recipe: inline?.trim() ? [inline.trim()] : [],
      };
      rules.push(current);
      defaultGoal ??= targets.find(t => !t.includes('%'));
    }
  };
  read(text);

  const matches = (pattern: string, name: string): string | undefined => {
    if (!pattern.includes('%')) return pattern === name ? '' : undefined;
    const [pre, post] = pattern.split('%', 2);
    return name.length >= pre.length + post.length &&
      name.startsWith(pre) &&
      name.endsWith(post)
      ? name.slice(pre.length, name.length - post.length)
      : undefined;
  };

  const cache = new Map<string, string[]>();
  // Bounds the work of one resolution on wide prerequisite trees.
  let budget = 0;
  const resolve = (
    name: string,
    depth = 0,
    seen = new Set<string>(),
  ): string[] => {
    const cached = cache.get(name);
    if (cached) return cached;
    if (depth === 0) budget = MAX_RULE_VISITS;
    const out: string[] = [];
    if (depth > MAX_DEPTH || seen.has(name) || --budget < 0) return out;
    seen.add(name);
    for (const r of rules) {
      for (const t of r.targets) {
        const stem = matches(t, name);
        if (stem === undefined) continue;
        // `%: common-%` passes every target on: not again to `common-common-x`.
        const prereqs = r.prerequisites
          .filter(p => !(t === '%' && name.startsWith(p.split('%')[0])))
          .map(p => p.replace('%', stem));
        for (const p of prereqs) {
          out.push(...resolve(p, depth + 1, seen));
        }
        for (const raw of r.recipe) {
          const cmd = expand(raw.replace(/\$\*/g, stem).replace(/\$@/g, name));
          out.push(cmd);
          const sub = /\bmake\b((?:\s+[^\s;&|]+)+)/.exec(cmd);
          sub?.[1]
            .split(/\s+/)
            .filter(w => w && !w.startsWith('-') && !w.includes('='))
            .forEach(w => out.push(...resolve(w, depth + 1, seen)));
        }
        break;
      }
      if (out.length > MAX_LINES) break;
    }
    seen.delete(name);
    // Cached at any depth: a shared prerequisite is resolved once.
    const lines = [...new Set(out)].slice(0, MAX_LINES);
    cache.set(name, lines);
    return lines;
  };

  const targets = [
    ...new Set(rules.flatMap(r => r.targets).filter(t => !t.includes('%'))),
  ];
  return { defaultGoal, targets, resolve: name => resolve(name) };
}
