import { CiSystem, CiTriggers } from '../../model';
import { ToolPatterns } from '../tools';
import { asString, asStringList, getPath, isRecord, YamlDoc } from '../yaml';
import { filterMatches } from './githubTriggers';
import {
  addJob,
  emptyPipeline,
  finishPipeline,
  noTriggers,
  ParsedPipeline,
} from './pipeline';
import { commandLines, StepInput } from './steps';

/** Keys whose string values are shell commands in these systems. */
const COMMAND_KEYS = new Set([
  'script',
  'scripts',
  'run',
  'command',
  'commands',
  'inlineScript',
  'bash',
  'sh',
  'pwsh',
  'powershell',
  'args',
]);
/** Keys naming a reusable task or image whose name tells what it does. */
const REFERENCE_KEYS = new Set(['task', 'image', 'uses', 'orb', 'pipe']);
/** A record with one of these keys is a job (its commands deploy together). */
const JOB_KEYS = ['deployment', 'job', 'name', 'step'];
const ENV_NAME = /\b(production|prod|staging|stage|preprod|dev|qa|uat)\b/i;

type Path = Array<string | number>;

interface Job {
  path: Path;
  /** The key of a job in a `jobs:` map (CircleCI), else undefined. */
  key?: string;
  record: Record<string, unknown>;
  steps: StepInput[];
}

/** Finds commands anywhere in the document and groups them by their nearest job-like record. */
function collectJobs(file: string, doc: YamlDoc): Job[] {
  const jobs = new Map<string, Job>();
  const walk = (v: unknown, path: Path, job: Job) => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...path, i], job));
      return;
    }
    if (!isRecord(v)) {
      return;
    }
    let current = job;
    const jobKey =
      path[path.length - 2] === 'jobs' ? path[path.length - 1] : undefined;
    if (
      (JOB_KEYS.some(k => k in v) || typeof jobKey === 'string') &&
      path.length > 0
    ) {
      const key = JSON.stringify(path);
      current = jobs.get(key) ?? {
        path,
        key: typeof jobKey === 'string' ? jobKey : undefined,
        record: v,
        steps: [],
      };
      jobs.set(key, current);
    }
    for (const [k, child] of Object.entries(v)) {
      const childPath = [...path, k];
      if (COMMAND_KEYS.has(k) && !isRecord(child)) {
        const texts = (Array.isArray(child) ? child : [child]).map(asString);
        texts.forEach((text, i) => {
          if (!text) {
            return;
          }
          const p = Array.isArray(child) ? [...childPath, i] : childPath;
          const line = doc.lineAt(p);
          const first =
            line !== undefined && doc.isBlockScalar(p) ? line + 1 : line;
          current.steps.push({
            file,
            line,
            commands: commandLines(text, first),
          });
        });
      } else if (REFERENCE_KEYS.has(k) && typeof child === 'string') {
        const inputs = [v.inputs, v.with].find(isRecord);
        current.steps.push({
          file,
          line: doc.lineAt(childPath),
          commands: [],
          uses: `${k} ${child}`,
          inputs,
        });
      } else if (
        k === 'taskRef' &&
        isRecord(child) &&
        typeof child.name === 'string'
      ) {
        current.steps.push({
          file,
          line: doc.lineAt(childPath),
          commands: [],
          uses: `task ${child.name}`,
        });
      } else {
        walk(child, childPath, current);
      }
    }
  };
  const root: Job = { path: [], record: {}, steps: [] };
  jobs.set('[]', root);
  walk(doc.value, [], root);
  return [...jobs.values()].filter(
    j => j.steps.length > 0 || 'deployment' in j.record,
  );
}

function branchesInclude(v: unknown): boolean | undefined {
  if (v === 'none') {
    return false;
  }
  const list = asStringList(
    isRecord(v) ? getPath(v, ['branches', 'include']) ?? v.branches : v,
  );
  if (list === undefined || list.length === 0) {
    return undefined;
  }
  return ['main', 'master'].some(b => filterMatches(list, b));
}

function azureTriggers(v: Record<string, unknown>): CiTriggers {
  const t = noTriggers();
  // Azure Pipelines builds every push and every PR unless `trigger`/`pr` say otherwise.
  t.pushDefaultBranch = branchesInclude(v.trigger) ?? true;
  t.pullRequest = v.pr === undefined ? true : branchesInclude(v.pr) !== false;
  t.tags = getPath(v, ['trigger', 'tags']) !== undefined;
  t.schedule = v.schedules !== undefined;
  return t;
}

function bitbucketTriggers(v: Record<string, unknown>): CiTriggers {
  const t = noTriggers();
  const p = isRecord(v.pipelines) ? v.pipelines : {};
  t.pullRequest = p['pull-requests'] !== undefined;
  t.pushDefaultBranch =
    p.default !== undefined ||
    (isRecord(p.branches) &&
      Object.keys(p.branches).some(
        b => filterMatches([b], 'main') || filterMatches([b], 'master'),
      ));
  t.tags = p.tags !== undefined;
  t.manual = p.custom !== undefined;
  return t;
}

