import { FileLocation } from '../../model';
import { ToolPatterns } from '../tools';
import { asString, asStringList, isRecord, YamlDoc } from '../yaml';
import {
  addJob,
  emptyPipeline,
  finishPipeline,
  ParsedPipeline,
} from './pipeline';
import {
  noSharedCi,
  parseGitlabIncludes,
  referenceKey,
  SharedCiContext,
  SharedTarget,
  sharedUse,
} from './sharedReferences';
import { commandLines, StepInput } from './steps';

/** When a job (or the pipeline) runs. */
interface Scope {
  pullRequest: boolean;
  defaultBranch: boolean;
  tags: boolean;
  schedule: boolean;
  manual: boolean;
  /** A matching rule or the job says `when: manual`. */
  whenManual: boolean;
}

// Schedules and the "Run pipeline" button are project settings, not visible
// in files: they only count when a rule asks for them explicitly.
const EVERYWHERE: Scope = {
  pullRequest: false,
  defaultBranch: true,
  tags: true,
  schedule: false,
  manual: false,
  whenManual: false,
};

const NOWHERE: Scope = {
  pullRequest: false,
  defaultBranch: false,
  tags: false,
  schedule: false,
  manual: false,
  whenManual: false,
};

const RESERVED = new Set([
  'stages',
  'variables',
  'default',
  'include',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
  'types',
]);

const union = (a: Scope, b: Scope): Scope => ({
  pullRequest: a.pullRequest || b.pullRequest,
  defaultBranch: a.defaultBranch || b.defaultBranch,
  tags: a.tags || b.tags,
  schedule: a.schedule || b.schedule,
  manual: a.manual || b.manual,
  whenManual: a.whenManual || b.whenManual,
});

