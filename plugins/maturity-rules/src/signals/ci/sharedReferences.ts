import { SharedCiUse } from '../../model';
import { asString, asStringList, isRecord, YamlDoc } from '../yaml';

/**
 * A shared CI definition outside the calling file: a file of another
 * repository (GitHub `owner/repo/path@ref`, GitLab `project` + `file` +
 * `ref`), a URL (GitLab `remote`), or a file of the calling repository that
 * was not downloaded with it (GitLab `local` outside `.gitlab/ci/`).
 */
export type SharedTarget =
  | { type: 'github'; owner: string; repo: string; path: string; ref: string }
  | { type: 'gitlab'; project: string; file: string; ref?: string }
  | { type: 'url'; url: string }
  | { type: 'repo'; path: string };

/** What the shared file is, which decides how it is read and parsed. */
export type SharedFileKind = 'github-workflow' | 'github-action' | 'gitlab';

export interface SharedReference {
  kind: SharedFileKind;
  target: SharedTarget;
}

/** A shared file as resolved before extraction: parsed, or why not. */
export type SharedCiFile =
  | { status: 'read'; label: string; url: string; docs: YamlDoc[] }
  | {
      status: 'unreadable' | 'not-inspected';
      label: string;
      url?: string;
      reason: string;
    };

/** The shared files of one repository, by `referenceKey`. */
export interface SharedCiLookup {
  get(key: string): SharedCiFile | undefined;
}

/**
 * What the CI parsers need to follow shared definitions: the resolved files,
 * the owners whose actions are read, and the depth limit.
 */
export interface SharedCiContext {
  lookup: SharedCiLookup;
  /** Lower-case owners (GitHub organisations) whose composite actions are read. */
  organizations: ReadonlySet<string>;
  maxDepth: number;
}

export const DEFAULT_SHARED_CI_DEPTH = 3;

export const noSharedCi: SharedCiContext = {
  lookup: { get: () => undefined },
  organizations: new Set(),
  maxDepth: DEFAULT_SHARED_CI_DEPTH,
};

export function referenceKey(ref: SharedReference): string {
  const t = ref.target;
  switch (t.type) {
    case 'github':
      return `${ref.kind}:github:${t.owner}/${t.repo}/${t.path}@${t.ref}`;
    case 'gitlab':
      return `${ref.kind}:gitlab:${t.project}:${t.file}@${t.ref ?? ''}`;
    case 'url':
      return `${ref.kind}:url:${t.url}`;
    default:
      return `${ref.kind}:repo:${t.path}`;
  }
}

/** How owners read the reference in evidence. */
export function targetLabel(ref: SharedReference): string {
  const t = ref.target;
  switch (t.type) {
    case 'github': {
      const path =
        ref.kind === 'github-action'
          ? [t.path, 'action.yml'].filter(Boolean).join('/')
          : t.path;
      return `${t.owner}/${t.repo}/${path}@${t.ref}`;
    }
    case 'gitlab':
      return `${t.project}/${t.file}${t.ref ? `@${t.ref}` : ''}`;
    case 'url':
      return t.url;
    default:
      return t.path;
  }
}

/** What a `uses:` or an `include:` entry turned out to be. */
export type ParsedReference =
  | { shared: SharedReference; ref: string }
  /** A file of the calling repository that was downloaded with it. */
  | { local: string; ref: string }
  /** Known by name only (GitLab templates and components). */
  | { byName: string; ref: string }
  /** Not ours to read (a third-party action, a Docker image). */
  | { ignored: true }
  | { invalid: string };

const GITHUB_NAME = /^[A-Za-z0-9_.-]+$/;
const cleanPath = (p: string) => p.replace(/^\.?\/+/, '').replace(/\/+$/, '');

/**
 * A GitHub `uses:`. Job level: a reusable workflow (`./.github/workflows/x.yml`
 * or `owner/repo/.github/workflows/x.yml@ref`). Step level: an action
 * (`./dir` or `owner/repo[/dir]@ref`), read only for the given owners.
 * Inside a shared file, `./` means that file's repository.
 */
