import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { dictionaryIdOf, PackDictionary } from './packedJson';

/** What a dictionary compresses; each has its own. */
export type DictionaryPurpose = 'checks' | 'extraction';

/** deflate looks back at most 32 KiB, so a larger dictionary is wasted. */
const MAX_DICTIONARY_BYTES = 32 * 1024;
/** Fewer sample bytes than this do not make a useful dictionary yet. */
const MIN_SAMPLE_BYTES = 8 * 1024;

interface DictionaryRow {
  id: string;
  purpose: string;
  dictionary: string;
}

/**
 * A preset dictionary from sample texts: the last 32 KiB of the distinct
 * samples, concatenated. Deflate's matches into it are what repeats from
 * entity to entity (check ids, messages, evidence labels, JSON keys).
 * Undefined while the samples are too few.
 */
export function learnDictionary(
  samples: readonly string[],
): Buffer | undefined {
  const text = [...new Set(samples)].join('');
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length < MIN_SAMPLE_BYTES) return undefined;
  return bytes.subarray(Math.max(0, bytes.length - MAX_DICTIONARY_BYTES));
}

/**
 * The deflate dictionaries of packed JSON columns, stored in
 * `maturity_dictionaries`. The first write of a purpose learns one from its
 * own values; later writes, after restarts and on other instances too, use
 * the latest stored. Dictionaries are content-addressed and never change,
 * so each is read from the database once per process.
 */
export class DeflateDictionaries {
  private readonly loaded = new Map<string, Buffer>();
  private readonly current = new Map<
    DictionaryPurpose,
    Promise<PackDictionary | undefined>
  >();

  constructor(private readonly db: Knex) {}

  /**
   * The dictionary to pack `purpose` values with; `samples` (JSON texts)
   * are asked for only when none is stored yet.
   */
  async forWriting(
    purpose: DictionaryPurpose,
    samples: () => string[],
  ): Promise<PackDictionary | undefined> {
    let pending = this.current.get(purpose);
    if (!pending) {
      pending = this.findOrLearn(purpose, samples);
      this.current.set(purpose, pending);
    }
    const dictionary = await pending.catch(() => undefined);
    // Not enough samples yet, or the database failed: ask again next time.
    if (!dictionary) this.current.delete(purpose);
    return dictionary;
  }

  /** Loads the dictionaries these packed values need. */
  async load(texts: Iterable<string>): Promise<void> {
    const missing = new Set<string>();
    for (const text of texts) {
      const id = dictionaryIdOf(text);
      if (id && !this.loaded.has(id)) missing.add(id);
    }
    if (missing.size === 0) return;
    const rows = await this.db<DictionaryRow>('maturity_dictionaries')
      .whereIn('id', [...missing])
      .select('id', 'dictionary');
    for (const row of rows) {
      this.loaded.set(row.id, Buffer.from(row.dictionary, 'base64'));
    }
  }

  /** A loaded dictionary's bytes, for unpackJson. */
  readonly lookup = (id: string): Buffer | undefined => this.loaded.get(id);

  private async findOrLearn(
    purpose: DictionaryPurpose,
    samples: () => string[],
  ): Promise<PackDictionary | undefined> {
    const row = await this.db<DictionaryRow>('maturity_dictionaries')
      .where({ purpose })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first('id', 'dictionary');
    if (row) {
      const bytes = Buffer.from(row.dictionary, 'base64');
      this.loaded.set(row.id, bytes);
      return { id: row.id, bytes };
    }
    const bytes = learnDictionary(samples());
    if (!bytes) return undefined;
    const id = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
    // Another instance may learn its own at the same time: both are kept.
    await this.db('maturity_dictionaries')
      .insert({
        id,
        purpose,
        dictionary: bytes.toString('base64'),
        created_at: new Date(),
      })
      .onConflict('id')
      .ignore();
    this.loaded.set(id, bytes);
    return { id, bytes };
  }
}
