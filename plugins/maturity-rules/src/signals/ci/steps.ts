import { FileLocation, FoundScanner, FoundTool, ImageBuild } from '../../model';
import { ToolPatterns, ToolRule } from '../tools';
import { imageTagsIn } from './imageTags';

/** One command line of a step, with its line in the file when known. */
export interface CommandLine {
  text: string;
  line?: number;
}

/** A CI step in a system-neutral shape. */
export interface StepInput {
  file: string;
  line?: number;
  name?: string;
  /** Shell lines (`run:`, `script:`, `sh '...'`). */
  commands: CommandLine[];
  /** A referenced action/task/orb, e.g. `aquasecurity/trivy-action@0.28.0`. */
  uses?: string;
  /** Inputs of that action (`with:`). */
  inputs?: Record<string, unknown>;
  /** `continue-on-error: true`, `allow_failure: true`: the step cannot fail the build. */
  mayFail?: boolean;
  /** For a step of a shared file: where it was read, and the calling file. */
  url?: string;
  calledFrom?: FileLocation['calledFrom'];
}

export interface StepFindings {
  tests: FoundTool[];
  smokeTests: FoundTool[];
  imageBuilds: ImageBuild[];
  deploys: FoundTool[];
  /** Starts of a throwaway instance, and probes (see `ToolPatterns`). */
  localInstances: FoundTool[];
  probes: FoundTool[];
  scanners: FoundScanner[];
  tools: string[];
  /** An overlay or values file the step mentions (for scan targets). */
  target?: string;
}

// Where a rendered environment shows in a command: a kustomize overlay dir
// or a Helm values file for one environment.
// Each starts where a path starts: tried from every character of a long
// step, `(?:[\w.-]+\/)*` alone would be quadratic.
const TARGET_PATTERNS = [
  /(?<![\w./-])(?:[\w.-]+\/)*overlays\/[\w.-]+/,
  /(?<![\w./-])(?:[\w.-]+\/)*values[-.][\w.-]+?\.ya?ml/,
  /(?<![\w./-])(?:[\w.-]+\/)*(?:environments|envs)\/[\w.-]+/,
];

export function findTarget(text: string): string | undefined {
  for (const p of TARGET_PATTERNS) {
    const m = p.exec(text);
    if (m) {
      return m[0].replace(/\/$/, '');
    }
  }
  return undefined;
}

/** `uses owner/action@ref key=value ...` so that rules can look at inputs. */
function serialiseUses(uses: string, inputs?: Record<string, unknown>): string {
  const parts = [`uses ${uses}`];
  for (const key of Object.keys(inputs ?? {}).sort()) {
    const v = inputs![key];
    if (
      typeof v === 'string' ||
      typeof v === 'number' ||
      typeof v === 'boolean'
    ) {
      parts.push(`${key}=${String(v).replace(/\s+/g, ' ').trim()}`);
    }
  }
  return parts.join(' ');
}

/** Joins shell continuation lines so a flag on the next line counts. */
export function commandLines(
  text: string,
  firstLine: number | undefined,
): CommandLine[] {
  const out: CommandLine[] = [];
  let pending: CommandLine | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = firstLine === undefined ? undefined : firstLine + i;
    const trimmed = raw.trim();
    if (pending) {
      pending.text += ` ${trimmed.replace(/\\$/, '')}`;
    } else if (trimmed && !trimmed.startsWith('#')) {
      pending = { text: trimmed.replace(/\\$/, ''), line };
    }
    if (pending && !trimmed.endsWith('\\')) {
      out.push(pending);
      pending = undefined;
    }
  });
  if (pending) {
    out.push(pending);
  }
  return out;
}

// Lines besides the build line that name the pushed image.
const PUSH_OR_USES =
  /^uses |\b(?:docker|podman|buildah)\s+(?:image\s+)?(?:tag|push)\b/;

/**
 * Recognises tests, builds, deploys and scanners in one step. Each tool is
 * reported once per step, at the first line that shows it.
 */
