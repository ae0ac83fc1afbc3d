import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  FakeGitLabGraphql,
  FakeGitLabProject,
} from '../__testUtils__/fakeGitLabGraphql';
import {
  GitlabHeadLookup,
  gitlabGraphqlEndpoint,
  gitlabHeadsQuery,
  gitlabTargetOf,
} from './GitlabHeadLookup';

const HOST = 'gitlab.example.test';
const GRAPHQL = `https://${HOST}/api/graphql`;
const TOKEN = 'glpat-test';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      gitlab: [
        { host: HOST, apiBaseUrl: `https://${HOST}/api/v4`, token: TOKEN },
        {
          host: 'git.example.test',
          apiBaseUrl: 'https://git.example.test/gitlab/api/v4',
          baseUrl: 'https://git.example.test/gitlab',
          token: 'other',
        },
      ],
      github: [{ host: 'github.com', token: 'gh' }],
    },
  }),
);

const project = (
  fullPath: string,
  refs: FakeGitLabProject['refs'] = { main: { head: `sha-${fullPath}` } },
): FakeGitLabProject => ({ fullPath, refs });

function setup(projects: FakeGitLabProject[]) {
  const api = new FakeGitLabGraphql(projects, { token: TOKEN });
  const logger = mockServices.logger.mock();
  const lookup = new GitlabHeadLookup({
    integrations,
    logger,
    fetch: api.fetch,
  });
  return { api, logger, lookup };
}

describe('gitlabTargetOf', () => {
  it('reads a project URL as the default branch of the whole repository', () => {
    expect(gitlabTargetOf('https://gitlab.com/acme/web')).toEqual({
      project: 'acme/web',
    });
    expect(gitlabTargetOf('https://gitlab.com/acme/platform/web/')).toEqual({
      project: 'acme/platform/web',
    });
    expect(gitlabTargetOf('https://gitlab.com/acme/web.git')).toEqual({
      project: 'acme/web',
    });
  });

  it('reads the ref and the directory of a tree or blob URL, subgroups included', () => {
    expect(
      gitlabTargetOf('https://gitlab.com/acme/platform/web/-/tree/main'),
    ).toEqual({ project: 'acme/platform/web', ref: 'main' });
    expect(
      gitlabTargetOf(
        'https://gitlab.com/acme/platform/mono/-/tree/release/services/pay/',
      ),
    ).toEqual({
      project: 'acme/platform/mono',
      ref: 'release',
      path: 'services/pay',
    });
    expect(
      gitlabTargetOf(
        'https://gitlab.com/acme/web/-/blob/main/catalog-info.yaml?ref_type=heads',
      ),
    ).toEqual({ project: 'acme/web', ref: 'main', path: 'catalog-info.yaml' });
    expect(gitlabTargetOf('https://gitlab.com/acme/web/-/tree')).toEqual({
      project: 'acme/web',
    });
  });

  it('decodes the whole path before splitting it, as the reader does', () => {
    // git-url-parse: the ref ends at an encoded slash too.
    expect(
      gitlabTargetOf('https://gitlab.com/acme/web/-/tree/feature%2Fx/docs'),
    ).toEqual({ project: 'acme/web', ref: 'feature', path: 'x/docs' });
    expect(
      gitlabTargetOf('https://gitlab.com/acme/web/-/tree/main/my%20dir'),
    ).toEqual({ project: 'acme/web', ref: 'main', path: 'my dir' });
  });

  it("strips the integration's relative path, and leaves out URLs outside it", () => {
    expect(
      gitlabTargetOf(
        'https://git.example.test/gitlab/acme/web/-/tree/dev',
        '/gitlab',
      ),
    ).toEqual({ project: 'acme/web', ref: 'dev' });
    expect(
      gitlabTargetOf('https://git.example.test/acme/web', '/gitlab'),
    ).toBeUndefined();
  });

  it('leaves out what the reader might parse otherwise', () => {
    for (const url of [
      'not a url',
      'ssh://git@gitlab.com/acme/web',
      'https://gitlab.com/acme',
      'https://gitlab.com/acme/web/tree/main', // old style: the reader's guess
      'https://gitlab.com/acme/web/-/merge_requests',
      'https://gitlab.com/acme/web/-/raw/main/x',
      'https://gitlab.com/acme/web.git/-/tree/main',
      'https://gitlab.com/acme//web',
    ]) {
      expect(gitlabTargetOf(url)).toBeUndefined();
    }
  });
});

