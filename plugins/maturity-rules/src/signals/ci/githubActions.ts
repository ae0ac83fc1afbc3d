import { SharedCiUse } from '../../model';
import { ToolPatterns } from '../tools';
import { asString, asStringList, isRecord, YamlDoc } from '../yaml';
import { githubTriggers, refCondition } from './githubTriggers';
import {
  addJob,
  emptyPipeline,
  finishPipeline,
  ParsedPipeline,
} from './pipeline';
import {
  noSharedCi,
  parseGithubUses,
  referenceKey,
  SharedCiContext,
  SharedCiFile,
  SharedTarget,
  sharedUse,
} from './sharedReferences';
import { commandLines, StepInput } from './steps';

const SHA_PIN = /@[0-9a-f]{40}$/i;

/** Composite actions in the repo, by directory (`.github/actions/build`). */
export type LocalActions = ReadonlyMap<string, StepInput[]>;

/**
 * A file whose jobs or steps are read: a file of the repository, or a shared
 * workflow or action it calls (with where it was read and the calling file).
 */
export interface Source {
  file: string;
  doc: YamlDoc;
  url?: string;
  calledFrom?: { file: string; line?: number };
  /** Where a shared file lives, so its own `./` references resolve there. */
  base?: SharedTarget;
  /** Keys of the shared files on the way here: the depth, and cycles. */
  chain: string[];
}

const repoSource = (file: string, doc: YamlDoc): Source => ({
  file,
  doc,
  chain: [],
});

/** The steps of a `steps:` list at `path` (non-object entries are skipped). */
function readSteps(
  src: Source,
  path: Array<string | number>,
  steps: unknown,
  jobMayFail: boolean,
): StepInput[] {
  const { file, doc } = src;
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
      ...(src.url ? { url: src.url } : {}),
      ...(src.calledFrom ? { calledFrom: src.calledFrom } : {}),
    });
  });
  return out;
}

