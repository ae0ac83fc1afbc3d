import { CiTriggers } from '../../model';
import { asStringList, isRecord } from '../yaml';
import { noTriggers } from './pipeline';

const DEFAULT_BRANCHES = ['main', 'master'];

/** GitHub filter glob to a regex: `**` any, `*` no slash, `?` one char. */
function globToRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '.';
    } else if (c === '+') {
      re += '+';
    } else {
      re += c.replace(/[.^$|()[\]{}\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** Applies GitHub's ordered include/`!`exclude filter list to a name. */
export function filterMatches(filters: string[], name: string): boolean {
  let matched = false;
  for (const f of filters) {
    if (f.startsWith('!')) {
      if (globToRegex(f.slice(1)).test(name)) {
        matched = false;
      }
    } else if (globToRegex(f).test(name)) {
      matched = true;
    }
  }
  return matched;
}

/** `on:` as a map of event name to its config, whatever form it was written in. */
export function workflowEvents(on: unknown): Map<string, unknown> {
  const map = new Map<string, unknown>();
  if (typeof on === 'string') {
    map.set(on, null);
  } else if (Array.isArray(on)) {
    on.forEach(e => typeof e === 'string' && map.set(e, null));
  } else if (isRecord(on)) {
    Object.entries(on).forEach(([k, v]) => map.set(k, v));
  }
  return map;
}

/** When a `push` event runs, following GitHub's filter semantics. */
function pushScope(config: unknown): { defaultBranch: boolean; tags: boolean } {
  const c = isRecord(config) ? config : {};
  const branches = asStringList(c.branches);
  const branchesIgnore = asStringList(c['branches-ignore']);
  const tags = asStringList(c.tags);
  const tagsIgnore = asStringList(c['tags-ignore']);
  const branchFilter = branches !== undefined || branchesIgnore !== undefined;
  const tagFilter = tags !== undefined || tagsIgnore !== undefined;
  if (!branchFilter && !tagFilter) {
    // Unrestricted push: every branch and every tag.
    return { defaultBranch: true, tags: true };
  }
  let defaultBranch = false;
  if (branches) {
    defaultBranch = DEFAULT_BRANCHES.some(b => filterMatches(branches, b));
  } else if (branchesIgnore) {
    defaultBranch = DEFAULT_BRANCHES.some(
      b => !filterMatches(branchesIgnore, b),
    );
  }
  // With only branch filters GitHub does not run the workflow for tags.
  const tagsRun = tags ? tags.length > 0 : tagsIgnore !== undefined;
  return { defaultBranch, tags: tagsRun };
}

/** Triggers of a workflow from its `on:` in all its forms (string, list, map). */
export function githubTriggers(on: unknown): CiTriggers {
  const t = noTriggers();
  for (const [event, config] of workflowEvents(on)) {
    switch (event) {
      case 'pull_request':
      case 'pull_request_target':
        t.pullRequest = true;
        break;
      case 'push': {
        const s = pushScope(config);
        t.pushDefaultBranch ||= s.defaultBranch;
        t.tags ||= s.tags;
        break;
      }
      case 'release':
        t.tags = true;
        break;
      case 'schedule':
        t.schedule = true;
        break;
      case 'workflow_dispatch':
        t.manual = true;
        break;
      default:
        break;
    }
  }
  return t;
}

/** What a job `if:` says about refs; `undefined` when it does not restrict them. */
export function refCondition(
  condition: string,
): { defaultBranch: boolean; tags: boolean } | undefined {
  const tags =
    /(?<!!\s*)startsWith\(\s*github\.ref\s*,\s*'refs\/tags|github\.ref\s*==\s*'refs\/tags|github\.ref_type\s*==\s*'tag'|github\.event_name\s*==\s*'release'/.test(
      condition,
    );
  const defaultBranch =
    /github\.ref\s*==\s*'refs\/heads\/(?:main|master)'|github\.ref_name\s*==\s*'(?:main|master)'|default_branch/.test(
      condition,
    );
  const prOnly = /github\.event_name\s*==\s*'pull_request'/.test(condition);
  if (tags || defaultBranch) {
    return { defaultBranch, tags };
  }
  if (prOnly) {
    return { defaultBranch: false, tags: false };
  }
  return undefined;
}
