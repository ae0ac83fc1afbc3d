import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  GithubHeadLookup,
  graphqlEndpoint,
  headsQuery,
  resetOf,
} from './GithubHeadLookup';
import { ScmRequestBudget } from './RequestBudget';

const GHES = 'github.example.test';
const GHES_GRAPHQL = 'https://github.example.test/api/graphql';
const GITHUB_GRAPHQL = 'https://api.github.com/graphql';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [
        {
          host: GHES,
          apiBaseUrl: 'https://github.example.test/api/v3',
          token: 't',
        },
        { host: 'github.com', token: 'u' },
      ],
    },
  }),
);

type Json = Record<string, any>;

function jsonResponse(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** The request body of the n-th call of a fetch mock. */
function sent(
  fetch: jest.Mock,
  call = 0,
): {
  query: string;
  variables: Record<string, string>;
} {
  return JSON.parse(fetch.mock.calls[call][1].body);
}

/** How many repositories a request body asks for. */
function repositoriesIn(body: { variables: Record<string, string> }) {
  return Object.keys(body.variables).filter(k => /^n\d+$/.test(k)).length;
}

/** What GitHub answers when every repository asked for exists. */
function answerEveryRepository(init: RequestInit) {
  const { variables } = JSON.parse(String(init.body));
  const data: Json = {
    rateLimit: {
      limit: 5000,
      cost: 1,
      remaining: 4999,
      resetAt: '2030-01-01T00:00:00Z',
    },
  };
  for (let i = 0; variables[`n${i}`] !== undefined; i++) {
    const oid = `sha-${variables[`o${i}`]}-${variables[`n${i}`]}`;
    data[`r${i}`] = variables[`e${i}`]
      ? { head: { oid } }
      : { defaultBranchRef: { target: { oid } } };
  }
  return jsonResponse({ data });
}

function setup(
  respond: (url: string, init: RequestInit) => Response | Promise<Response>,
  budget?: ScmRequestBudget,
) {
  const fetch = jest.fn(async (url: string, init: RequestInit) =>
    respond(url, init),
  );
  const logger = mockServices.logger.mock();
  const lookup = new GithubHeadLookup({
    integrations,
    logger,
    budget,
    fetch: fetch as unknown as typeof globalThis.fetch,
  });
  return { lookup, fetch, logger };
}

const graphqlStatus = (budget: ScmRequestBudget, host = GHES) =>
  budget.status(host).find(s => s.resource === 'graphql');

describe('graphqlEndpoint', () => {
  it("finds github.com's GraphQL endpoint beside its REST API", () => {
    expect(graphqlEndpoint('https://api.github.com')).toBe(
      'https://api.github.com/graphql',
    );
    expect(graphqlEndpoint('https://api.github.com/')).toBe(
      'https://api.github.com/graphql',
    );
  });

  it("finds a GitHub Enterprise Server's GraphQL endpoint at /api/graphql", () => {
    expect(graphqlEndpoint('https://github.example.test/api/v3')).toBe(
      GHES_GRAPHQL,
    );
    expect(graphqlEndpoint('https://github.example.test/api/v3/')).toBe(
      GHES_GRAPHQL,
    );
  });
});

describe('headsQuery', () => {
  it("asks for the named branch's commit, or the default branch's when none is named", () => {
    const { query, variables } = headsQuery([
      {
        url: 'https://github.example.test/acme/a/tree/main/',
        owner: 'acme',
        name: 'a',
        ref: 'main',
      },
      { url: 'https://github.example.test/acme/b', owner: 'acme', name: 'b' },
    ]);

    expect(query).toBe(
      'query($o0:String!,$n0:String!,$e0:String!,$o1:String!,$n1:String!){rateLimit{limit cost remaining resetAt} ' +
        'r0:repository(owner:$o0,name:$n0){head:object(expression:$e0){...on Commit{oid}}} ' +
        'r1:repository(owner:$o1,name:$n1){defaultBranchRef{target{oid}}}}',
    );
    expect(variables).toEqual({
      o0: 'acme',
      n0: 'a',
      e0: 'main',
      o1: 'acme',
      n1: 'b',
    });
  });

  it('passes names as variables, never inside the query text', () => {
    const { query } = headsQuery([
      { url: 'x', owner: 'evil"){x}', name: 'repo', ref: 'a"b' },
    ]);

    expect(query).not.toContain('evil');
    expect(query).not.toContain('a"b');
  });
});

describe('GithubHeadLookup', () => {
  it('asks for a branch-naming URL and a default-branch URL in one query', async () => {
    const { lookup, fetch } = setup((_, init) => answerEveryRepository(init));

    const heads = await lookup.heads([
      'https://github.example.test/acme/a/tree/main/',
      'https://github.example.test/acme/b',
    ]);

    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0][0]).toBe(GHES_GRAPHQL);
    const { query, variables } = sent(fetch);
    expect(query).toContain(
      'r0:repository(owner:$o0,name:$n0){head:object(expression:$e0){...on Commit{oid}}}',
    );
    expect(query).toContain(
      'r1:repository(owner:$o1,name:$n1){defaultBranchRef{target{oid}}}',
    );
    expect(variables).toEqual({
      o0: 'acme',
      n0: 'a',
      e0: 'main',
      o1: 'acme',
      n1: 'b',
    });
    expect(heads).toEqual(
      new Map([
        ['https://github.example.test/acme/a/tree/main/', 'sha-acme-a'],
        ['https://github.example.test/acme/b', 'sha-acme-b'],
      ]),
    );
  });

  it('asks for 100 repositories a query, with the token of the integration', async () => {
    const { lookup, fetch } = setup((_, init) => answerEveryRepository(init));
    const urls = Array.from(
      { length: 250 },
      (_, i) => `https://github.example.test/acme/repo-${i}`,
    );

    const heads = await lookup.heads(urls);

    expect(fetch).toHaveBeenCalledTimes(3);
    expect(
      fetch.mock.calls.map((_, i) => repositoriesIn(sent(fetch, i))),
    ).toEqual([100, 100, 50]);
    for (const [url, init] of fetch.mock.calls) {
      expect(url).toBe(GHES_GRAPHQL);
      expect(init).toMatchObject({
        method: 'POST',
        headers: {
          Authorization: 'Bearer t',
          'content-type': 'application/json',
        },
      });
    }
    expect(heads.size).toBe(250);
    expect(heads.get('https://github.example.test/acme/repo-249')).toBe(
      'sha-acme-repo-249',
    );
  });

  it('asks each GitHub host at its own endpoint with its own token', async () => {
    const { lookup, fetch } = setup((_, init) => answerEveryRepository(init));

    const heads = await lookup.heads([
      'https://github.example.test/acme/a',
      'https://github.com/acme/web/blob/develop/README.md',
    ]);

    expect(fetch).toHaveBeenCalledTimes(2);
    const byEndpoint = new Map(
      fetch.mock.calls.map(([url, init]) => [url, init.headers]),
    );
    expect(byEndpoint.get(GHES_GRAPHQL)).toMatchObject({
      Authorization: 'Bearer t',
    });
    expect(byEndpoint.get(GITHUB_GRAPHQL)).toMatchObject({
      Authorization: 'Bearer u',
    });
    expect(heads).toEqual(
      new Map([
        ['https://github.example.test/acme/a', 'sha-acme-a'],
        ['https://github.com/acme/web/blob/develop/README.md', 'sha-acme-web'],
      ]),
    );
  });

  it('asks once for a URL given twice', async () => {
    const { lookup, fetch } = setup((_, init) => answerEveryRepository(init));

    await lookup.heads([
      'https://github.example.test/acme/a',
      'https://github.example.test/acme/a',
    ]);

    expect(repositoriesIn(sent(fetch))).toBe(1);
  });

  it('leaves out URLs that are not repositories of a GitHub integration, without a request', async () => {
    const { lookup, fetch } = setup((_, init) => answerEveryRepository(init));

    const heads = await lookup.heads([
      'https://gitlab.com/acme/api',
      'https://github.other.test/acme/api',
      'https://github.example.test/acme',
      'https://github.example.test/',
      'not a url',
    ]);

    expect(heads.size).toBe(0);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('still answers the GitHub repositories among URLs it cannot use', async () => {
    const { lookup, fetch } = setup((_, init) => answerEveryRepository(init));

    const heads = await lookup.heads([
      'not a url',
      'https://gitlab.com/acme/api',
      'https://github.example.test/acme/a',
    ]);

    expect(repositoriesIn(sent(fetch))).toBe(1);
    expect(heads).toEqual(
      new Map([['https://github.example.test/acme/a', 'sha-acme-a']]),
    );
  });

  it('says null for a repository GitHub does not find, and answers the others of the query', async () => {
    const { lookup } = setup(() =>
      jsonResponse({
        data: {
          rateLimit: {
            limit: 5000,
            cost: 1,
            remaining: 4990,
            resetAt: '2030-01-01T00:00:00Z',
          },
          r0: { defaultBranchRef: { target: { oid: 'aaa111' } } },
          r1: null,
          r2: { head: { oid: 'ccc333' } },
        },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['r1'],
            message:
              "Could not resolve to a Repository with the name 'acme/gone'.",
          },
        ],
      }),
    );

    const heads = await lookup.heads([
      'https://github.example.test/acme/a',
      'https://github.example.test/acme/gone',
      'https://github.example.test/acme/c/tree/release/',
    ]);

    expect(heads).toEqual(
      new Map([
        ['https://github.example.test/acme/a', 'aaa111'],
        ['https://github.example.test/acme/gone', null],
        ['https://github.example.test/acme/c/tree/release/', 'ccc333'],
      ]),
    );
  });

  it('leaves out a branch that does not exist', async () => {
    const { lookup } = setup(() =>
      jsonResponse({ data: { r0: { head: null } } }),
    );

    const heads = await lookup.heads([
      'https://github.example.test/acme/a/tree/no-such-branch',
    ]);

    expect(heads.size).toBe(0);
  });

  it('learns the GraphQL rate limit from the response headers', async () => {
    const budget = new ScmRequestBudget();
    const reset = Math.floor(Date.now() / 1000) + 1800;
    const { lookup } = setup((_, init) => {
      const answer = answerEveryRepository(init);
      answer.headers.set('x-ratelimit-limit', '12500');
      answer.headers.set('x-ratelimit-remaining', '12000');
      answer.headers.set('x-ratelimit-reset', String(reset));
      return answer;
    }, budget);

    await lookup.heads(['https://github.example.test/acme/a']);

    expect(graphqlStatus(budget)).toMatchObject({
      limit: 12500,
      remaining: 12000,
      resetAt: new Date(reset * 1000).toISOString(),
      allowance: 6250,
      spent: 1,
    });
  });

  it.each([403, 429])(
    'holds further GraphQL queries when GitHub refuses one with %s, and reads the URLs as usual',
    async status => {
      const budget = new ScmRequestBudget();
      const reset = Math.floor(Date.now() / 1000) + 600;
      const { lookup, logger } = setup(
        () =>
          jsonResponse({ message: 'API rate limit exceeded' }, status, {
            'x-ratelimit-limit': '5000',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': String(reset),
          }),
        budget,
      );

      const heads = await lookup.heads(['https://github.example.test/acme/a']);

      expect(heads.size).toBe(0);
      expect(graphqlStatus(budget)).toMatchObject({
        remaining: 0,
        heldUntil: new Date(reset * 1000).toISOString(),
        heldReason: expect.any(String),
      });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          `head lookup of 1 repositories on ${GHES} failed, reading them as usual: Error: ${status} rate limited`,
        ),
      );
    },
  );

  it('holds for the time a secondary rate limit gives in retry-after', async () => {
    const budget = new ScmRequestBudget();
    const { lookup } = setup(
      () =>
        jsonResponse({ message: 'secondary rate limit' }, 403, {
          'retry-after': '120',
        }),
      budget,
    );

    const before = Date.now();
    await lookup.heads(['https://github.example.test/acme/a']);

    const heldUntil = Date.parse(graphqlStatus(budget)!.heldUntil!);
    expect(heldUntil).toBeGreaterThanOrEqual(before + 120_000);
    expect(heldUntil).toBeLessThanOrEqual(Date.now() + 120_000);
  });

  it('holds further GraphQL queries when GitHub answers RATE_LIMITED, and reads the URLs as usual', async () => {
    const budget = new ScmRequestBudget();
    const resetAt = new Date(Date.now() + 900_000);
    resetAt.setMilliseconds(0);
    const { lookup, logger } = setup(
      () =>
        jsonResponse({
          data: {
            rateLimit: {
              limit: 5000,
              cost: 1,
              remaining: 0,
              resetAt: resetAt.toISOString(),
            },
            r0: null,
          },
          errors: [
            {
              type: 'RATE_LIMITED',
              message: 'API rate limit exceeded for installation ID 1.',
            },
          ],
        }),
      budget,
    );

    const heads = await lookup.heads(['https://github.example.test/acme/a']);

    expect(heads.size).toBe(0);
    expect(graphqlStatus(budget)).toMatchObject({
      heldUntil: resetAt.toISOString(),
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(`on ${GHES}`),
    );
  });

  it('makes no request while GraphQL queries are held', async () => {
    const budget = new ScmRequestBudget();
    budget.limited(GHES, 'graphql', new Date(Date.now() + 600_000));
    const { lookup, fetch } = setup(
      (_, init) => answerEveryRepository(init),
      budget,
    );

    const heads = await lookup.heads(['https://github.example.test/acme/a']);

    expect(heads.size).toBe(0);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('makes no request when the GraphQL share of the rate limit is spent', async () => {
    // 2 an hour at 50%: one query, already spent.
    const budget = new ScmRequestBudget({ defaultLimit: 2 });
    expect(await budget.take(GHES, 'graphql', 1)).toBeUndefined();
    const { lookup, fetch } = setup(
      (_, init) => answerEveryRepository(init),
      budget,
    );

    const heads = await lookup.heads(['https://github.example.test/acme/a']);

    expect(heads.size).toBe(0);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('still asks github.com when the share of another host is spent', async () => {
    const budget = new ScmRequestBudget({ defaultLimit: 2 });
    await budget.take(GHES, 'graphql', 1);
    const { lookup, fetch } = setup(
      (_, init) => answerEveryRepository(init),
      budget,
    );

    const heads = await lookup.heads([
      'https://github.example.test/acme/a',
      'https://github.com/acme/web',
    ]);

    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0][0]).toBe(GITHUB_GRAPHQL);
    expect(heads).toEqual(
      new Map([['https://github.com/acme/web', 'sha-acme-web']]),
    );
  });

  it('leaves the URLs out with a warning when the network fails, and does not throw', async () => {
    const { lookup, logger } = setup(() => {
      throw new TypeError('fetch failed');
    });

    const heads = await lookup.heads(['https://github.example.test/acme/a']);

    expect(heads.size).toBe(0);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('TypeError: fetch failed'),
    );
  });

  it('leaves the URLs out with a warning when GitHub answers with an error', async () => {
    const { lookup, logger } = setup(() =>
      jsonResponse({ message: 'Bad credentials' }, 401),
    );

    const heads = await lookup.heads(['https://github.example.test/acme/a']);

    expect(heads.size).toBe(0);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('401'));
  });

  it('leaves the URLs out with a warning when the answer is not JSON', async () => {
    const { lookup, logger } = setup(
      () => new Response('<html>unicorn</html>', { status: 200 }),
    );

    const heads = await lookup.heads(['https://github.example.test/acme/a']);

    expect(heads.size).toBe(0);
    expect(logger.warn).toHaveBeenCalled();
  });

  it('answers the queries that worked when another failed', async () => {
    let calls = 0;
    const { lookup } = setup((_, init) => {
      calls++;
      if (calls === 1) throw new TypeError('fetch failed');
      return answerEveryRepository(init);
    });
    const urls = Array.from(
      { length: 150 },
      (_, i) => `https://github.example.test/acme/repo-${i}`,
    );

    const heads = await lookup.heads(urls);

    expect(heads.size).toBe(50);
  });
});

describe('resetOf', () => {
  it('reads x-ratelimit-reset as epoch seconds', () => {
    expect(resetOf(new Headers({ 'x-ratelimit-reset': '1767607200' }))).toEqual(
      new Date('2026-01-05T10:00:00Z'),
    );
  });

  it('prefers x-ratelimit-reset to retry-after', () => {
    expect(
      resetOf(
        new Headers({ 'x-ratelimit-reset': '1767607200', 'retry-after': '60' }),
      ),
    ).toEqual(new Date('2026-01-05T10:00:00Z'));
  });

  it('reads retry-after as seconds from now', () => {
    const before = Date.now();
    const reset = resetOf(new Headers({ 'retry-after': '90' }))!;
    expect(reset.getTime()).toBeGreaterThanOrEqual(before + 90_000);
    expect(reset.getTime()).toBeLessThanOrEqual(Date.now() + 90_000);
  });

  it('gives no reset when the response says neither', () => {
    expect(resetOf(new Headers())).toBeUndefined();
    expect(
      resetOf(new Headers({ 'content-type': 'text/plain' })),
    ).toBeUndefined();
  });
});
