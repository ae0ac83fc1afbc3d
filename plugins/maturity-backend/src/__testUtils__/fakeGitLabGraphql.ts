/** One GitLab project the fake knows. */
export interface FakeGitLabProject {
  /** Its full path, as GitLab spells it (`group/sub/project`). */
  fullPath: string;
  /** Default `main`. */
  defaultBranch?: string;
  /**
   * Per ref, the newest commit (`head`) and, per directory or file, the
   * newest commit that touched it; a directory not listed has no commit.
   */
  refs: Record<string, { head: string; paths?: Record<string, string> }>;
}

/** One query the fake answered. */
export interface FakeGitLabQuery {
  url: string;
  authorization?: string;
  query: string;
  variables: Record<string, unknown>;
  /** The query's complexity by GitLab's rules, as far as the fake knows them. */
  complexity: number;
  status: number;
}

/** GitLab's `projects(fullPaths:)` limit. */
const MAX_FULL_PATHS = 50;
/** GitLab's complexity limit for an authenticated query. */
const MAX_COMPLEXITY = 250;

const FIELD =
  /(g\d+):projects\(fullPaths:\$(p\d+),first:(\d+)\)\{nodes\{fullPath repository\{tree(?:\(([^)]*)\))?\{lastCommit\{sha\}\}\}\}\}/g;

/**
 * A GitLab GraphQL endpoint (`POST {baseUrl}/api/graphql`) as a `fetch`,
 * answering the heads query GitlabHeadLookup sends. It matches full paths
 * ignoring case and lists each project under its own spelling, lists no
 * unknown project (and no error for it, as GitLab does), refuses more than
 * 50 full paths a field and queries over GitLab's complexity limit.
 */
export class FakeGitLabGraphql {
  /** Every query answered, oldest first. */
  readonly queries: FakeGitLabQuery[] = [];
  private failure: { status: number; body: unknown } | undefined;

  constructor(
    private readonly projects: FakeGitLabProject[],
    private readonly options: { token?: string } = {},
  ) {}

  /** Answers every query with this, until cleared. */
  failWith(failure: { status: number; body: unknown } | undefined) {
    this.failure = failure;
  }

  /** The project, for a test to move its branches. */
  project(fullPath: string): FakeGitLabProject {
    const project = this.projects.find(p => p.fullPath === fullPath);
    if (!project) throw new Error(`no project ${fullPath}`);
    return project;
  }

  readonly fetch = (async (
    input: RequestInfo | URL,
    init?: RequestInit,
  ): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const { query, variables } = JSON.parse(String(init?.body)) as {
      query: string;
      variables: Record<string, unknown>;
    };
    const record = (status: number, complexity = 0) =>
      this.queries.push({
        url: String(input),
        ...(headers.get('authorization')
          ? { authorization: headers.get('authorization')! }
          : {}),
        query,
        variables,
        complexity,
        status,
      });
    if (this.failure) {
      record(this.failure.status);
      return json(this.failure.body, this.failure.status);
    }
    if (
      this.options.token &&
      headers.get('authorization') !== `Bearer ${this.options.token}`
    ) {
      record(401);
      return json({ message: '401 Unauthorized' }, 401);
    }
    const fields = [...query.matchAll(FIELD)];
    // sha 1; lastCommit 1 + resolver 1 + Gitaly 1; tree 1 + 1 + 1 more;
    // repository 1; fullPath 1; nodes 1; projects 1 + 1% per `first`.
    const complexity = fields.reduce(
      (sum, f) => sum + Math.floor((8 + 1) * (1 + Number(f[3]) * 0.01)),
      0,
    );
    if (complexity > MAX_COMPLEXITY) {
      record(200, complexity);
      return json({
        errors: [
          {
            message: `Query has complexity of ${complexity}, which exceeds max complexity of ${MAX_COMPLEXITY}`,
          },
        ],
      });
    }
    const data: Record<string, unknown> = {};
    const errors: unknown[] = [];
    for (const [, alias, pathsVar, first, args = ''] of fields) {
      const paths = variables[pathsVar] as string[];
      if (paths.length > MAX_FULL_PATHS) {
        data[alias] = null;
        errors.push({
          message: 'You cannot provide more than 50 full_paths',
          locations: [],
          path: [alias],
        });
        continue;
      }
      const wanted = new Set(paths.map(p => p.toLowerCase()));
      const ref = args.match(/ref:\$(r\d+)/)?.[1];
      const path = args.match(/path:\$(t\d+)/)?.[1];
      data[alias] = {
        nodes: this.projects
          .filter(p => wanted.has(p.fullPath.toLowerCase()))
          .slice(0, Number(first))
          .map(p => {
            const at = p.refs[
              ref ? String(variables[ref]) : p.defaultBranch ?? 'main'
            ] as FakeGitLabProject['refs'][string] | undefined;
            const sha = path ? at?.paths?.[String(variables[path])] : at?.head;
            return {
              fullPath: p.fullPath,
              repository: { tree: { lastCommit: sha ? { sha } : null } },
            };
          }),
      };
    }
    record(200, complexity);
    return json({ data, ...(errors.length ? { errors } : {}) });
  }) as typeof fetch;
}

function json(body: unknown, status = 200): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}