function droneTriggers(v: Record<string, unknown>): CiTriggers {
  const t = noTriggers();
  const trigger = isRecord(v.trigger) ? v.trigger : {};
  const ev = trigger.event;
  const events = asStringList(isRecord(ev) ? ev.include : ev);
  const all = events === undefined || events.length === 0;
  const branches = asStringList(
    isRecord(trigger.branch) ? trigger.branch.include : trigger.branch,
  );
  t.pullRequest = all || events!.includes('pull_request');
  t.pushDefaultBranch =
    (all || events!.includes('push')) &&
    (!branches ||
      branches.length === 0 ||
      ['main', 'master'].some(b => filterMatches(branches, b)));
  t.tags = all || events!.includes('tag');
  t.schedule = !all && events!.includes('cron');
  t.manual =
    !all && (events!.includes('custom') || events!.includes('promote'));
  return t;
}

function circleTriggers(v: Record<string, unknown>): CiTriggers {
  const t = noTriggers();
  // CircleCI builds every pushed branch, so every PR branch too.
  t.pullRequest = true;
  t.pushDefaultBranch = true;
  const text = JSON.stringify(v.workflows ?? {});
  t.tags = /"tags":\{"only"/.test(text);
  t.schedule = /"schedule":|scheduled_pipeline/.test(text);
  return t;
}

function tektonTriggers(v: Record<string, unknown>): CiTriggers {
  const t = noTriggers();
  const ann = getPath(v, ['metadata', 'annotations']);
  const text = isRecord(ann) ? JSON.stringify(ann) : '';
  t.pullRequest = /on-event[^,]*pull_request|event\s*==\s*\\"pull_request/.test(
    text,
  );
  t.pushDefaultBranch =
    /on-event[^,]*push|event\s*==\s*\\"push/.test(text) &&
    !/on-target-branch":"\[?refs\/tags/.test(text);
  t.tags = /refs\/tags/.test(text);
  return t;
}

function mergeTriggers(a: CiTriggers, b: CiTriggers): CiTriggers {
  return {
    pullRequest: a.pullRequest || b.pullRequest,
    pushDefaultBranch: a.pushDefaultBranch || b.pushDefaultBranch,
    tags: a.tags || b.tags,
    schedule: a.schedule || b.schedule,
    manual: a.manual || b.manual,
  };
}

/**
 * CircleCI, Azure Pipelines, Tekton, Bitbucket Pipelines and Drone: the
 * system's triggers where they are plain keys, and every command, task or
 * image name run through the same recognisers as GitHub steps.
 */
export function parseOtherCi(
  system: CiSystem,
  file: string,
  docs: YamlDoc[],
  patterns: ToolPatterns,
): ParsedPipeline {
  const pipeline = emptyPipeline(system, file);
  const environments: ParsedPipeline['environments'] = [];
  for (const doc of docs) {
    if (!isRecord(doc.value)) {
      continue;
    }
    const v = doc.value;
    const triggersOf: Record<
      CiSystem,
      (x: Record<string, unknown>) => CiTriggers
    > = {
      'azure-pipelines': azureTriggers,
      'bitbucket-pipelines': bitbucketTriggers,
      drone: droneTriggers,
      circleci: circleTriggers,
      tekton: tektonTriggers,
      'github-actions': noTriggers,
      'gitlab-ci': noTriggers,
      jenkins: noTriggers,
      'cloud-build': noTriggers,
    };
    const triggers = triggersOf[system](v);
    pipeline.triggers = mergeTriggers(pipeline.triggers, triggers);
    const approvals = /"type":"approval"|"trigger":"manual"|"promote"/.test(
      JSON.stringify(v),
    );
    for (const job of collectJobs(file, doc)) {
      const r = job.record;
      // Bitbucket names the environment in `deployment`, Azure in `environment`;
      // Drone's `environment` is variables, so it never names one.
      let environment: string | undefined;
      if (system === 'bitbucket-pipelines') {
        environment = asString(r.deployment);
      } else if (system === 'azure-pipelines') {
        environment = isRecord(r.environment)
          ? asString(r.environment.name)
          : asString(r.environment);
      }
      const name = `${job.key ?? ''} ${asString(r.name) ?? ''} ${
        asString(r.deployment) ?? ''
      } ${asString(r.job) ?? ''}`;
      environment ??= ENV_NAME.exec(name)?.[1];
      const line = doc.lineAt(job.path);
      if (environment) {
        environments.push({
          name: environment,
          file,
          ...(line !== undefined ? { line } : {}),
        });
      }
      // Bitbucket: a step under `tags:` runs on tags, under `pull-requests:` only for PRs.
      const section =
        system === 'bitbucket-pipelines' ? String(job.path[1] ?? '') : '';
      addJob(
        pipeline,
        {
          id: name.trim() || JSON.stringify(job.path),
          file,
          line,
          environment,
          onDefaultBranch:
            section === 'tags' ||
            section === 'pull-requests' ||
            section === 'custom'
              ? false
              : triggers.pushDefaultBranch,
          onTags: section ? section === 'tags' : triggers.tags,
          manualApproval:
            approvals &&
            (r.trigger === 'manual' || system !== 'bitbucket-pipelines'),
          // A job's name is no evidence; a deployment binding and steps are.
          looksLikeDeploy:
            (r.deployment !== undefined ||
              (system === 'azure-pipelines' && r.environment !== undefined)) &&
            job.path.length > 0,
        },
        job.steps,
        patterns,
      );
    }
  }
  return { pipeline: finishPipeline(pipeline), environments };
}
