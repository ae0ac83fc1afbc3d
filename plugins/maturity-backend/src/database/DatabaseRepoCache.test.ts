import { mockServices } from '@backstage/backend-test-utils';
import { emptyExtraction } from '@cnmaturity/plugin-maturity-rules/testUtils';
import {
  createTestDatabases,
  expectEveryEngine,
} from '../__testUtils__/databases';
import { CachedRepository, DatabaseRepoCache } from './DatabaseRepoCache';

const databases = createTestDatabases();

it('runs on every database engine', () => {
  expectEveryEngine(databases);
});

describe.each(databases.eachSupportedId())(
  'DatabaseRepoCache on %s',
  databaseId => {
    async function createCache() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseRepoCache.create({
        database: mockServices.database({ knex }),
      });
      return {
        get: async (url: string) => (await store.getMany([url])).get(url),
        put: (url: string, entry: CachedRepository) =>
          store.putMany([{ url, entry }]),
        getMany: store.getMany.bind(store),
        putMany: store.putMany.bind(store),
      };
    }

    it('keeps the last read per URL, long URLs included, and replaces it', async () => {
      const cache = await createCache();
      const url = `https://github.com/acme/${'very-long-name/'.repeat(
        40,
      )}tree/main/`;
      expect(await cache.get(url)).toBeUndefined();
      const extraction = emptyExtraction({ files: ['Dockerfile'] });
      await cache.put(url, {
        etag: 'W/"abc"',
        extractionVersion: 1,
        extraction,
        readAt: new Date('2026-11-25T10:00:00.000Z'),
      });
      expect(await cache.get(url)).toEqual({
        etag: 'W/"abc"',
        extractionVersion: 1,
        extraction,
        readAt: new Date('2026-11-25T10:00:00.000Z'),
      });
      await cache.put(url, {
        extractionVersion: 2,
        extraction: emptyExtraction(),
        readAt: new Date('2026-11-25T11:00:00.000Z'),
      });
      expect(await cache.get(url)).toMatchObject({
        extractionVersion: 2,
        readAt: new Date('2026-11-25T11:00:00.000Z'),
      });
      expect((await cache.get(url))?.etag).toBeUndefined();
    });

    it('reads and writes many URLs at once, the last write of a URL winning', async () => {
      const cache = await createCache();
      const urls = Array.from(
        { length: 250 },
        (_, i) => `https://github.com/acme/r${i}`,
      );
      const entry = (etag: string) => ({
        etag,
        extractionVersion: 1,
        extraction: emptyExtraction({ files: [`${etag}.yaml`] }),
        readAt: new Date('2026-11-25T10:00:00.000Z'),
      });
      await cache.putMany([
        ...urls.map(url => ({ url, entry: entry('a') })),
        { url: urls[0], entry: entry('b') },
      ]);
      const found = await cache.getMany([...urls, 'https://github.com/acme/x']);
      expect(found.size).toBe(250);
      expect(found.get(urls[0])).toEqual(entry('b'));
      expect(found.get(urls[249])?.extraction.files).toEqual(['a.yaml']);
      expect(await cache.getMany([])).toEqual(new Map());
    });

    it('keeps the shared CI files an extraction followed, with their versions', async () => {
      const cache = await createCache();
      const sharedFiles = [
        {
          url: 'https://github.com/acme/p/blob/v1/.github/workflows/a.yml',
          etag: 'x',
        },
        { url: 'https://gitlab.com/p/t/-/blob/v2/b.yml' },
      ];
      await cache.put('https://github.com/acme/svc', {
        etag: 't1',
        extractionVersion: 2,
        extraction: emptyExtraction(),
        readAt: new Date('2026-11-26T10:00:00.000Z'),
        sharedFiles,
      });
      expect(await cache.get('https://github.com/acme/svc')).toMatchObject({
        etag: 't1',
        sharedFiles,
      });
      await cache.put('https://github.com/acme/svc', {
        etag: 't2',
        extractionVersion: 2,
        extraction: emptyExtraction(),
        readAt: new Date('2026-11-26T11:00:00.000Z'),
      });
      expect(
        (await cache.get('https://github.com/acme/svc'))?.sharedFiles,
      ).toBeUndefined();
    });
  },
);
