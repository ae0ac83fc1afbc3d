import { mockServices } from '@backstage/backend-test-utils';
import { emptyExtraction } from '@cnmaturity/plugin-maturity-rules/testUtils';
import {
  createTestDatabases,
  expectEveryEngine,
} from '../__testUtils__/databases';
import { DatabaseRepoCache } from './DatabaseRepoCache';
import { DeflateDictionaries, learnDictionary } from './DeflateDictionaries';
import { packJson, unpackJson } from './packedJson';
import { DatabaseMaturityStore } from './DatabaseMaturityStore';

const databases = createTestDatabases();

it('runs on every database engine', () => {
  expectEveryEngine(databases);
});

/** Check results as one entity's evaluation writes them, varied a little. */
const checksOf = (i: number) =>
  Array.from({ length: 40 }, (_, c) => ({
    checkId: `process.check-${c}`,
    status: (i + c) % 3 ? 'pass' : 'fail',
    message: `Check ${c} of service-${i}: found .github/workflows/ci.yml running trivy image scan on every push`,
    evidence: [
      { type: 'file', label: '.github/workflows/ci.yml', line: 10 + (i % 7) },
    ],
  }));

describe('learnDictionary', () => {
  it('needs enough samples, and keeps the last 32 KiB of the distinct ones', () => {
    expect(learnDictionary(['{"a":1}'])).toBeUndefined();
    const samples = Array.from({ length: 100 }, (_, i) =>
      JSON.stringify(checksOf(i)),
    );
    const dictionary = learnDictionary([...samples, ...samples])!;
    expect(dictionary.length).toBe(32 * 1024);
    expect(dictionary.toString()).toContain(samples[99]);
  });
});

describe.each(databases.eachSupportedId())(
  'DeflateDictionaries on %s',
  databaseId => {
    it('learns one from the first values, then packs them smaller than deflate alone', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseMaturityStore.create({
        database: mockServices.database({ knex }),
      });
      void store; // migrated
      const dictionaries = new DeflateDictionaries(knex);
      const samples = Array.from({ length: 50 }, (_, i) =>
        JSON.stringify(checksOf(i)),
      );
      const dictionary = (await dictionaries.forWriting(
        'checks',
        () => samples,
      ))!;
      expect(dictionary.id).toMatch(/^[0-9a-f]{32}$/);

      const value = checksOf(1234);
      const plain = await packJson(value);
      const packed = await packJson(value, dictionary);
      expect(packed.startsWith(`z2:${dictionary.id}:`)).toBe(true);
      // Real results shrink about threefold more (see the benchmark); these
      // synthetic ones are regular enough for deflate alone to do well.
      expect(packed.length * 1.5).toBeLessThan(plain.length);

      // Another process (or a restart) writes with the stored one, and
      // reads after loading it.
      const other = new DeflateDictionaries(knex);
      const again = await other.forWriting('checks', () => {
        throw new Error('not asked: one is stored');
      });
      expect(again!.id).toBe(dictionary.id);
      const reader = new DeflateDictionaries(knex);
      expect(() => unpackJson(packed, reader.lookup)).toThrow(
        `The deflate dictionary ${dictionary.id} is not loaded`,
      );
      await reader.load([packed, plain, '{"plain":true}']);
      expect(unpackJson(packed, reader.lookup)).toEqual(value);
      expect(unpackJson(plain, reader.lookup)).toEqual(value);
    });

    it('waits for enough values before learning, and each purpose has its own', async () => {
      const knex = await databases.init(databaseId);
      await DatabaseMaturityStore.create({
        database: mockServices.database({ knex }),
      });
      const dictionaries = new DeflateDictionaries(knex);
      expect(
        await dictionaries.forWriting('checks', () => ['{"few":1}']),
      ).toBeUndefined();
      const checks = await dictionaries.forWriting('checks', () =>
        Array.from({ length: 50 }, (_, i) => JSON.stringify(checksOf(i))),
      );
      expect(checks).toBeDefined();
      const extraction = await dictionaries.forWriting('extraction', () =>
        Array.from({ length: 50 }, (_, i) =>
          JSON.stringify(emptyExtraction({ files: [`f${i}.yaml`] })).repeat(4),
        ),
      );
      expect(extraction!.id).not.toBe(checks!.id);
      expect(await knex('maturity_dictionaries').count({ n: '*' })).toEqual([
        { n: expect.anything() },
      ]);
      const [{ n }] = await knex('maturity_dictionaries').count({ n: '*' });
      expect(Number(n)).toBe(2);
    });

    it('compresses stored results and repository reads end to end', async () => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const cache = await DatabaseRepoCache.create({ database });
      const entries = Array.from({ length: 60 }, (_, i) => ({
        url: `https://github.com/acme/r${i}`,
        entry: {
          etag: `e${i}`,
          extractionVersion: 1,
          extraction: emptyExtraction({
            files: [
              'Dockerfile',
              '.github/workflows/ci.yml',
              ...Array.from({ length: 30 }, (__, n) => `k8s/r${i}-${n}.yaml`),
            ],
          }),
          readAt: new Date('2026-11-25T10:00:00.000Z'),
        },
      }));
      await cache.putMany(entries);
      const rows = await knex('maturity_repo_cache').select('extraction');
      expect(rows.every(r => String(r.extraction).startsWith('z2:'))).toBe(
        true,
      );
      // A fresh instance reads them back.
      const restarted = await DatabaseRepoCache.create({ database });
      const found = await restarted.getMany(entries.map(e => e.url));
      expect(found.get(entries[42].url)?.extraction).toEqual(
        entries[42].entry.extraction,
      );
    });
  },
);