export function recognizeStep(
  step: StepInput,
  patterns: ToolPatterns,
): StepFindings {
  const findings: StepFindings = {
    tests: [],
    smokeTests: [],
    imageBuilds: [],
    deploys: [],
    localInstances: [],
    probes: [],
    scanners: [],
    tools: [],
  };
  const lines: CommandLine[] = [...step.commands];
  if (step.uses) {
    lines.unshift({
      text: serialiseUses(step.uses, step.inputs),
      line: step.line,
    });
  }
  const fullText = lines.map(l => l.text).join('\n');
  const isBuild = (l: CommandLine) =>
    patterns.imageBuilds.some(r => r.pattern.test(l.text));
  const seen = new Set<string>();
  const tools = new Set<string>();
  const at = (line?: number) => ({
    file: step.file,
    ...(line !== undefined ? { line } : {}),
    ...(step.url ? { url: step.url } : {}),
    ...(step.calledFrom ? { calledFrom: step.calledFrom } : {}),
  });
  const addOnce = (
    list: FoundTool[],
    key: string,
    tool: string,
    line?: number,
  ) => {
    if (!seen.has(key)) {
      seen.add(key);
      list.push({ tool, ...at(line) });
      tools.add(tool);
    }
  };

  for (const l of lines) {
    let lower: string | undefined;
    const tried = (r: ToolRule) =>
      !r.requires ||
      r.requires.some(w => (lower ??= l.text.toLowerCase()).includes(w));
    for (const [list, rules, prefix] of [
      [findings.tests, patterns.tests, 'test'],
      [findings.smokeTests, patterns.smokeTests, 'smoke'],
      [findings.imageBuilds, patterns.imageBuilds, 'build'],
      [findings.deploys, patterns.deploys, 'deploy'],
      [findings.localInstances, patterns.localInstances, 'local'],
      [findings.probes, patterns.probes, 'probe'],
    ] as const) {
      for (const r of rules) {
        if (tried(r) && r.pattern.test(l.text)) {
          addOnce(list, `${prefix}:${r.tool}`, r.tool, l.line ?? step.line);
        }
      }
    }
    for (const r of patterns.scanners) {
      if (!r.pattern.test(l.text)) {
        continue;
      }
      const key = `scan:${r.kind}:${r.tool}`;
      if (seen.has(key)) {
        continue;
      }
      seen.add(key);
      tools.add(r.tool);
      const reportOnly =
        step.mayFail === true ||
        patterns.reportOnly.some(p => p.test(l.text)) ||
        (r.blockingOnlyWith !== undefined &&
          !r.blockingOnlyWith.test(fullText));
      findings.scanners.push({
        tool: r.tool,
        kind: r.kind,
        blocking: !reportOnly,
        ...at(l.line ?? step.line),
      });
    }
    const other = patterns.otherTools.filter(r => r.pattern.test(l.text));
    other.forEach(r => tools.add(r.tool));
  }

  // A step named "Smoke test" counts when it probes something (plain curl
  // against a deployed URL); the name alone is not evidence.
  if (step.name && findings.probes.length > 0 && /smoke/i.test(step.name)) {
    addOnce(findings.smokeTests, 'smoke:smoke test', 'smoke test', step.line);
  }
  if (findings.imageBuilds.length > 0) {
    // The tags the step's builds are pushed with, for the container-image check.
    const tags = [
      ...new Set([
        ...lines
          .filter(l => PUSH_OR_USES.test(l.text) || isBuild(l))
          .flatMap(l => imageTagsIn(l.text)),
        // A tool that pushes what its own config names (goreleaser).
        ...patterns.imageBuilds
          .filter(r => r.tags && lines.some(l => r.pattern.test(l.text)))
          .flatMap(r => r.tags!),
      ]),
    ];
    if (tags.length > 0) findings.imageBuilds.forEach(b => (b.tags = tags));
  }
  findings.target = findTarget(fullText);
  findings.tools = [...tools].sort();
  return findings;
}