/** Reads a composite action (`.github/actions/x/action.yml`): its `runs.steps`. */
export function parseCompositeAction(
  file: string,
  doc: YamlDoc,
  src: Source = repoSource(file, doc),
): StepInput[] {
  const runs = isRecord(doc.value) ? doc.value.runs : undefined;
  if (!isRecord(runs)) {
    return [];
  }
  return readSteps(src, ['runs', 'steps'], runs.steps, false);
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

/** Where the jobs of a called workflow run: the calling job's scope. */
interface CallerScope {
  onDefaultBranch: boolean;
  onTags: boolean;
  manualApproval: boolean;
}

/** What one workflow parse collects, across the shared files it calls. */
interface WorkflowState {
  pipeline: ParsedPipeline['pipeline'];
  environments: ParsedPipeline['environments'];
  notes: NonNullable<ParsedPipeline['notes']>;
  patterns: ToolPatterns;
  localActions: LocalActions;
  /** The repository's workflows, for local reusable workflows. */
  workflows: ReadonlyMap<string, YamlDoc>;
  shared: SharedCiContext;
}

/**
 * Follows a `uses:` to a shared file: records the use, and returns the file
 * as a source to read when it was read and is not a cycle or too deep.
 */
function follow(
  state: WorkflowState,
  src: Source,
  uses: string,
  level: 'job' | 'step',
  line: number | undefined,
): Source | undefined {
  const { shared } = state;
  const parsed = parseGithubUses(uses, level, src.base, shared.organizations);
  const caller = { file: src.file, line };
  const kind: SharedCiUse['kind'] =
    level === 'job' ? 'reusable-workflow' : 'action';
  if ('invalid' in parsed) {
    state.notes.push({
      file: src.file,
      message: `${parsed.invalid}; not followed`,
    });
    return undefined;
  }
  if (!('shared' in parsed || 'local' in parsed)) return undefined;
  let key: string;
  let file: SharedCiFile | undefined;
  const tooDeep = src.chain.length >= shared.maxDepth;
  if ('local' in parsed) {
    if (level === 'step') return undefined; // local actions: inlined by the caller
    key = `local:${parsed.local}`;
    const doc = state.workflows.get(parsed.local);
    file = doc
      ? { status: 'read', label: parsed.local, url: '', docs: [doc] }
      : {
          status: 'unreadable',
          label: parsed.local,
          reason: `${parsed.local} is not in the repository`,
        };
  } else {
    key = referenceKey(parsed.shared);
    file = tooDeep ? undefined : shared.lookup.get(key);
  }
  if (src.chain.includes(key)) {
    state.notes.push({
      file: src.file,
      message: `${uses} calls back into ${[...src.chain, key]
        .map(k => k.replace(/^[\w-]+:(?:github:|gitlab:|url:|repo:)?/, ''))
        .join(' → ')}: a cycle, followed once`,
    });
    return undefined;
  }
  const use = sharedUse(caller, kind, uses, file, tooDeep);
  const isLocal = 'local' in parsed;
  // A local workflow that was found is part of the repository, not shared.
  if (!isLocal || use.status !== 'inspected') {
    if (isLocal) delete use.url;
    state.pipeline.shared.push(use);
  }
  if (use.status !== 'inspected' || file?.status !== 'read') {
    if (use.reason) {
      state.notes.push({ file: src.file, message: `${uses}: ${use.reason}` });
    }
    return undefined;
  }
  const doc = file.docs[0];
  if (!doc) return undefined;
  return {
    file: file.label,
    doc,
    ...(file.url ? { url: file.url } : {}),
    calledFrom: src.calledFrom ?? { file: src.file, ...(line ? { line } : {}) },
    ...('shared' in parsed ? { base: parsed.shared.target } : {}),
    chain: [...src.chain, key],
  };
}

/** A step, then the steps of the composite action it runs (local or shared). */
function expandStep(
  state: WorkflowState,
  src: Source,
  step: StepInput,
): StepInput[] {
  if (!step.uses) return [step];
  if (step.uses.startsWith('./') && !src.base) {
    const local = state.localActions.get(
      step.uses.replace(/^\.\//, '').replace(/\/$/, ''),
    );
    return local ? [step, ...local] : [step];
  }
  const action = follow(state, src, step.uses, 'step', step.line);
  if (!action) return [step];
  return [
    step,
    ...parseCompositeAction(action.file, action.doc, action).flatMap(s =>
      expandStep(state, action, s),
    ),
  ];
}

/** Reads the jobs of a workflow (the repository's, or one it calls). */
function readJobs(
  state: WorkflowState,
  src: Source,
  caller: CallerScope | undefined,
): void {
  const { pipeline, patterns } = state;
  const wf = isRecord(src.doc.value) ? src.doc.value : {};
  const jobs = isRecord(wf.jobs) ? wf.jobs : {};
  const triggers = pipeline.triggers;
  // Only by hand: a person decides when it runs.
  const manualOnly =
    triggers.manual &&
    !triggers.pushDefaultBranch &&
    !triggers.tags &&
    !triggers.pullRequest &&
    !triggers.schedule;

  const countAction = (uses: string | undefined) => {
    // Only the repository's own references: shared files are pinned by their owners.
    if (!uses || uses.startsWith('./') || src.chain.length > 0) {
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
    const scope = refCondition(effectiveCondition(jobs, id));
    const onDefaultBranch =
      (caller ? caller.onDefaultBranch : triggers.pushDefaultBranch) &&
      (scope?.defaultBranch ?? true);
    const onTags =
      (caller ? caller.onTags : triggers.tags) && (scope?.tags ?? true);
    const environment = environmentName(job.environment);
    const envLine = src.doc.lineAt([...jobPath, 'environment']);
    const jobLine = src.doc.lineAt(jobPath);
    const jobUses = asString(job.uses);
    countAction(jobUses);
    const steps = readSteps(
      src,
      [...jobPath, 'steps'],
      job.steps,
      job['continue-on-error'] === true,
    ).flatMap(step => {
      countAction(step.uses);
      return expandStep(state, src, step);
    });
    const approvalStep = steps.some(s => /approval/i.test(s.uses ?? ''));
    const manualApproval =
      (caller?.manualApproval ?? manualOnly) || approvalStep;

    if (jobUses) {
      const called = follow(
        state,
        src,
        jobUses,
        'job',
        src.doc.lineAt([...jobPath, 'uses']) ?? jobLine,
      );
      if (called) {
        readJobs(state, called, { onDefaultBranch, onTags, manualApproval });
        continue;
      }
    }

    if (environment) {
      state.environments.push({
        name: environment,
        file: src.file,
        ...(envLine !== undefined ? { line: envLine } : {}),
        ...(src.url ? { url: src.url } : {}),
        ...(src.calledFrom ? { calledFrom: src.calledFrom } : {}),
      });
    }
    const name = `${id} ${asString(job.name) ?? ''}`;
    addJob(
      pipeline,
      {
        id,
        file: src.file,
        line: envLine ?? jobLine,
        ...(src.url ? { url: src.url } : {}),
        ...(src.calledFrom ? { calledFrom: src.calledFrom } : {}),
        environment,
        onDefaultBranch,
        onTags,
        manualApproval,
        looksLikeDeploy:
          environment !== undefined ||
          /deploy/i.test(name) ||
          /deploy/i.test(jobUses ?? ''),
      },
      steps,
      patterns,
    );
  }
}

/**
 * Parses one GitHub Actions workflow. Deploy jobs are jobs with an
 * `environment`, a `deploy` in their id or name, or a recognised deploy step.
 * A job that calls a reusable workflow (local, or shared and resolved in
 * `shared`) runs that workflow's jobs in the calling job's scope; a step that
 * runs a composite action of the organisation runs the action's steps.
 */
export function parseGithubWorkflow(
  file: string,
  doc: YamlDoc,
  patterns: ToolPatterns,
  localActions: LocalActions = new Map(),
  options: {
    shared?: SharedCiContext;
    workflows?: ReadonlyMap<string, YamlDoc>;
  } = {},
): ParsedPipeline {
  const pipeline = emptyPipeline('github-actions', file);
  const wf = isRecord(doc.value) ? doc.value : {};
  pipeline.triggers = githubTriggers(wf.on ?? wf.true);
  const state: WorkflowState = {
    pipeline,
    environments: [],
    notes: [],
    patterns,
    localActions,
    workflows: options.workflows ?? new Map(),
    shared: options.shared ?? noSharedCi,
  };
  readJobs(state, repoSource(file, doc), undefined);
  return {
    pipeline: finishPipeline(pipeline),
    environments: state.environments,
    notes: state.notes,
  };
}
