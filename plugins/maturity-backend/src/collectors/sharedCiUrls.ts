import { ScmIntegrationRegistry } from '@backstage/integration';
import { SharedReference } from '@cnmaturity/plugin-maturity-rules';

/**
 * Where shared files live on a host that is not a GitHub or GitLab
 * integration (an internal mirror, the demo): a URL template with
 * `{owner}`, `{repo}`, `{project}`, `{ref}` and `{path}`.
 */
export interface SharedCiHost {
  host: string;
  fileUrl: string;
}

export interface SharedCiUrlOptions {
  integrations?: ScmIntegrationRegistry;
  hosts: readonly SharedCiHost[];
}

const encodePath = (path: string) =>
  path.split('/').map(encodeURIComponent).join('/');

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(owner|repo|project|ref|path)\}/g, (_, key) =>
    key === 'path' || key === 'project' || key === 'owner'
      ? encodePath(values[key])
      : encodeURIComponent(values[key]),
  );
}

/**
 * The URLs to try, in order, for a shared CI file that a repository at
 * `repositoryUrl` refers to, or why it cannot be located. GitHub refers to
 * other repositories of the same host; GitLab `project` includes to projects
 * of the same instance; a GitLab `local` include outside the downloaded
 * files is read next to the repository.
 */
export function sharedCiUrls(
  reference: SharedReference,
  repositoryUrl: string,
  options: SharedCiUrlOptions,
): { urls: string[] } | { reason: string } {
  const target = reference.target;
  if (target.type === 'url') return { urls: [target.url] };
  const repository = new URL(repositoryUrl);
  if (target.type === 'repo') {
    const base = repositoryUrl.endsWith('/')
      ? repositoryUrl
      : `${repositoryUrl}/`;
    // A file view, not a directory view, on GitHub and GitLab.
    const url = new URL(encodePath(target.path), base).href.replace(
      /\/(-\/)?tree\//,
      '/$1blob/',
    );
    return { urls: [url] };
  }
  const host = repository.host;
  const template = options.hosts.find(h => h.host === host)?.fileUrl;
  const type = template ? 'template' : options.integrations?.byHost(host)?.type;
  const origin = repository.origin;

  if (target.type === 'github') {
    const paths =
      reference.kind === 'github-action'
        ? ['action.yml', 'action.yaml'].map(f =>
            [target.path, f].filter(Boolean).join('/'),
          )
        : [target.path];
    const values = (path: string) => ({
      owner: target.owner,
      repo: target.repo,
      project: `${target.owner}/${target.repo}`,
      ref: target.ref,
      path,
    });
    if (type === 'template') {
      return { urls: paths.map(p => fill(template!, values(p))) };
    }
    if (type === 'github') {
      return {
        urls: paths.map(
          p =>
            `${origin}/${encodeURIComponent(target.owner)}/${encodeURIComponent(
              target.repo,
            )}/blob/${encodeURIComponent(target.ref)}/${encodePath(p)}`,
        ),
      };
    }
    return {
      reason: `${host} is not a GitHub integration, so owner/repo references cannot be located (add it to integrations.github, or to maturity.sharedCi.hosts)`,
    };
  }

  const ref = target.ref ?? 'HEAD';
  const slash = target.project.lastIndexOf('/');
  if (type === 'template') {
    return {
      urls: [
        fill(template!, {
          owner: slash > 0 ? target.project.slice(0, slash) : '',
          repo: target.project.slice(slash + 1),
          project: target.project,
          ref,
          path: target.file,
        }),
      ],
    };
  }
  if (type === 'gitlab') {
    return {
      urls: [
        `${origin}/${encodePath(target.project)}/-/blob/${encodeURIComponent(
          ref,
        )}/${encodePath(target.file)}`,
      ],
    };
  }
  return {
    reason: `${host} is not a GitLab integration, so project includes cannot be located (add it to integrations.gitlab, or to maturity.sharedCi.hosts)`,
  };
}

/**
 * The owner (GitHub organisation or GitLab top-level group) of a repository
 * URL on an integration host, whose own actions count as shared definitions.
 */
export function repositoryOwner(
  repositoryUrl: string,
  integrations?: ScmIntegrationRegistry,
): string | undefined {
  try {
    const url = new URL(repositoryUrl);
    if (!integrations?.byHost(url.host)) return undefined;
    const owner = url.pathname.split('/').filter(Boolean)[0];
    return owner
      ? decodeURIComponent(owner).toLocaleLowerCase('en-US')
      : undefined;
  } catch {
    return undefined;
  }
}