export function parseGithubUses(
  uses: string,
  level: 'job' | 'step',
  base: SharedTarget | undefined,
  organizations: ReadonlySet<string>,
): ParsedReference {
  const kind: SharedFileKind =
    level === 'job' ? 'github-workflow' : 'github-action';
  if (uses.startsWith('docker://')) return { ignored: true };
  if (uses.startsWith('./')) {
    const path = cleanPath(uses);
    if (!path || path.split('/').includes('..')) {
      return { invalid: `"${uses}" is not a path inside the repository` };
    }
    if (base?.type === 'github') {
      return {
        shared: { kind, target: { ...base, path } },
        ref: uses,
      };
    }
    // Local actions are inlined from the repository's own files elsewhere.
    return base ? { ignored: true } : { local: path, ref: uses };
  }
  const m = /^([^/@\s]+)\/([^/@\s]+)((?:\/[^@\s]+)?)@([^@\s]+)$/.exec(uses);
  if (!m || !GITHUB_NAME.test(m[1]) || !GITHUB_NAME.test(m[2])) {
    return {
      invalid: `"${uses}" is not a ${
        level === 'job' ? 'reusable workflow' : 'action'
      } reference (owner/repo/path@ref)`,
    };
  }
  const [, owner, repo, rest, ref] = m;
  const path = cleanPath(rest);
  if (path.split('/').includes('..')) {
    return { invalid: `"${uses}" is not a path inside a repository` };
  }
  if (level === 'job') {
    if (!/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) {
      return {
        invalid: `"${uses}" does not name a workflow file under .github/workflows/`,
      };
    }
  } else {
    const own = new Set(organizations);
    if (base?.type === 'github') own.add(base.owner.toLocaleLowerCase('en-US'));
    if (!own.has(owner.toLocaleLowerCase('en-US'))) return { ignored: true };
  }
  return {
    shared: { kind, target: { type: 'github', owner, repo, path, ref } },
    ref: uses,
  };
}

/**
 * The entries of a GitLab `include:` (a string, a map, or a list of both).
 * `base` is the including file's location when it is itself shared.
 */
export function parseGitlabIncludes(
  include: unknown,
  base: SharedTarget | undefined,
): ParsedReference[] {
  const entries = Array.isArray(include) ? include : [include];
  return entries.flatMap((entry): ParsedReference[] => {
    if (typeof entry === 'string') {
      return [/^https?:\/\//i.test(entry) ? remote(entry) : local(entry, base)];
    }
    if (!isRecord(entry)) {
      return [
        { invalid: `include entry ${JSON.stringify(entry)} is not a file` },
      ];
    }
    const text = JSON.stringify(entry);
    if (entry.local !== undefined) {
      const path = asString(entry.local);
      return [
        path
          ? local(path, base)
          : { invalid: `include ${text} has no local path` },
      ];
    }
    if (entry.remote !== undefined) {
      const url = asString(entry.remote);
      return [
        url ? remote(url) : { invalid: `include ${text} has no remote URL` },
      ];
    }
    if (entry.project !== undefined) {
      const project = asString(entry.project)?.replace(/^\/+|\/+$/g, '');
      const files = asStringList(entry.file) ?? [];
      if (!project || files.length === 0) {
        return [{ invalid: `include ${text} needs a project and a file` }];
      }
      const ref = asString(entry.ref);
      return files.map(file => ({
        shared: {
          kind: 'gitlab' as const,
          target: {
            type: 'gitlab' as const,
            project,
            file: cleanPath(file),
            ...(ref ? { ref } : {}),
          },
        },
        ref: `project ${project} file ${file}${ref ? ` ref ${ref}` : ''}`,
      }));
    }
    const name = asString(entry.template) ?? asString(entry.component);
    if (name) return [{ byName: name, ref: text }];
    return [
      {
        invalid: `include ${text} is not a local, project, remote, template or component include`,
      },
    ];
  });
}

function remote(url: string): ParsedReference {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new Error('not http(s)');
    }
    return {
      shared: { kind: 'gitlab', target: { type: 'url', url: parsed.href } },
      ref: url,
    };
  } catch {
    return { invalid: `remote include "${url}" is not an http(s) URL` };
  }
}

