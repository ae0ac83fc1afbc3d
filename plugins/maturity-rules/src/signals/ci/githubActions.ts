import { CiTriggers, SharedCiUse } from '../../model';
import { ToolPatterns } from '../tools';
import { asString, asStringList, isRecord, YamlDoc } from '../yaml';
import { githubTriggers, refCondition, workflowEvents } from './githubTriggers';
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
import { jobVariables, substitute, Variables, withStepEnv } from './variables';

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
  vars: Variables = new Map(),
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
      commands: run
        ? substitute(
            commandLines(run, firstCommandLine),
            withStepEnv(vars, step.env),
          )
        : [],
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
  /** The workflow's events are all ones its triggers describe (see `describedEvents`). */
  runsDescribed: boolean;
  /** The workflow runs only on triage events (see `triageOnly`). */
  triageOnly: boolean;
}

/** How a shared file is called, for `SharedCiUse`. */
interface SharedCall {
  runsOn?: CiTriggers;
  triageOnly?: boolean;
  withoutCredentials?: boolean;
}

// Events that carry no change to build: bots that greet, label or triage.
// (`issue_comment` is left out: comment commands often start tests.)
const TRIAGE_EVENTS = new Set([
  'issues',
  'discussion',
  'discussion_comment',
  'label',
  'milestone',
  'fork',
  'watch',
  'gollum',
  'public',
]);
// pull_request_target types under which a workflow, by GitHub's own advice,
// handles the pull request rather than builds it; `labeled` and
// `synchronize` are how "ok to test" gates run the change, `closed` a merge.
const TRIAGE_PR_TYPES = new Set([
  'opened',
  'reopened',
  'edited',
  'assigned',
  'unassigned',
  'review_requested',
  'review_request_removed',
  'ready_for_review',
  'converted_to_draft',
]);

/** Whether the workflow has events and each, with its config, passes `test`. */
function everyEvent(
  on: unknown,
  test: (name: string, config: unknown) => boolean,
): boolean {
  const all = [...workflowEvents(on)];
  return all.length > 0 && all.every(([name, config]) => test(name, config));
}

/** The `types:` of an event's config, if listed. */
const eventTypes = (config: unknown) =>
  isRecord(config) ? asStringList(config.types) : undefined;

/** Whether every event of a workflow's `on:` is a triage event. */
function isTriageOnly(on: unknown): boolean {
  return everyEvent(on, (name, config) => {
    if (name !== 'pull_request_target') return TRIAGE_EVENTS.has(name);
    const types = eventTypes(config);
    return !!types?.length && types.every(t => TRIAGE_PR_TYPES.has(t));
  });
}

// Token scopes whose write access can neither push code or tags, publish a
// package, deploy, nor get a cloud credential (`id-token`).
const HARMLESS_WRITE_SCOPES = new Set([
  'pull-requests',
  'issues',
  'checks',
  'statuses',
  'security-events',
  'discussions',
]);

/**
 * A reusable workflow call that passes no secrets (not even `inherit`) and
 * sets its token's permissions to nothing that deploys or signs. Without
 * explicit permissions the repository's default applies, which may be write-all.
 */
function withoutCredentials(
  job: Record<string, unknown>,
  wf: Record<string, unknown>,
): boolean {
  if (job.secrets !== undefined) return false;
  const permissions = job.permissions ?? wf.permissions;
  if (permissions === 'read-all') return true;
  if (!isRecord(permissions)) return false;
  return Object.entries(permissions).every(
    ([scope, level]) => level !== 'write' || HARMLESS_WRITE_SCOPES.has(scope),
  );
}

// Events whose runs `CiTriggers` describes fully, or that never run on a merge,
// a tag or a schedule. Any other (workflow_run, workflow_call, create,
// repository_dispatch, deployment, ...) may run a called shared file at any time.
const DESCRIBED_EVENTS = new Set([
  'push',
  'pull_request',
  'pull_request_target',
  'release',
  'schedule',
  'workflow_dispatch',
  'issues',
  'issue_comment',
  'pull_request_review',
  'pull_request_review_comment',
  'discussion',
  'discussion_comment',
  'label',
  'milestone',
  'fork',
  'watch',
  'gollum',
  'public',
]);

/**
 * Whether every event of a workflow's `on:` (string, list or map) is
 * described. A closed pull request is a merge, which the triggers do not say.
 */
function describedEvents(on: unknown): boolean {
  return everyEvent(
    on,
    (name, config) =>
      DESCRIBED_EVENTS.has(name) &&
      !(
        name.startsWith('pull_request') &&
        (eventTypes(config) ?? []).includes('closed')
      ),
  );
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
  call: SharedCall,
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
  if (use.status !== 'inspected') {
    if (call.runsOn) use.runsOn = call.runsOn;
    if (call.triageOnly) use.triageOnly = true;
    if (call.withoutCredentials) use.withoutCredentials = true;
  }
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
  call: SharedCall,
): StepInput[] {
  if (!step.uses) return [step];
  if (step.uses.startsWith('./') && !src.base) {
    const local = state.localActions.get(
      step.uses.replace(/^\.\//, '').replace(/\/$/, ''),
    );
    return local ? [step, ...local] : [step];
  }
  // An action gets the job's secrets through its inputs: only the caller's
  // triggers are known.
  const action = follow(state, src, step.uses, 'step', step.line, {
    ...call,
    withoutCredentials: false,
  });
  if (!action) return [step];
  return [
    step,
    ...parseCompositeAction(action.file, action.doc, action).flatMap(s =>
      expandStep(state, action, s, call),
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
    // When a shared file this job calls can run (SharedCiUse.runsOn).
    const runsOn = state.runsDescribed
      ? { ...triggers, pushDefaultBranch: onDefaultBranch, tags: onTags }
      : undefined;
    const triageOnly = state.triageOnly;
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
      jobVariables([wf.env, job.env], job.strategy),
    ).flatMap(step => {
      countAction(step.uses);
      return expandStep(state, src, step, { runsOn, triageOnly });
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
        {
          runsOn,
          triageOnly,
          withoutCredentials: withoutCredentials(job, wf),
        },
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
        // A job's name is no evidence; its environment and steps are.
        looksLikeDeploy:
          environment !== undefined || /deploy/i.test(jobUses ?? ''),
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
    runsDescribed: describedEvents(wf.on ?? wf.true),
    triageOnly: isTriageOnly(wf.on ?? wf.true),
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
