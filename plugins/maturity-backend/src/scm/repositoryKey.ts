/**
 * Which repository a source location URL points into, so a push to the
 * repository finds the entities whose code lives there.
 */
export interface RepositoryRef {
  /** `host/path-of-the-repository`, lower case: the same for every URL into it. */
  key: string;
  host: string;
  /** The repository's path on the host, as written (e.g. `acme/payments`). */
  path: string;
  /** The branch or tag the URL names; undefined means the default branch. */
  ref?: string;
}

/** Path segments that start the in-repository part of a URL, per SCM. */
const TREE_MARKERS = new Set(['tree', 'blob', 'src', 'browse']);

/**
 * The repository of a GitHub, GitLab, Bitbucket, Azure DevOps, Gitea or
 * Gerrit URL; undefined when it is not an http(s) URL with a repository
 * path. A URL that names no branch (`https://github.com/acme/web`) is the
 * default branch.
 */
export function repositoryOf(url: string): RepositoryRef | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return undefined;
  }
  const segments = parsed.pathname
    .split('/')
    .filter(Boolean)
    .map(s => safeDecode(s));
  let repo: string[];
  let ref: string | undefined;
  const gitlabStop = segments.indexOf('-');
  const azureGit = segments.indexOf('_git');
  if (gitlabStop > 0) {
    // GitLab: group/sub/project/-/tree/<ref>/path
    repo = segments.slice(0, gitlabStop);
    const kind = segments[gitlabStop + 1];
    if (kind === 'tree' || kind === 'blob') ref = segments[gitlabStop + 2];
  } else if (azureGit > 0 && segments[azureGit + 1]) {
    // Azure DevOps: org/project/_git/repo?version=GB<branch>
    repo = segments.slice(0, azureGit + 2);
    const version = parsed.searchParams.get('version');
    if (version?.startsWith('GB')) ref = version.slice(2);
  } else if (segments[0] === 'projects' && segments[2] === 'repos') {
    // Bitbucket Server: projects/PRJ/repos/repo/browse/path?at=refs/heads/x
    repo = [segments[1], segments[3]];
    ref = parsed.searchParams.get('at')?.replace(/^refs\/(heads|tags)\//, '');
  } else {
    // GitHub, Bitbucket Cloud, Gitea: owner/repo/(tree|blob|src)/<ref>/path
    repo = segments.slice(0, 2);
    const marker = segments[2];
    if (marker && TREE_MARKERS.has(marker)) ref = segments[3];
    // Gitea: owner/repo/src/branch/<ref>/path
    if (marker === 'src' && ref === 'branch') ref = segments[4];
  }
  repo = repo.map((s, i) =>
    i === repo.length - 1 ? s.replace(/\.git$/, '') : s,
  );
  if (repo.length < 2 || repo.some(s => !s)) return undefined;
  const path = repo.join('/');
  return {
    key: `${parsed.host}/${path}`.toLocaleLowerCase('en-US'),
    host: parsed.host.toLocaleLowerCase('en-US'),
    path,
    ...(ref ? { ref } : {}),
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
