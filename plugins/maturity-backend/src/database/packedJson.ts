import { promisify } from 'node:util';
import { deflateRaw, inflateRawSync } from 'node:zlib';

const deflateRawAsync = promisify(deflateRaw);

/** Deflated, no dictionary. */
const PLAIN = 'z1:';
/** Deflated with a preset dictionary: `z2:<dictionary id>:<base64>`. */
const WITH_DICTIONARY = 'z2:';
/** Below this many characters compression does not pay. */
const MIN_LENGTH = 512;

/** A preset deflate dictionary and its content address. */
export interface PackDictionary {
  id: string;
  bytes: Buffer;
}

/** Raw deflate of a JSON text; see ExtractionPool.deflate for one off the event loop. */
export type Deflate = (
  json: string,
  dictionary?: PackDictionary,
) => Promise<Buffer>;

/** On libuv's thread pool. */
export const deflateOnThreadPool: Deflate = (json, dictionary) =>
  deflateRawAsync(json, dictionary ? { dictionary: dictionary.bytes } : {});

/**
 * JSON for a text column, deflated when it is long: check results with
 * their evidence are ~15 kB per entity; deflate alone shrinks them about
 * fourfold, with a dictionary learned from other entities' results about
 * twelvefold (see DeflateDictionaries). Text (base64), so every engine
 * stores it the same way; plain JSON written before still reads. The
 * deflate runs off the event loop (`deflate`: libuv's thread pool, or the
 * extraction workers), so a page compresses on the other cores while the
 * next entities are evaluated.
 */
export async function packJson(
  value: unknown,
  dictionary?: PackDictionary,
  deflate: Deflate = deflateOnThreadPool,
): Promise<string> {
  const json = JSON.stringify(value);
  if (json.length < MIN_LENGTH) return json;
  const packed = (await deflate(json, dictionary)).toString('base64');
  return dictionary
    ? `${WITH_DICTIONARY}${dictionary.id}:${packed}`
    : `${PLAIN}${packed}`;
}

/** The dictionary a packed value needs, if any. */
export function dictionaryIdOf(text: string): string | undefined {
  if (!text.startsWith(WITH_DICTIONARY)) return undefined;
  const end = text.indexOf(':', WITH_DICTIONARY.length);
  return end > 0 ? text.slice(WITH_DICTIONARY.length, end) : undefined;
}

/**
 * Reads what packJson wrote. `dictionary` returns the bytes of a loaded
 * dictionary by id (see DeflateDictionaries.load).
 */
export function unpackJson<T>(
  text: string,
  dictionary: (id: string) => Buffer | undefined = () => undefined,
): T {
  if (text.startsWith(PLAIN)) {
    return JSON.parse(
      inflateRawSync(Buffer.from(text.slice(PLAIN.length), 'base64')).toString(
        'utf8',
      ),
    );
  }
  const id = dictionaryIdOf(text);
  if (id === undefined) return JSON.parse(text);
  const bytes = dictionary(id);
  if (!bytes) throw new Error(`The deflate dictionary ${id} is not loaded`);
  const data = Buffer.from(
    text.slice(WITH_DICTIONARY.length + id.length + 1),
    'base64',
  );
  return JSON.parse(
    inflateRawSync(data, { dictionary: bytes }).toString('utf8'),
  );
}

/** Packed text and the dictionary it needs, see packedSourceOf. */
export interface PackedSource {
  text: string;
  dictionary?: PackDictionary;
}

const PACKED_SOURCE = Symbol('packedSource');

/**
 * Notes on an object whose value is unpacked on first use where that value
 * came from, so a worker can unpack it rather than the event loop. A
 * symbol: neither JSON nor a structured clone carries it.
 */
export function withPackedSource<T extends object>(
  target: T,
  source: PackedSource | undefined,
): T {
  if (source) Object.defineProperty(target, PACKED_SOURCE, { value: source });
  return target;
}

export function packedSourceOf(target: object): PackedSource | undefined {
  return (target as { [PACKED_SOURCE]?: PackedSource })[PACKED_SOURCE];
}

/** The dictionary a packed text needs, from the loaded ones. */
export function dictionaryOf(
  text: string,
  lookup: (id: string) => Buffer | undefined,
): PackDictionary | undefined {
  const id = dictionaryIdOf(text);
  const bytes = id === undefined ? undefined : lookup(id);
  return id !== undefined && bytes ? { id, bytes } : undefined;
}
