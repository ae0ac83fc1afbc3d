import { ToolPatterns } from '../tools';
import {
  addJob,
  emptyPipeline,
  finishPipeline,
  ParsedPipeline,
} from './pipeline';
import { jenkinsLibraries } from './sharedReferences';
import { StepInput } from './steps';

const STAGE = /\bstage\s*\(\s*['"]([^'"]+)['"]/;
const ENV_NAME = /\b(production|prod|staging|stage|preprod|dev|qa|uat)\b/i;

interface Stage {
  name: string;
  line?: number;
  lines: Array<{ text: string; line: number }>;
}

/** Splits a Jenkinsfile at `stage('...')` lines; text before the first stage is stage "". */
function stages(text: string): Stage[] {
  const out: Stage[] = [{ name: '', lines: [] }];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('//')) {
      return;
    }
    const m = STAGE.exec(trimmed);
    if (m) {
      out.push({ name: m[1], line, lines: [] });
    }
    out[out.length - 1].lines.push({ text: trimmed, line });
  });
  return out;
}

/**
 * Reads a Jenkinsfile with text heuristics (it is Groovy, not data).
 * A Jenkinsfile in the repository is assumed to be run by a multibranch
 * pipeline, which builds pull requests and every branch: so `pullRequest` and
 * `pushDefaultBranch` are true. Stages named deploy/release/promote, or with a
 * deploy command, are deploy jobs; `input` in a stage is a manual approval.
 */
export function parseJenkinsfile(
  file: string,
  text: string,
  patterns: ToolPatterns,
): ParsedPipeline {
  const pipeline = emptyPipeline('jenkins', file);
  const environments: ParsedPipeline['environments'] = [];
  const tags = /buildingTag\s*\(\)|\btag\s+['"]|TAG_NAME/.test(text);
  pipeline.triggers = {
    pullRequest: true,
    pushDefaultBranch: true,
    tags,
    schedule: /\bcron\s*\(/.test(text),
    manual: /\bparameters\s*\{/.test(text),
  };
  for (const lib of jenkinsLibraries(text)) {
    pipeline.shared.push({
      file,
      line: lib.line,
      kind: 'library',
      ref: lib.name,
      status: 'not-inspected',
      reason: 'a Jenkins shared library: a shared pipeline, not inspected',
    });
  }
  for (const stage of stages(text)) {
    const body = stage.lines.map(l => l.text).join('\n');
    const steps: StepInput[] = stage.lines.map(l => ({
      file,
      line: l.line,
      name: l.line === stage.line ? stage.name : undefined,
      commands: [{ text: l.text, line: l.line }],
      mayFail: /returnStatus\s*:\s*true|catchError|unstable\s*\(/.test(l.text),
    }));
    const branchClause = /\bbranch\s+['"]([^'"]+)['"]/.exec(body);
    const tagClause = /buildingTag\s*\(\)|\btag\s+['"]/.test(body);
    const environment = ENV_NAME.exec(stage.name)?.[1];
    if (environment && stage.line !== undefined) {
      environments.push({ name: environment, file, line: stage.line });
    }
    addJob(
      pipeline,
      {
        id: stage.name,
        file,
        line: stage.line,
        environment,
        onDefaultBranch: branchClause
          ? /^(main|master)$/.test(branchClause[1])
          : !tagClause,
        onTags: tagClause || (!branchClause && tags),
        manualApproval: /\binput\s*[({'"]|\binput\s+message/.test(body),
        // A stage's name is no evidence; its steps decide.
        looksLikeDeploy: false,
      },
      steps,
      patterns,
    );
  }
  return {
    pipeline: finishPipeline(pipeline),
    environments,
    notes: pipeline.shared.map(use => ({
      file,
      message: `@Library ${use.ref}: ${use.reason}`,
    })),
  };
}
