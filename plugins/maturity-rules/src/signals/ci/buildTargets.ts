import { ToolPatterns, ToolRule } from '../tools';
import { asString, isRecord, YamlDoc } from '../yaml';
import { parseMakefile } from './makefile';

/**
 * CI often runs a build tool's target (`make docker`, `npm run test:unit`,
 * `task image`) or a tool driven by its own config (goreleaser). This reads
 * the root Makefile, package.json scripts and Taskfile, and the root
 * .goreleaser.yml, and turns each target whose recipe tests, builds an
 * image, deploys or starts an instance into a rule that matches the CI
 * command calling it, named `make docker (docker build)` so an owner sees why.
 */

type Kind =
  | 'tests'
  | 'imageBuilds'
  | 'deploys'
  | 'smokeTests'
  | 'localInstances';
const KINDS: Kind[] = [
  'tests',
  'imageBuilds',
  'deploys',
  'smokeTests',
  'localInstances',
];

const MAKEFILE = /^(?:GNUmakefile|[Mm]akefile)$/;
const GORELEASER = /^\.goreleaser\.ya?ml$/;
const TASKFILE = /^Taskfile\.ya?ml$/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// The target as a whole word: followed by the end, a space or a shell separator.
const END = String.raw`(?=$|[\s;&|)'"])`;

// A target named as a test: `make run-telemetry-tests`, `task test:e2e`.
const TEST_TARGET =
  /[\s:-](?:test|tests|e2e|smoke|verify|integration)(?:$|[\s:-])/;

/** Adds, per kind, a rule for `invocation` when one of `lines` matches that kind. */
function addTargetRules(
  out: Record<Kind, ToolRule[]>,
  patterns: ToolPatterns,
  label: string,
  invocation: RegExp,
  lines: string[],
): void {
  const found = new Map<Kind, ToolRule>();
  const distinct = [...new Set(lines)];
  for (const kind of KINDS) {
    const rule = patterns[kind].find(r =>
      distinct.some(l => r.pattern.test(l)),
    );
    if (rule) found.set(kind, rule);
  }
  // A test target that starts the service first (compose up, kind) tests a
  // running instance, whatever runs the tests inside it.
  const start = found.get('localInstances');
  if (start && !found.has('smokeTests') && TEST_TARGET.test(label)) {
    found.set('smokeTests', { ...start, tool: `${start.tool} and tests` });
    if (!found.has('tests')) found.set('tests', found.get('smokeTests')!);
  }
  for (const [kind, rule] of found) {
    out[kind].push({ tool: `${label} (${rule.tool})`, pattern: invocation });
  }
}