function local(path: string, base: SharedTarget | undefined): ParsedReference {
  const clean = cleanPath(path);
  if (/^[a-z][\w+.-]*:\/\//i.test(path)) {
    return {
      invalid: `include "${path}" is neither a file path nor an http(s) URL`,
    };
  }
  if (!clean || clean.split('/').includes('..') || clean.includes('*')) {
    return {
      invalid: `local include "${path}" is not a single file in the repository`,
    };
  }
  if (base?.type === 'gitlab') {
    return {
      shared: { kind: 'gitlab', target: { ...base, file: clean } },
      ref: path,
    };
  }
  if (base?.type === 'url') {
    return {
      invalid: `local include "${path}" inside a remote include cannot be located`,
    };
  }
  return { local: clean, ref: path };
}

/** Jenkins shared libraries a Jenkinsfile loads (`@Library('x') _`, `library 'x'`). */
export function jenkinsLibraries(
  text: string,
): Array<{ name: string; line: number }> {
  const out: Array<{ name: string; line: number }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith('//')) return;
    const annotation = /@Library\s*\(\s*(\[[^\]]*\]|['"][^'"]+['"])/.exec(line);
    const step =
      /^library\s*(?:\(\s*)?(?:identifier\s*:\s*)?['"]([^'"]+)['"]/.exec(line);
    const names = annotation
      ? [...annotation[1].matchAll(/['"]([^'"]+)['"]/g)].map(n => n[1])
      : step?.slice(1, 2) ?? [];
    names.forEach(name => out.push({ name, line: i + 1 }));
  });
  return out;
}

/**
 * Every shared file a CI file calls directly, so that it can be read before
 * extraction. Local files are not listed: they are in the repository.
 */
export function findSharedReferences(
  kind: SharedFileKind,
  docs: readonly YamlDoc[],
  base: SharedTarget | undefined,
  organizations: ReadonlySet<string>,
  /** For the repository's own files: which local includes were downloaded. */
  repoYaml?: ReadonlyMap<string, YamlDoc[]>,
): SharedReference[] {
  const out: SharedReference[] = [];
  const seenLocal = new Set<string>();
  const add = (p: ParsedReference) => {
    if ('shared' in p) out.push(p.shared);
    if ('local' in p && kind === 'gitlab' && !seenLocal.has(p.local)) {
      seenLocal.add(p.local);
      const downloaded = repoYaml?.get(p.local);
      if (downloaded) {
        // Downloaded with the repository: follow its own includes.
        out.push(
          ...findSharedReferences(
            kind,
            downloaded,
            base,
            organizations,
            repoYaml,
          ),
        );
      } else {
        out.push({ kind, target: { type: 'repo', path: p.local } });
      }
    }
  };
  for (const doc of docs) {
    const value = isRecord(doc.value) ? doc.value : {};
    if (kind === 'gitlab') {
      if (value.include !== undefined) {
        parseGitlabIncludes(value.include, base).forEach(add);
      }
      continue;
    }
    const stepLists: unknown[] = [];
    if (kind === 'github-action') {
      if (isRecord(value.runs)) stepLists.push(value.runs.steps);
    } else {
      for (const job of Object.values(isRecord(value.jobs) ? value.jobs : {})) {
        if (!isRecord(job)) continue;
        const uses = asString(job.uses);
        if (uses) add(parseGithubUses(uses, 'job', base, organizations));
        stepLists.push(job.steps);
      }
    }
    for (const steps of stepLists) {
      if (!Array.isArray(steps)) continue;
      for (const step of steps) {
        const uses = isRecord(step) ? asString(step.uses) : undefined;
        if (uses) add(parseGithubUses(uses, 'step', base, organizations));
      }
    }
  }
  return out;
}

/** A `SharedCiUse` for a reference as the parsers met it. */
export function sharedUse(
  caller: { file: string; line?: number },
  kind: SharedCiUse['kind'],
  ref: string,
  file: SharedCiFile | undefined,
  tooDeep: boolean,
): SharedCiUse {
  const at = {
    file: caller.file,
    ...(caller.line ? { line: caller.line } : {}),
  };
  if (!file) {
    return {
      ...at,
      kind,
      ref,
      status: 'not-inspected',
      reason: tooDeep
        ? 'not read: deeper than the configured depth of shared definitions'
        : 'not read: shared CI files are read by the repository collector only',
    };
  }
  if (file.status === 'read') {
    return { ...at, kind, ref, status: 'inspected', url: file.url };
  }
  return {
    ...at,
    kind,
    ref,
    status: file.status,
    ...(file.url ? { url: file.url } : {}),
    reason: file.reason,
  };
}
