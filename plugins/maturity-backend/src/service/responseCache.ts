import { createHash } from 'node:crypto';
import { Request, Response } from 'express';

/**
 * The last few response bodies by key, least recently used dropped first.
 * Keys carry the results version, so a write anywhere makes them miss.
 */
export class ResponseCache<T = string> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly size: number) {}

  get(key: string): T | undefined {
    const body = this.entries.get(key);
    if (body !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, body);
    }
    return body;
  }

  set(key: string, body: T): void {
    this.entries.delete(key);
    this.entries.set(key, body);
    while (this.entries.size > this.size) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }
}

/**
 * A response body kept as bytes with its ETag. Sending a string makes
 * Express convert and hash it on every request; for a summary or an export
 * served hundreds of times a second that was most of the time and of the
 * memory churn.
 */
export interface CachedBody {
  body: Buffer;
  etag: string;
}

export function cachedBody(text: string): CachedBody {
  const body = Buffer.from(text, 'utf8');
  const digest = createHash('sha1').update(body).digest('base64url');
  return { body, etag: `"${digest}"` };
}

/** Sends the body, or 304 when the client has this version. */
export function sendCached(req: Request, res: Response, cached: CachedBody) {
  res.setHeader('ETag', cached.etag);
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  res.send(cached.body);
}
