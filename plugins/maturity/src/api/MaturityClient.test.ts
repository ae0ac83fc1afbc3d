import { MaturityClient } from './MaturityClient';

function client(respond: (url: string) => Response) {
  const calls: string[] = [];
  const c = new MaturityClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: {
      fetch: async (input: any) => {
        calls.push(String(input));
        return respond(String(input));
      },
    },
  });
  return { c, calls };
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
});
