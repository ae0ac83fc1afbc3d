import { LoggerService } from '@backstage/backend-plugin-api';
import {
  GitLabIntegration,
  GitLabIntegrationConfig,
  getGitLabIntegrationRelativePath,
  getGitLabRequestOptions,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { HeadLookup } from './HeadLookup';

/** GitLab refuses `projects(fullPaths:)` with more than 50 paths. */
const PATHS_PER_FIELD = 50;
/** Projects per query, as GitHub's lookup asks for. */
const PROJECTS_PER_QUERY = 100;
/**
 * `projects` fields per query. By GitLab's rules (1 a field, +1 a Gitaly
 * call, +1 a resolver, connections +1% a node asked for) one field costs
 * about 10 at `first: 2` and 20 at `first: 100`; with at most 100 projects
 * a query, 10 fields cost about 120, under the 250 an authenticated query
 * may cost (200 unauthenticated).
 */
const FIELDS_PER_QUERY = 10;

/**
 * What GitLab's reader reads for a URL, parsed as its `readTree` parses it
 * (git-url-parse): the project's full path (after the integration's
 * relative path), the ref the URL names (the default branch when
 * undefined), and the directory in the repository (the root when
 * undefined). The reader's etag is the newest commit on the ref that
 * touches that directory: `GET /projects/:id/repository/commits
 * ?ref_name=<ref>&path=<path>`, first entry.
 */
export interface GitlabTarget {
  project: string;
  ref?: string;
  path?: string;
}

/** Path segments after which git-url-parse may end a project's path. */
const MARKERS = new Set([
  '-',
  'blob',
  'tree',
  'commit',
  'issues',
  'src',
  'raw',
  'edit',
]);

/**
 * The project, ref and directory of a GitLab URL, or undefined where the
 * reader's parse is not certain to agree (such URLs are read as usual):
 * `group/sub/project`, `group/sub/project/-/tree/<ref>/<dir>` and
 * `.../-/blob/<ref>/<file>`. Like git-url-parse, the whole path is decoded
 * before it is split, so a ref with an encoded `/` ends at the `/`.
 */
export function gitlabTargetOf(
  url: string,
  relativePath = '',
): GitlabTarget | undefined {
  let parsed: URL;
  let pathname: string;
  try {
    parsed = new URL(url);
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return undefined;
  }
  const trimmed = pathname.replace(/^\/|\/$/g, '');
  const prefix = relativePath.replace(/^\/|\/$/g, '');
  if (prefix && !trimmed.startsWith(`${prefix}/`)) return undefined;
  const segments = trimmed.slice(prefix ? prefix.length + 1 : 0).split('/');
  if (segments.some(s => !s)) return undefined;
  const dash = segments.indexOf('-');
  if (dash < 0) {
    // A project's own URL: the default branch, the whole repository. A
    // marker (`group/app/tree/main`, an old-style URL) would move where
    // git-url-parse ends the project: left to the reader.
    if (segments.some(s => MARKERS.has(s))) return undefined;
    segments[segments.length - 1] = segments[segments.length - 1].replace(
      /\.git$/,
      '',
    );
    if (segments.length < 2 || segments.some(s => !s)) return undefined;
    return { project: segments.join('/') };
  }
  // Everything before the first `-` is the project, as for git-url-parse.
  const project = segments.slice(0, dash);
  if (project.length < 2) return undefined;
  // The reader keeps a .git here (git-url-parse strips it only at the end).
  if (project[project.length - 1].endsWith('.git')) return undefined;
  const kind = segments[dash + 1];
  if (kind === undefined) return { project: project.join('/') };
  if (kind !== 'tree' && kind !== 'blob') return undefined;
  const ref = segments[dash + 2];
  const path = segments.slice(dash + 3).join('/');
  return {
    project: project.join('/'),
    ...(ref ? { ref } : {}),
    ...(ref && path ? { path } : {}),
  };
}

/** GitLab's GraphQL endpoint: beside the REST API (`/api/v4`), else under `baseUrl`. */
export function gitlabGraphqlEndpoint(config: GitLabIntegrationConfig): string {
  const api = config.apiBaseUrl.replace(/\/+$/, '');
  if (api.endsWith('/api/v4')) return `${api.slice(0, -'/v4'.length)}/graphql`;
  return `${config.baseUrl.replace(/\/+$/, '')}/api/graphql`;
}

export interface Wanted {
  url: string;
  project: string;
}

/** Projects asked for at one ref and directory: one `projects` field. */
export interface Field {
  ref?: string;
  path?: string;
  /** Full paths as the URLs spell them, each once; at most 50 a field. */
  projects: string[];
  wanted: Wanted[];
}

interface Batch {
  host: string;
  endpoint: string;
  integration: GitLabIntegration;
  fields: Field[];
}

/**
 * One query for the fields' projects: `gN:projects(fullPaths:$pN,first:n)`
 * with the newest commit of the tree at the field's ref and directory
 * (HEAD, the default branch, when no ref is named). Paths and refs are
 * variables, never part of the query text.
 */
export function gitlabHeadsQuery(fields: readonly Field[]): {
  query: string;
  variables: Record<string, string | string[]>;
} {
  const params: string[] = [];
  const selections: string[] = [];
  const variables: Record<string, string | string[]> = {};
  fields.forEach((f, i) => {
    params.push(`$p${i}:[String!]!`);
    variables[`p${i}`] = f.projects;
    const args: string[] = [];
    if (f.ref) {
      params.push(`$r${i}:String!`);
      variables[`r${i}`] = f.ref;
      args.push(`ref:$r${i}`);
    }
    if (f.path) {
      params.push(`$t${i}:String!`);
      variables[`t${i}`] = f.path;
      args.push(`path:$t${i}`);
    }
    const tree = args.length ? `tree(${args.join(',')})` : 'tree';
    // Room for two projects a path: old instances may hold paths that
    // differ only in case, and the exact spelling must be among them.
    const first = Math.min(2 * f.projects.length, 100);
    selections.push(
      `g${i}:projects(fullPaths:$p${i},first:${first}){nodes{fullPath repository{${tree}{lastCommit{sha}}}}}`,
    );
  });
  return {
    query: `query(${params.join(',')}){${selections.join(' ')}}`,
    variables,
  };
}

type Json = Record<string, any>;

/**
 * Head commits of GitLab projects, 100 per GraphQL query (50 per
 * `projects(fullPaths:)` field, GitLab's limit), with the token of the
 * host's GitLab integration. GitLab's reader tags a read with the newest
 * commit of the ref (in the URL's directory), which is what each field asks
 * for, so an unchanged project is known without its two REST requests.
 * A project the answer does not list is left out, not reported missing:
 * `fullPaths` does not follow the redirect of a renamed or moved project,
 * which the REST API (and so the reader) does. A failed query leaves its
 * URLs out with one warning; they are read as usual.
 */
export class GitlabHeadLookup implements HeadLookup {
  constructor(
    private readonly options: {
      integrations: ScmIntegrationRegistry;
      logger: LoggerService;
      /** By default the integration's fetch (its retry settings). */
      fetch?: typeof fetch;
    },
  ) {}

  async heads(urls: readonly string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    await Promise.all(this.batches(urls).map(b => this.query(b, out)));
    return out;
  }

  /** The URLs that are GitLab projects, grouped by host, ref and directory. */
  private batches(urls: readonly string[]): Batch[] {
    const hosts = new Map<
      string,
      { integration: GitLabIntegration; trees: Map<string, Field> }
    >();
    for (const url of new Set(urls)) {
      let integration: GitLabIntegration | undefined;
      try {
        integration = this.options.integrations.gitlab.byUrl(url);
      } catch {
        continue;
      }
      if (!integration) continue;
      const target = gitlabTargetOf(
        url,
        getGitLabIntegrationRelativePath(integration.config),
      );
      if (!target) continue;
      const { host } = integration.config;
      let byHost = hosts.get(host);
      if (!byHost) {
        byHost = { integration, trees: new Map() };
        hosts.set(host, byHost);
      }
      const key = JSON.stringify([target.ref ?? null, target.path ?? null]);
      let tree = byHost.trees.get(key);
      if (!tree) {
        tree = {
          ...(target.ref ? { ref: target.ref } : {}),
          ...(target.path ? { path: target.path } : {}),
          projects: [],
          wanted: [],
        };
        byHost.trees.set(key, tree);
      }
      // Each spelling once; GitLab lists the project under its own.
      if (!tree.projects.includes(target.project)) {
        tree.projects.push(target.project);
      }
      tree.wanted.push({ url, project: target.project });
    }
    const batches: Batch[] = [];
    for (const [host, { integration, trees }] of hosts) {
      const endpoint = gitlabGraphqlEndpoint(integration.config);
      let batch: Batch | undefined;
      let size = 0;
      for (const field of [...trees.values()].flatMap(splitField)) {
        if (
          !batch ||
          size + field.projects.length > PROJECTS_PER_QUERY ||
          batch.fields.length >= FIELDS_PER_QUERY
        ) {
          batch = { host, endpoint, integration, fields: [] };
          batches.push(batch);
          size = 0;
        }
        batch.fields.push(field);
        size += field.projects.length;
      }
    }
    return batches;
  }

  private async query(batch: Batch, out: Map<string, string | null>) {
    const { logger } = this.options;
    const { integration } = batch;
    const fetcher =
      this.options.fetch ??
      ((input: RequestInfo | URL, init?: RequestInit) =>
        integration.fetch(input, init));
    const count = batch.fields.reduce((n, f) => n + f.wanted.length, 0);
    const what = `GitLab head lookup of ${count} repositories on ${batch.host}`;
    let body: Json;
    try {
      const response = await fetcher(batch.endpoint, {
        method: 'POST',
        headers: {
          ...getGitLabRequestOptions(integration.config).headers,
          'content-type': 'application/json',
        },
        body: JSON.stringify(gitlabHeadsQuery(batch.fields)),
      });
      if (!response.ok) {
        throw new Error(`${response.status} ${response.statusText}`.trim());
      }
      body = (await response.json()) as Json;
    } catch (e) {
      logger.warn(`Maturity: ${what} failed, reading them as usual: ${e}`);
      return;
    }
    const data: Json = body?.data ?? {};
    let answered = 0;
    batch.fields.forEach((field, i) => {
      const nodes: Json[] = Array.isArray(data[`g${i}`]?.nodes)
        ? data[`g${i}`].nodes
        : [];
      for (const w of field.wanted) {
        const sha = shaOf(nodeOf(nodes, w.project));
        if (sha) {
          out.set(w.url, sha);
          answered++;
        }
      }
    });
    const errors: Json[] = Array.isArray(body?.errors) ? body.errors : [];
    if (errors.length) {
      const first = errors[0]?.message ?? JSON.stringify(errors[0]);
      logger.warn(
        `Maturity: ${what} answered ${answered} with ${errors.length} errors, reading the others as usual: ${first}`,
      );
    }
  }
}

/** A tree's projects in fields of at most 50, each with its URLs. */
function splitField(tree: Field): Field[] {
  const fields: Field[] = [];
  for (let i = 0; i < tree.projects.length; i += PATHS_PER_FIELD) {
    const projects = tree.projects.slice(i, i + PATHS_PER_FIELD);
    const asked = new Set(projects);
    fields.push({
      ...tree,
      projects,
      wanted: tree.wanted.filter(w => asked.has(w.project)),
    });
  }
  return fields;
}

/**
 * The listed project of a full path: the exact spelling, else the only one
 * that matches ignoring case (GitLab's own lookup does the same).
 */
function nodeOf(nodes: readonly Json[], project: string): Json | undefined {
  const exact = nodes.find(n => n?.fullPath === project);
  if (exact) return exact;
  const lower = project.toLocaleLowerCase('en-US');
  const matches = nodes.filter(
    n =>
      typeof n?.fullPath === 'string' &&
      n.fullPath.toLocaleLowerCase('en-US') === lower,
  );
  return matches.length === 1 ? matches[0] : undefined;
}

function shaOf(node: Json | undefined): string | undefined {
  const sha = node?.repository?.tree?.lastCommit?.sha;
  return typeof sha === 'string' && sha ? sha : undefined;
}
