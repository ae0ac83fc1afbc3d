import { repositoryOf } from '../scm/repositoryKey';

/** The SCM webhook topics the events backend modules publish pushes on. */
export const PUSH_TOPICS = ['github.push', 'gitlab.push'] as const;

/** A push to a branch of a repository, from any SCM. */
export interface RepositoryPush {
  /** `host/path` of the repository, lower case: see repositoryOf. */
  repository: string;
  /** The branch pushed to. */
  branch: string;
  /** The repository's default branch, when the event says. */
  defaultBranch?: string;
  /** The commit the branch points at now. */
  after?: string;
  /** Whether a catalog-info file changed: the catalog will change the entity too. */
  catalogFileChanged: boolean;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

const CATALOG_FILE = /(^|\/)catalog-info\.ya?ml$/;

function touchesCatalogFile(commits: unknown): boolean {
  if (!Array.isArray(commits)) return false;
  return commits.some(
    c =>
      isObject(c) &&
      ['added', 'modified', 'removed'].some(
        key =>
          Array.isArray(c[key]) &&
          (c[key] as unknown[]).some(
            f => typeof f === 'string' && CATALOG_FILE.test(f),
          ),
      ),
  );
}

/**
 * The push in a GitHub `push` or GitLab `push` webhook payload, or why the
 * event is not one we act on (malformed, a tag, a deleted branch).
 */
export function parsePushEvent(
  topic: string,
  payload: unknown,
): RepositoryPush | { ignored: string } {
  if (!isObject(payload)) return { ignored: 'the payload is not an object' };
  const gitlab = topic.startsWith('gitlab');
  const project = gitlab ? payload.project : payload.repository;
  if (!isObject(project)) {
    return { ignored: 'the payload names no repository' };
  }
  const url = str(project.html_url) ?? str(project.web_url);
  // A GitLab project's web_url is the project however deep its group is:
  // end it with GitLab's `/-/` so that all of its path is the repository.
  const repository = url
    ? repositoryOf(gitlab ? `${url.replace(/\/+$/, '')}/-/` : url)
    : undefined;
  if (!repository) {
    return { ignored: `the repository URL ${JSON.stringify(url)} is unusable` };
  }
  const ref = str(payload.ref);
  if (!ref?.startsWith('refs/heads/')) {
    return { ignored: `${repository.key}: ${ref ?? 'no ref'} is not a branch` };
  }
  // GitHub says `deleted`; GitLab only gives an `after` of zeros.
  if (payload.deleted === true || /^0+$/.test(str(payload.after) ?? '')) {
    return { ignored: `${repository.key}: the branch was deleted` };
  }
  const commits = [
    ...(Array.isArray(payload.commits) ? payload.commits : []),
    payload.head_commit,
  ];
  return {
    repository: repository.key,
    branch: ref.slice('refs/heads/'.length),
    ...(str(project.default_branch)
      ? { defaultBranch: str(project.default_branch) }
      : {}),
    ...(str(payload.after) ?? str(payload.checkout_sha)
      ? { after: str(payload.after) ?? str(payload.checkout_sha) }
      : {}),
    catalogFileChanged: touchesCatalogFile(commits),
  };
}

/**
 * Whether an entity whose source location is `url` reads the pushed branch:
 * the branch its URL names, or the default branch when it names none.
 */
export function readsPushedBranch(url: string, push: RepositoryPush): boolean {
  const ref = repositoryOf(url)?.ref;
  if (ref) return ref === push.branch;
  return !push.defaultBranch || push.defaultBranch === push.branch;
}