describe('gitlabGraphqlEndpoint', () => {
  it('finds the GraphQL endpoint beside the REST API', () => {
    expect(
      gitlabGraphqlEndpoint(integrations.gitlab.byHost(HOST)!.config),
    ).toBe(GRAPHQL);
    expect(
      gitlabGraphqlEndpoint(
        integrations.gitlab.byHost('git.example.test')!.config,
      ),
    ).toBe('https://git.example.test/gitlab/api/graphql');
    expect(
      gitlabGraphqlEndpoint(integrations.gitlab.byHost('gitlab.com')!.config),
    ).toBe('https://gitlab.com/api/graphql');
  });

  it('falls back to the base URL when the REST API is elsewhere', () => {
    expect(
      gitlabGraphqlEndpoint({
        host: 'gl.test',
        apiBaseUrl: 'https://proxy.test/gitlab-api',
        baseUrl: 'https://gl.test/',
      }),
    ).toBe('https://gl.test/api/graphql');
  });
});

describe('gitlabHeadsQuery', () => {
  it("asks for the default branch's newest commit, or the ref's in a directory", () => {
    const { query, variables } = gitlabHeadsQuery([
      { projects: ['acme/a', 'acme/b'], wanted: [] },
      {
        ref: 'release',
        path: 'services/pay',
        projects: ['acme/mono'],
        wanted: [],
      },
    ]);

    expect(query).toBe(
      'query($p0:[String!]!,$p1:[String!]!,$r1:String!,$t1:String!){' +
        'g0:projects(fullPaths:$p0,first:4){nodes{fullPath repository{tree{lastCommit{sha}}}}} ' +
        'g1:projects(fullPaths:$p1,first:2){nodes{fullPath repository{tree(ref:$r1,path:$t1){lastCommit{sha}}}}}}',
    );
    expect(variables).toEqual({
      p0: ['acme/a', 'acme/b'],
      p1: ['acme/mono'],
      r1: 'release',
      t1: 'services/pay',
    });
  });

  it('passes paths and refs as variables, never inside the query text', () => {
    const { query } = gitlabHeadsQuery([
      { ref: 'a"){x}', path: 'b"c', projects: ['evil"){x}/p'], wanted: [] },
    ]);

    expect(query).not.toContain('evil');
    expect(query).not.toContain('a"');
    expect(query).not.toContain('b"c');
  });
});

