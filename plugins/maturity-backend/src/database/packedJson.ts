import { promisify } from 'node:util';
import { deflateRaw, inflateRawSync } from 'node:zlib';

const deflateRawAsync = promisify(deflateRaw);

const PREFIX = 'z1:';
/** Below this many characters compression does not pay. */
const MIN_LENGTH = 512;

/**
 * JSON for a text column, deflated when it is long: check results with
 * their evidence are ~15 kB per entity and shrink about threefold, which
 * matters at 10,000 entities. Text (base64), so every engine stores it the
 * same way; plain JSON written before still reads. The deflate runs on
 * libuv's thread pool, off the event loop, so a page of results compresses
 * on the other cores while the next entities are evaluated.
 */
export async function packJson(value: unknown): Promise<string> {
  const json = JSON.stringify(value);
  if (json.length < MIN_LENGTH) return json;
  return `${PREFIX}${(await deflateRawAsync(json)).toString('base64')}`;
}

export function unpackJson<T>(text: string): T {
  if (!text.startsWith(PREFIX)) return JSON.parse(text);
  return JSON.parse(
    inflateRawSync(Buffer.from(text.slice(PREFIX.length), 'base64')).toString(
      'utf8',
    ),
  );
}
