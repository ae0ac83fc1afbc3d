import { MaturityClient } from './MaturityClient';

function client(respond: (url: string) => Response) {
  const calls: string[] = [];
  const inits: Array<RequestInit | undefined> = [];
  const c = new MaturityClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: {
      fetch: async (input: any, init?: RequestInit) => {
        calls.push(String(input));
        inits.push(init);
        return respond(String(input));
      },
    },
  });
  return { c, calls, inits };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('MaturityClient', () => {
  it('asks the maturity backend for the entity, encoding each part of the ref', async () => {
    const { c, calls } = client(() => json({ entityRef: 'x', checks: [] }));
    await c.getEntityResult({
      kind: 'Component',
      namespace: 'team a',
      name: 'svc/1',
    });
    expect(calls).toEqual([
      'http://backend/api/maturity/entities/Component/team%20a/svc%2F1',
    ]);
  });

  it('returns undefined when the entity was not evaluated yet (404)', async () => {
    const { c } = client(() =>
      json(
        { error: { name: 'NotFoundError', message: 'not evaluated yet' } },
        404,
      ),
    );
    await expect(
      c.getEntityResult({
        kind: 'component',
        namespace: 'default',
        name: 'svc',
      }),
    ).resolves.toBeUndefined();
  });

  it('throws a ResponseError carrying the backend message on other failures', async () => {
    const { c } = client(() =>
      json(
        {
          error: { name: 'Error', message: 'database is down' },
          response: { statusCode: 500 },
        },
        500,
      ),
    );
    const error = await c
      .getEntityResult({ kind: 'component', namespace: 'default', name: 'svc' })
      .catch(e => e);
    expect(error).toMatchObject({ name: 'ResponseError', statusCode: 500 });
    expect(error.body.error.message).toBe('database is down');
  });

  it('does not swallow a 404 from the rubric route', async () => {
    const { c } = client(() =>
      json({ error: { name: 'NotFoundError', message: 'nope' } }, 404),
    );
    await expect(c.getRubric()).rejects.toMatchObject({
      name: 'ResponseError',
    });
  });

  const ref = { kind: 'Component', namespace: 'default', name: 'svc' };

  it('asks for the summary with the filters, order and cursor as the backend reads them', async () => {
    const { c, calls } = client(() => json({ rows: [] }));
    await c.getSummary({
      owner: ['group:default/a', 'group:default/b'],
      level: [0, 2],
      behindTarget: true,
      q: 'pay ments',
      order: 'level:desc',
      cursor: 'abc',
      limit: 25,
    });
    expect(calls).toEqual([
      'http://backend/api/maturity/summary?owner=group%3Adefault%2Fa%2Cgroup%3Adefault%2Fb&level=0%2C2&behindTarget=true&q=pay+ments&order=level%3Adesc&cursor=abc&limit=25',
    ]);
  });

  it('downloads the CSV of the whole filter, without the page cursor', async () => {
    const { c, calls } = client(
      () => new Response('entity_ref\r\n', { status: 200 }),
    );
    const blob = await c.getSummaryCsv({
      owner: ['group:default/a'],
      cursor: 'abc',
      limit: 25,
    });
    expect(await blob.text()).toBe('entity_ref\r\n');
    expect(calls).toEqual([
      'http://backend/api/maturity/summary.csv?owner=group%3Adefault%2Fa',
    ]);
  });

  it('asks for the trend with the entity filters only', async () => {
    const { c, calls } = client(() => json({ trend: [{ day: 'd' }] }));
    await expect(
      c.getTrend(
        { owner: ['group:default/a'], q: 'x', behindTarget: true },
        30,
      ),
    ).resolves.toEqual([{ day: 'd' }]);
    expect(calls).toEqual([
      'http://backend/api/maturity/trend?owner=group%3Adefault%2Fa&days=30',
    ]);
  });

  it('posts a refresh and an attestation as JSON', async () => {
    const { c, calls, inits } = client(() => json({ entityRef: 'x' }));
    await c.refreshEntity(ref);
    await c.attest(ref, {
      checkId: 'people.certifications',
      evidenceUrl: 'https://wiki.example.com/certs',
    });
    expect(calls).toEqual([
      'http://backend/api/maturity/entities/Component/default/svc/refresh',
      'http://backend/api/maturity/entities/Component/default/svc/attestations',
    ]);
    expect(inits[0]).toMatchObject({ method: 'POST' });
    expect(inits[1]).toMatchObject({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        checkId: 'people.certifications',
        evidenceUrl: 'https://wiki.example.com/certs',
      }),
    });
  });

  it('throws the backend message when a refresh is not allowed', async () => {
    const { c } = client(() =>
      json({ error: { name: 'NotAllowedError', message: 'not allowed' } }, 403),
    );
    await expect(c.refreshEntity(ref)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
  });
});