/** The targets CI files name after `make` (pattern rules make them unlistable otherwise). */
function invokedMakeTargets(ciTexts: string[]): string[] {
  const out = new Set<string>();
  for (const text of ciTexts) {
    for (const m of text.matchAll(/\bg?make\b((?:[ \t]+[^\s;&|)'"`]+)+)/g)) {
      m[1]
        .trim()
        .split(/\s+/)
        .filter(w => /^[\w][\w./-]*$/.test(w))
        .forEach(w => out.add(w));
    }
  }
  return [...out];
}

function makeRules(
  out: Record<Kind, ToolRule[]>,
  patterns: ToolPatterns,
  texts: ReadonlyMap<string, string>,
  ciTexts: string[],
): void {
  const root = [...texts.keys()].find(p => MAKEFILE.test(p));
  if (!root) return;
  const mk = parseMakefile(texts.get(root)!, name =>
    texts.get(name.replace(/^\.\//, '')),
  );
  // Only targets CI can name: after `make`, or as a word anywhere in a CI
  // file (Cloud Build's `entrypoint: make` with `args: [push]`).
  const words = new Set(ciTexts.flatMap(t => t.split(/[^\w./-]+/)));
  const targets = new Set([
    ...mk.targets.filter(t => words.has(t)),
    ...invokedMakeTargets(ciTexts),
  ]);
  for (const target of targets) {
    addTargetRules(
      out,
      patterns,
      `make ${target}`,
      new RegExp(
        String.raw`\bg?make\b(?:\s+(?:-\S+|[\w./][\w./-]*(?:=\S*)?))*?\s+${escape(
          target,
        )}${END}`,
      ),
      mk.resolve(target),
    );
  }
  if (mk.defaultGoal) {
    // A bare `make` (flags and variables only) runs the first target.
    addTargetRules(
      out,
      patterns,
      'make',
      /\bg?make(?:\s+(?:-[\w-]+|\w+=\S*))*\s*(?:$|[;&|])/,
      mk.resolve(mk.defaultGoal),
    );
  }
}

function packageScriptRules(
  out: Record<Kind, ToolRule[]>,
  patterns: ToolPatterns,
  text: string | undefined,
  ciTexts: string[],
): void {
  if (!text) return;
  let scripts: unknown;
  try {
    scripts = (JSON.parse(text) as { scripts?: unknown })?.scripts;
  } catch {
    return; // not JSON: nothing to resolve
  }
  if (!isRecord(scripts)) return;
  const all = new Map(
    Object.entries(scripts).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
  // Only scripts CI can name (`npm run test:e2e`): a package.json may have dozens.
  const words = new Set(ciTexts.flatMap(t => t.split(/[^\w.:/-]+/)));
  for (const [name, script] of all) {
    if (!words.has(name)) continue;
    // One level down: a script that runs another script.
    const called = [
      ...script.matchAll(/\b(?:npm|yarn|pnpm)\s+(?:run\s+)?([\w:.-]+)/g),
    ]
      .map(m => all.get(m[1]))
      .filter((s): s is string => !!s);
    addTargetRules(
      out,
      patterns,
      `npm run ${name}`,
      new RegExp(
        String.raw`\b(?:npm\s+run(?:-script)?|yarn(?:\s+run)?|pnpm(?:\s+run)?|bun\s+run)\s+${escape(
          name,
        )}${END}`,
      ),
      [script, ...called],
    );
  }
}

function taskfileRules(
  out: Record<Kind, ToolRule[]>,
  patterns: ToolPatterns,
  doc: YamlDoc | undefined,
): void {
  const tasks =
    doc && isRecord(doc.value) && isRecord(doc.value.tasks)
      ? doc.value.tasks
      : {};
  const commandsOf = (task: unknown): string[] => {
    const cmds = isRecord(task) ? task.cmds ?? task.cmd : task;
    return (Array.isArray(cmds) ? cmds : [cmds]).flatMap(c =>
      isRecord(c) ? [asString(c.cmd) ?? ''] : [asString(c) ?? ''],
    );
  };
  for (const [name, task] of Object.entries(tasks)) {
    const deps = isRecord(task) && Array.isArray(task.deps) ? task.deps : [];
    const lines = [
      ...commandsOf(task),
      // One level down: the tasks it depends on or calls.
      ...[
        ...deps,
        ...(isRecord(task) && Array.isArray(task.cmds) ? task.cmds : []),
      ].flatMap(d => {
        const ref = isRecord(d) ? asString(d.task) : asString(d);
        return ref && ref in tasks ? commandsOf(tasks[ref]) : [];
      }),
    ];
    addTargetRules(
      out,
      patterns,
      `task ${name}`,
      new RegExp(String.raw`\btask\s+(?:-\S+\s+)*${escape(name)}${END}`),
      lines,
    );
  }
}

/** goreleaser builds images only when its config has `dockers`/`dockers_v2` or `kos`. */
function goreleaserRules(
  out: Record<Kind, ToolRule[]>,
  doc: YamlDoc | undefined,
): void {
  const config = doc && isRecord(doc.value) ? doc.value : {};
  const builder = Array.isArray(config.kos)
    ? 'kos'
    : ['dockers', 'dockers_v2'].find(k => Array.isArray(config[k]));
  if (builder) {
    const tags = goreleaserImages(config);
    out.imageBuilds.push({
      tool: `goreleaser (${builder})`,
      pattern:
        /\bgoreleaser\s+(?:release|build)\b(?!.*--snapshot.*--skip[= ]\S*docker)|goreleaser\/goreleaser-action/,
      ...(tags.length ? { tags } : {}),
    });
  }
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
const entries = (v: unknown) => (Array.isArray(v) ? v.filter(isRecord) : []);

/** The image references goreleaser pushes: `dockers`, `dockers_v2`, manifests, `kos`. */
function goreleaserImages(config: Record<string, unknown>): string[] {
  const refs = [
    ...entries(config.dockers).flatMap(d => strings(d.image_templates)),
    ...entries(config.docker_manifests).flatMap(d =>
      strings([d.name_template]),
    ),
    ...entries(config.dockers_v2).flatMap(d =>
      strings(d.images).flatMap(image =>
        strings(d.tags).map(tag => `${image}:${tag}`),
      ),
    ),
    ...entries(config.kos).flatMap(k =>
      strings(k.tags).map(tag => `${asString(k.repository) ?? 'ko'}:${tag}`),
    ),
  ];
  // `{{ .Tag }}` as one word, as CI commands are read.
  return [
    ...new Set(refs.map(r => r.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, '{{$1}}'))),
  ];
}

/** The rules for the repository's own targets, to add to the defaults. */
export function buildTargetRules(
  paths: ReadonlyArray<string>,
  texts: ReadonlyMap<string, string>,
  yaml: ReadonlyMap<string, YamlDoc[]>,
  patterns: ToolPatterns,
  ciTexts: string[],
): Partial<ToolPatterns> {
  const out: Record<Kind, ToolRule[]> = {
    tests: [],
    imageBuilds: [],
    deploys: [],
    smokeTests: [],
    localInstances: [],
  };
  makeRules(out, patterns, texts, ciTexts);
  packageScriptRules(out, patterns, texts.get('package.json'), ciTexts);
  const first = (re: RegExp) => {
    const path = paths.find(p => re.test(p));
    return path ? yaml.get(path)?.[0] : undefined;
  };
  taskfileRules(out, patterns, first(TASKFILE));
  goreleaserRules(out, first(GORELEASER));
  return out;
}
