/** Requests to the backend under test with the bench's static token. */
export class BackendClient {
  constructor(readonly baseUrl: string, readonly token: string) {}

  get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      ...init,
      headers: { ...this.headers, ...(init.headers as object) },
    });
  }

  async json<T = any>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.fetch(path, init);
    const text = await res.text();
    if (!res.ok) {
      throw new Error(
        `${init.method ?? 'GET'} ${path}: ${res.status} ${text.slice(0, 500)}`,
      );
    }
    return text ? JSON.parse(text) : (undefined as T);
  }

  post<T = any>(path: string, body?: unknown): Promise<T> {
    return this.json<T>(path, {
      method: 'POST',
      ...(body !== undefined
        ? {
            body: JSON.stringify(body),
            headers: { 'content-type': 'application/json' },
          }
        : {}),
    });
  }
}