describe('GitlabHeadLookup', () => {
  it('asks for default-branch and branch URLs in one query, with the integration token', async () => {
    const { api, lookup } = setup([
      project('acme/web'),
      project('acme/platform/api', {
        main: { head: 'api-main' },
        release: { head: 'api-release' },
      }),
    ]);

    const heads = await lookup.heads([
      `https://${HOST}/acme/web`,
      `https://${HOST}/acme/platform/api/-/tree/release/`,
    ]);

    expect(api.queries).toHaveLength(1);
    expect(api.queries[0]).toMatchObject({
      url: GRAPHQL,
      authorization: `Bearer ${TOKEN}`,
      status: 200,
      variables: {
        p0: ['acme/web'],
        p1: ['acme/platform/api'],
        r1: 'release',
      },
    });
    expect(heads).toEqual(
      new Map([
        [`https://${HOST}/acme/web`, 'sha-acme/web'],
        [`https://${HOST}/acme/platform/api/-/tree/release/`, 'api-release'],
      ]),
    );
  });

  it("answers a directory's URL with the newest commit that touched the directory", async () => {
    const { api, lookup } = setup([
      project('acme/mono', {
        main: {
          head: 'head',
          paths: { 'services/pay': 'pay-last', 'services/web': 'web-last' },
        },
      }),
    ]);

    const heads = await lookup.heads([
      `https://${HOST}/acme/mono/-/tree/main/services/pay`,
      `https://${HOST}/acme/mono/-/tree/main/services/web`,
      `https://${HOST}/acme/mono/-/tree/main`,
    ]);

    expect(api.queries).toHaveLength(1);
    expect(api.queries[0].query).toContain('tree(ref:$r0,path:$t0)');
    expect(heads).toEqual(
      new Map([
        [`https://${HOST}/acme/mono/-/tree/main/services/pay`, 'pay-last'],
        [`https://${HOST}/acme/mono/-/tree/main/services/web`, 'web-last'],
        [`https://${HOST}/acme/mono/-/tree/main`, 'head'],
      ]),
    );
  });

  it('matches full paths ignoring case, as GitLab does, and prefers the exact spelling', async () => {
    const { lookup } = setup([
      project('Acme/Web', { main: { head: 'canonical' } }),
      // Old instances may hold paths that differ only in case.
      project('acme/legacy', { main: { head: 'lower' } }),
      project('Acme/Legacy', { main: { head: 'upper' } }),
    ]);

    const heads = await lookup.heads([
      `https://${HOST}/acme/web`,
      `https://${HOST}/ACME/WEB/-/tree/main`,
      `https://${HOST}/Acme/Legacy`,
      `https://${HOST}/acme/legacy`,
    ]);

    expect(heads).toEqual(
      new Map([
        [`https://${HOST}/acme/web`, 'canonical'],
        [`https://${HOST}/ACME/WEB/-/tree/main`, 'canonical'],
        [`https://${HOST}/Acme/Legacy`, 'upper'],
        [`https://${HOST}/acme/legacy`, 'lower'],
      ]),
    );
  });

  it('leaves out a project the answer does not list: missing, hidden, or moved (which the reader follows)', async () => {
    const { lookup, logger } = setup([project('acme/web')]);

    const heads = await lookup.heads([
      `https://${HOST}/acme/web`,
      `https://${HOST}/acme/gone`,
    ]);

    expect(heads).toEqual(
      new Map([[`https://${HOST}/acme/web`, 'sha-acme/web']]),
    );
    expect(heads.has(`https://${HOST}/acme/gone`)).toBe(false);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('leaves out a ref or directory without a commit', async () => {
    const { lookup } = setup([project('acme/web')]);

    const heads = await lookup.heads([
      `https://${HOST}/acme/web/-/tree/no-such-branch`,
      `https://${HOST}/acme/web/-/tree/main/no-such-dir`,
    ]);

    expect(heads.size).toBe(0);
  });

  it('asks for 100 projects a query, at most 50 a field', async () => {
    const projects = Array.from({ length: 250 }, (_, i) =>
      project(`acme/repo-${i}`),
    );
    const { api, lookup, logger } = setup(projects);

    const heads = await lookup.heads(
      projects.map(p => `https://${HOST}/${p.fullPath}`),
    );

    expect(api.queries.map(q => Object.keys(q.variables))).toEqual([
      ['p0', 'p1'],
      ['p0', 'p1'],
      ['p0'],
    ]);
    expect(
      api.queries.flatMap(q =>
        Object.values(q.variables).map(v => (v as string[]).length),
      ),
    ).toEqual([50, 50, 50, 50, 50]);
    expect(api.queries.every(q => q.status === 200)).toBe(true);
    expect(logger.warn).not.toHaveBeenCalled();
    expect(heads.size).toBe(250);
    expect(heads.get(`https://${HOST}/acme/repo-249`)).toBe(
      'sha-acme/repo-249',
    );
  });

  it('asks for at most 10 refs or directories a query, within the complexity limit', async () => {
    const paths = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [`services/s${i}`, `last-${i}`]),
    );
    const { api, lookup, logger } = setup([
      project('acme/mono', { main: { head: 'head', paths } }),
    ]);

    const heads = await lookup.heads(
      Object.keys(paths).map(p => `https://${HOST}/acme/mono/-/tree/main/${p}`),
    );

    expect(api.queries.map(q => q.query.match(/projects\(/g)!.length)).toEqual([
      10, 10, 5,
    ]);
    expect(Math.max(...api.queries.map(q => q.complexity))).toBeLessThan(250);
    expect(logger.warn).not.toHaveBeenCalled();
    expect(
      heads.get(`https://${HOST}/acme/mono/-/tree/main/services/s24`),
    ).toBe('last-24');
  });

  it('asks once for a project named by several URLs', async () => {
    const { api, lookup } = setup([project('acme/web')]);

    const heads = await lookup.heads([
      `https://${HOST}/acme/web`,
      `https://${HOST}/acme/web/`,
      `https://${HOST}/acme/web`,
    ]);

    expect(api.queries[0].variables).toEqual({ p0: ['acme/web'] });
    expect(heads.size).toBe(2);
  });

  it('asks each GitLab host at its own endpoint with its own token', async () => {
    const fetch = jest.fn(
      async (_url: RequestInfo | URL, _init?: RequestInit) =>
        new Response(JSON.stringify({ data: { g0: { nodes: [] } } })),
    );
    const lookup = new GitlabHeadLookup({
      integrations,
      logger: mockServices.logger.mock(),
      fetch: fetch as unknown as typeof globalThis.fetch,
    });

    await lookup.heads([
      `https://${HOST}/acme/web`,
      'https://git.example.test/gitlab/acme/web',
    ]);

    const byEndpoint = new Map(
      fetch.mock.calls.map(([url, init]) => [
        String(url),
        new Headers(init?.headers).get('authorization'),
      ]),
    );
    expect(byEndpoint).toEqual(
      new Map([
        [GRAPHQL, `Bearer ${TOKEN}`],
        ['https://git.example.test/gitlab/api/graphql', 'Bearer other'],
      ]),
    );
  });

  it('makes no request for URLs that are not GitLab projects', async () => {
    const { api, lookup } = setup([project('acme/web')]);

    const heads = await lookup.heads([
      'https://github.com/acme/web',
      'https://gitlab.other.test/acme/web',
      `https://${HOST}/acme`,
      `https://${HOST}/acme/web/tree/main`,
      'not a url',
    ]);

    expect(heads.size).toBe(0);
    expect(api.queries).toHaveLength(0);
  });

  it.each([
    [401, { message: '401 Unauthorized' }],
    [500, { message: 'Internal Server Error' }],
    [429, 'Retry later'],
  ])(
    'leaves the URLs out with one warning a query when GitLab answers %s',
    async (status, body) => {
      const { api, lookup, logger } = setup([]);
      api.failWith({ status, body });
      const urls = Array.from(
        { length: 150 },
        (_, i) => `https://${HOST}/acme/repo-${i}`,
      );

      const heads = await lookup.heads(urls);

      expect(heads.size).toBe(0);
      expect(api.queries).toHaveLength(2);
      expect(logger.warn).toHaveBeenCalledTimes(2);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          `GitLab head lookup of 100 repositories on ${HOST} failed, reading them as usual: Error: ${status}`,
        ),
      );
    },
  );

  it('leaves the URLs out with one warning when the query fails with GraphQL errors', async () => {
    const { api, lookup, logger } = setup([project('acme/web')]);
    api.failWith({
      status: 200,
      body: {
        errors: [
          {
            message:
              'Query has complexity of 300, which exceeds max complexity of 250',
          },
        ],
      },
    });

    const heads = await lookup.heads([`https://${HOST}/acme/web`]);

    expect(heads.size).toBe(0);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('exceeds max complexity'),
    );
  });

  it('answers the fields that worked when another failed, with one warning', async () => {
    const fetch = jest.fn(
      async () =>
        new Response(
          JSON.stringify({
            data: {
              g0: {
                nodes: [
                  {
                    fullPath: 'acme/web',
                    repository: { tree: { lastCommit: { sha: 'web-sha' } } },
                  },
                ],
              },
              g1: null,
            },
            errors: [{ message: 'Internal server error', path: ['g1'] }],
          }),
        ),
    );
    const logger = mockServices.logger.mock();
    const lookup = new GitlabHeadLookup({
      integrations,
      logger,
      fetch: fetch as unknown as typeof globalThis.fetch,
    });

    const heads = await lookup.heads([
      `https://${HOST}/acme/web`,
      `https://${HOST}/acme/api/-/tree/dev`,
    ]);

    expect(heads).toEqual(new Map([[`https://${HOST}/acme/web`, 'web-sha']]));
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('answered 1 with 1 errors'),
    );
  });

  it('leaves the URLs out with a warning when the network fails or the answer is not JSON', async () => {
    for (const respond of [
      () => Promise.reject(new TypeError('fetch failed')),
      () => Promise.resolve(new Response('<html>sign in</html>')),
    ]) {
      const logger = mockServices.logger.mock();
      const lookup = new GitlabHeadLookup({
        integrations,
        logger,
        fetch: jest.fn(respond) as unknown as typeof globalThis.fetch,
      });

      const heads = await lookup.heads([`https://${HOST}/acme/web`]);

      expect(heads.size).toBe(0);
      expect(logger.warn).toHaveBeenCalledTimes(1);
    }
  });
});