/** Reads one `rules: - if:` expression. */
function scopeOfIf(expr: string): Scope {
  const mr = /merge_request_event|CI_MERGE_REQUEST_/.test(expr);
  const defaultBranch =
    /CI_COMMIT_(?:BRANCH|REF_NAME)\s*==\s*(?:\$CI_DEFAULT_BRANCH|["'](?:main|master)["'])/.test(
      expr,
    ) || /CI_PIPELINE_SOURCE\s*==\s*["']push["']/.test(expr);
  const tags = /(?<!!)\$CI_COMMIT_TAG(?!\s*==\s*null)/.test(expr);
  const schedule = /CI_PIPELINE_SOURCE\s*==\s*["']schedule["']/.test(expr);
  const manual = /CI_PIPELINE_SOURCE\s*==\s*["']web["']/.test(expr);
  if (!mr && !defaultBranch && !tags && !schedule && !manual) {
    // An expression about something else (variables, paths): assume it can run anywhere.
    return EVERYWHERE;
  }
  return {
    pullRequest: mr,
    defaultBranch,
    tags,
    schedule,
    manual,
    whenManual: false,
  };
}

function scopeOfRules(rules: unknown[]): Scope {
  let scope = NOWHERE;
  for (const rule of rules) {
    if (!isRecord(rule) || rule.when === 'never') {
      continue;
    }
    const expr = asString(rule.if);
    const s = expr ? scopeOfIf(expr) : EVERYWHERE;
    scope = union(scope, { ...s, whenManual: rule.when === 'manual' });
  }
  return scope;
}

/** `only:` as a list or `{ refs: [...] }`. */
function scopeOfOnly(only: unknown): Scope {
  const refs = asStringList(isRecord(only) ? only.refs : only) ?? [];
  if (refs.length === 0) {
    return EVERYWHERE;
  }
  return {
    pullRequest: refs.includes('merge_requests'),
    defaultBranch: refs.some(r =>
      ['main', 'master', 'branches', 'pushes'].includes(r),
    ),
    tags: refs.includes('tags') || refs.includes('pushes'),
    schedule: refs.includes('schedules'),
    manual: refs.includes('web'),
    whenManual: false,
  };
}

/** A file merged into the pipeline: the repository's, or an included shared file. */
interface IncludedFile {
  file: string;
  doc: YamlDoc;
  url?: string;
  calledFrom?: FileLocation['calledFrom'];
  base?: SharedTarget;
  /** Keys of the shared files on the way here: the depth, and cycles. */
  chain: string[];
}

interface JobSource {
  file: string;
  doc: YamlDoc;
  name: string;
  value: Record<string, unknown>;
  url?: string;
  calledFrom?: FileLocation['calledFrom'];
}

const sharedFields = (s: {
  url?: string;
  calledFrom?: FileLocation['calledFrom'];
}) => ({
  ...(s.url ? { url: s.url } : {}),
  ...(s.calledFrom ? { calledFrom: s.calledFrom } : {}),
});

/** Resolves `extends:` (templates first, the job's own keys win), a few levels deep. */
function resolveJob(
  job: JobSource,
  all: Map<string, JobSource>,
  depth = 0,
): { value: Record<string, unknown>; owners: Map<string, JobSource> } {
  let value: Record<string, unknown> = {};
  let owners = new Map<string, JobSource>();
  if (depth < 5) {
    for (const parent of asStringList(job.value.extends) ?? []) {
      const p = all.get(parent);
      if (p) {
        const r = resolveJob(p, all, depth + 1);
        value = { ...value, ...r.value };
        owners = new Map([...owners, ...r.owners]);
      }
    }
  }
  for (const [k, v] of Object.entries(job.value)) {
    value[k] = v;
    owners.set(k, job);
  }
  return { value, owners };
}

function scriptSteps(
  key: string,
  value: unknown,
  owner: JobSource,
): StepInput[] {
  const lines = Array.isArray(value) ? value.flat(3) : [value];
  const out: StepInput[] = [];
  lines.forEach((l, i) => {
    const text = asString(l);
    if (!text) {
      return;
    }
    const path = Array.isArray(value)
      ? [owner.name, key, i]
      : [owner.name, key];
    const line = owner.doc.lineAt(path);
    const first =
      line !== undefined && owner.doc.isBlockScalar(path) ? line + 1 : line;
    out.push({
      file: owner.file,
      line,
      commands: commandLines(text, first),
      ...sharedFields(owner),
    });
  });
  return out;
}

/**
 * Follows the `include:` of one file: local files of the repository, and
 * shared files (`project`, `remote`, local files of a shared project) as
 * resolved in `shared`. Templates and components are known by name only.
 */
function followIncludes(
  from: IncludedFile,
  include: unknown,
  ctx: {
    shared: SharedCiContext;
    repoYaml: ReadonlyMap<string, YamlDoc[]>;
    merged: Set<string>;
    queue: IncludedFile[];
    pipeline: ParsedPipeline['pipeline'];
    notes: NonNullable<ParsedPipeline['notes']>;
    byName: StepInput[];
  },
): void {
  const line = from.doc.lineAt(['include']);
  const caller = { file: from.file, ...(line ? { line } : {}) };
  const calledFrom = from.calledFrom ?? caller;
  for (const parsed of parseGitlabIncludes(include, from.base)) {
    if ('invalid' in parsed) {
      ctx.notes.push({
        file: from.file,
        message: `${parsed.invalid}; not followed`,
      });
    } else if ('byName' in parsed) {
      // GitLab's own templates (SAST, Secret-Detection, ...) are known by name.
      ctx.byName.push({ ...caller, commands: [{ text: parsed.ref }] });
      ctx.pipeline.shared.push({
        ...caller,
        kind: 'template',
        ref: parsed.byName,
        status: 'by-name',
      });
    } else if ('local' in parsed && ctx.repoYaml.has(parsed.local)) {
      if (!ctx.merged.has(parsed.local)) {
        ctx.merged.add(parsed.local);
        for (const doc of ctx.repoYaml.get(parsed.local)!) {
          ctx.queue.push({ file: parsed.local, doc, chain: from.chain });
        }
      }
    } else if (!('ignored' in parsed)) {
      const ref =
        'local' in parsed
          ? {
              kind: 'gitlab' as const,
              target: { type: 'repo' as const, path: parsed.local },
            }
          : parsed.shared;
      const key = referenceKey(ref);
      if (from.chain.includes(key) || ctx.merged.has(key)) {
        ctx.notes.push({
          file: from.file,
          message: `include ${parsed.ref} is already included: a cycle or a repeat, merged once`,
        });
        continue;
      }
      const tooDeep = from.chain.length >= ctx.shared.maxDepth;
      const file = tooDeep ? undefined : ctx.shared.lookup.get(key);
      const use = sharedUse(caller, 'include', parsed.ref, file, tooDeep);
      ctx.pipeline.shared.push(use);
      if (file?.status !== 'read' || use.status !== 'inspected') {
        if (use.reason) {
          ctx.notes.push({
            file: from.file,
            message: `include ${parsed.ref}: ${use.reason}`,
          });
        }
        continue;
      }
      ctx.merged.add(key);
      for (const doc of file.docs) {
        ctx.queue.push({
          file: file.label,
          doc,
          url: file.url,
          calledFrom,
          base: ref.target.type === 'repo' ? undefined : ref.target,
          chain: [...from.chain, key],
        });
      }
    }
  }
}

/**
 * Parses `.gitlab-ci.yml` together with the files it includes, as GitLab
 * merges them into one pipeline: local files (`.gitlab/ci/*.yml` are always
 * merged), and shared files of other projects or URLs resolved in `shared`.
 * Jobs of the repository win over jobs of the same name in shared files.
 * Pull requests count only for merge request pipelines (`merge_request_event`).
 */
export function parseGitlabCi(
  files: Array<{ file: string; doc: YamlDoc }>,
  patterns: ToolPatterns,
  options: {
    shared?: SharedCiContext;
    /** Every YAML file of the repository, for local includes. */
    repoYaml?: ReadonlyMap<string, YamlDoc[]>;
  } = {},
): ParsedPipeline {
  const root = files[0];
  const pipeline = emptyPipeline('gitlab-ci', root.file);
  const environments: ParsedPipeline['environments'] = [];
  const notes: NonNullable<ParsedPipeline['notes']> = [];
  const all = new Map<string, JobSource>();
  let workflowScope: Scope | undefined;
  const includeSteps: StepInput[] = [];
  const queue: IncludedFile[] = files.map(f => ({ ...f, chain: [] }));
  const ctx = {
    shared: options.shared ?? noSharedCi,
    repoYaml: options.repoYaml ?? new Map<string, YamlDoc[]>(),
    merged: new Set(files.map(f => f.file)),
    queue,
    pipeline,
    notes,
    byName: includeSteps,
  };

  for (let i = 0; i < queue.length; i++) {
    const source = queue[i];
    const { file, doc } = source;
    if (!isRecord(doc.value)) {
      continue;
    }
    for (const [name, value] of Object.entries(doc.value)) {
      if (
        name === 'workflow' &&
        isRecord(value) &&
        Array.isArray(value.rules)
      ) {
        workflowScope = scopeOfRules(value.rules);
      } else if (name === 'include') {
        followIncludes(source, value, ctx);
      } else if (
        !RESERVED.has(name) &&
        isRecord(value) &&
        (source.chain.length === 0 || !all.has(name))
      ) {
        all.set(name, { file, doc, name, value, ...sharedFields(source) });
      }
    }
  }

  let triggers: Scope = NOWHERE;
  if (includeSteps.length > 0) {
    addJob(
      pipeline,
      {
        id: 'include',
        file: root.file,
        onDefaultBranch: false,
        onTags: false,
        manualApproval: false,
        looksLikeDeploy: false,
      },
      includeSteps,
      patterns,
    );
  }
  for (const job of all.values()) {
    if (job.name.startsWith('.')) {
      continue; // a template, used through `extends`
    }
    const { value, owners } = resolveJob(job, all);
    let scope: Scope;
    if (Array.isArray(value.rules)) {
      scope = scopeOfRules(value.rules);
    } else if (value.only !== undefined) {
      scope = scopeOfOnly(value.only);
    } else {
      // Jobs without rules run in every pipeline the workflow creates.
      scope = {
        ...EVERYWHERE,
        pullRequest: workflowScope?.pullRequest ?? false,
      };
    }
    if (workflowScope) {
      scope = {
        pullRequest: scope.pullRequest && workflowScope.pullRequest,
        defaultBranch: scope.defaultBranch && workflowScope.defaultBranch,
        tags: scope.tags && workflowScope.tags,
        schedule: scope.schedule && workflowScope.schedule,
        manual: scope.manual && workflowScope.manual,
        whenManual: scope.whenManual,
      };
    }
    if (value.when === 'manual') {
      scope = { ...scope, whenManual: true };
    }
    triggers = union(triggers, scope);

    const steps = ['before_script', 'script', 'after_script'].flatMap(key =>
      value[key] === undefined
        ? []
        : scriptSteps(key, value[key], owners.get(key)!),
    );
    const env = isRecord(value.environment) ? value.environment : undefined;
    const environment = env ? asString(env.name) : asString(value.environment);
    const stops = env?.action === 'stop';
    const envOwner = owners.get('environment');
    const envLine = envOwner?.doc.lineAt([envOwner.name, 'environment']);
    if (environment && !stops) {
      environments.push({
        name: environment,
        file: envOwner!.file,
        ...(envLine !== undefined ? { line: envLine } : {}),
        ...sharedFields(envOwner!),
      });
    }
    const mayFail = value.allow_failure === true;
    addJob(
      pipeline,
      {
        id: job.name,
        file: job.file,
        line: envLine ?? job.doc.lineAt([job.name]),
        ...sharedFields(job),
        environment: stops ? undefined : environment,
        onDefaultBranch: scope.defaultBranch,
        onTags: scope.tags,
        manualApproval: scope.whenManual,
        looksLikeDeploy:
          // Job and stage names are no evidence; the environment and steps are.
          !stops && environment !== undefined,
      },
      steps.map(s => ({ ...s, mayFail })),
      patterns,
    );
  }
  pipeline.triggers = {
    pullRequest: triggers.pullRequest,
    pushDefaultBranch: triggers.defaultBranch,
    tags: triggers.tags,
    schedule: triggers.schedule,
    manual: triggers.manual,
  };
  return { pipeline: finishPipeline(pipeline), environments, notes };
}
