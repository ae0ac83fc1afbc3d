import { ToolPatterns } from '../tools';
import { asString, asStringList, isRecord, YamlDoc } from '../yaml';
import { githubTriggers, refCondition } from './githubTriggers';
import {
  addJob,
  emptyPipeline,
  finishPipeline,
  ParsedPipeline,
} from './pipeline';
import { commandLines, StepInput } from './steps';

const SHA_PIN = /@[0-9a-f]{40}$/i;

/** Composite actions in the repo, by directory (`.github/actions/build`). */
export type LocalActions = ReadonlyMap<string, StepInput[]>;

/** The steps of a `steps:` list at `path` (non-object entries are skipped). */
function readSteps(
  file: string,
  doc: YamlDoc,
  path: Array<string | number>,
  steps: unknown,
  jobMayFail: boolean,
): StepInput[] {
  if (!Array.isArray(steps)) {
    return [];
  }
  const out: StepInput[] = [];
  steps.forEach((step, i) => {
    if (!isRecord(step)) {
      return;
    }
    const stepPath = [...path, i];
    const run = asString(step.run);
    const runLine = doc.lineAt([...stepPath, 'run']);
    const firstCommandLine =
      runLine !== undefined && doc.isBlockScalar([...stepPath, 'run'])
        ? runLine + 1
        : runLine;
    out.push({
      file,
      line: doc.lineAt(stepPath),
      name: asString(step.name),
      commands: run ? commandLines(run, firstCommandLine) : [],
      uses: asString(step.uses),
      inputs: isRecord(step.with) ? step.with : undefined,
      mayFail: jobMayFail || step['continue-on-error'] === true,
    });
  });
  return out;
}

/** Reads a composite action (`.github/actions/x/action.yml`): its `runs.steps`. */
export function parseCompositeAction(file: string, doc: YamlDoc): StepInput[] {
  const runs = isRecord(doc.value) ? doc.value.runs : undefined;
  if (!isRecord(runs)) {
    return [];
  }
  return readSteps(file, doc, ['runs', 'steps'], runs.steps, false);
}

function environmentName(env: unknown): string | undefined {
  if (isRecord(env)) {
    return asString(env.name);
  }
  return asString(env);
}

/** Own `if:` plus the `if:`s of the jobs it needs, as GitHub skips dependants of skipped jobs. */
function effectiveCondition(
  jobs: Record<string, unknown>,
  id: string,
  visiting = new Set<string>(),
): string {
  const job = jobs[id];
  if (!isRecord(job) || visiting.has(id)) {
    return '';
  }
  visiting.add(id);
  const own = asString(job.if) ?? '';
  if (refCondition(own)) {
    return own;
  }
  const inherited = (asStringList(job.needs) ?? [])
    .map(n => effectiveCondition(jobs, n, visiting))
    .filter(c => c && refCondition(c));
  return [own, ...inherited].filter(Boolean).join(' && ');
}

/**
 * Parses one GitHub Actions workflow. Deploy jobs are jobs with an
 * `environment`, a `deploy` in their id or name, or a recognised deploy step.
 */
export function parseGithubWorkflow(
  file: string,
  doc: YamlDoc,
  patterns: ToolPatterns,
  localActions: LocalActions = new Map(),
): ParsedPipeline {
  const pipeline = emptyPipeline('github-actions', file);
  const environments: ParsedPipeline['environments'] = [];
  const wf = isRecord(doc.value) ? doc.value : {};
  const triggers = githubTriggers(wf.on ?? wf.true);
  pipeline.triggers = triggers;
  const jobs = isRecord(wf.jobs) ? wf.jobs : {};
  // Only by hand: a person decides when it runs.
  const manualOnly =
    triggers.manual &&
    !triggers.pushDefaultBranch &&
    !triggers.tags &&
    !triggers.pullRequest &&
    !triggers.schedule;

  const countAction = (uses: string | undefined) => {
    if (!uses || uses.startsWith('./')) {
      return;
    }
    pipeline.actions.total++;
    if (SHA_PIN.test(uses) || /@sha256:[0-9a-f]{64}$/i.test(uses)) {
      pipeline.actions.pinnedBySha++;
    }
  };

  for (const [id, job] of Object.entries(jobs)) {
    if (!isRecord(job)) {
      continue;
    }
    const jobPath = ['jobs', id];
    countAction(asString(job.uses));
    const steps = readSteps(
      file,
      doc,
      [...jobPath, 'steps'],
      job.steps,
      job['continue-on-error'] === true,
    ).flatMap(step => {
      countAction(step.uses);
      const local = step.uses?.startsWith('./')
        ? localActions.get(step.uses.replace(/^\.\//, '').replace(/\/$/, ''))
        : undefined;
      return local ? [step, ...local] : [step];
    });

    const scope = refCondition(effectiveCondition(jobs, id));
    const environment = environmentName(job.environment);
    const envLine = doc.lineAt([...jobPath, 'environment']);
    if (environment) {
      environments.push({
        name: environment,
        file,
        ...(envLine !== undefined ? { line: envLine } : {}),
      });
    }
    const name = `${id} ${asString(job.name) ?? ''}`;
    const approvalStep = steps.some(s => /approval/i.test(s.uses ?? ''));
    addJob(
      pipeline,
      {
        id,
        file,
        line: envLine ?? doc.lineAt(jobPath),
        environment,
        onDefaultBranch:
          triggers.pushDefaultBranch && (scope?.defaultBranch ?? true),
        onTags: triggers.tags && (scope?.tags ?? true),
        manualApproval: manualOnly || approvalStep,
        looksLikeDeploy:
          environment !== undefined ||
          /deploy/i.test(name) ||
          /deploy/i.test(asString(job.uses) ?? ''),
      },
      steps,
      patterns,
    );
  }
  return { pipeline: finishPipeline(pipeline), environments };
}
