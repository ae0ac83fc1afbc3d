import { mockServices } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import {
  EXTRACTION_VERSION,
  RepositorySignal,
} from '@cnmaturity/plugin-maturity-rules';
import { NotModifiedError } from '@backstage/errors';
import {
  component,
  emptyExtraction,
} from '@cnmaturity/plugin-maturity-rules/testUtils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { FakeGitLabGraphql } from '../__testUtils__/fakeGitLabGraphql';
import { memoryRepoCache, treeResponse } from '../__testUtils__/repositories';
import { GitlabHeadLookup } from '../scm/GitlabHeadLookup';
import { HeadLookupByIntegration } from '../scm/HeadLookup';
import { ReadBackoff } from './ReadBackoff';
import { RepositoryCollector, sourceLocationUrl } from './RepositoryCollector';

const located = (name: string, url: string) =>
  component(
    name,
    {},
    {
      annotations: { 'backstage.io/source-location': `url:${url}` },
    },
  );

/** A reader serving one in-memory repository, counting its reads. */
function fakeReader(files: Record<string, string>, fail?: Error, etag = 'e1') {
  const calls: string[] = [];
  const etags: Array<string | undefined> = [];
  const reader: UrlReaderService = {
    readUrl: jest.fn(),
    search: jest.fn(),
    readTree: async (url, options) => {
      calls.push(url);
      etags.push(options?.etag);
      if (fail) throw fail;
      if (options?.etag === etag) throw new NotModifiedError();
      return treeResponse(files, etag, options);
    },
  };
  return { reader, calls, etags };
}

function extractionOf(signal: RepositorySignal) {
  if (signal.status !== 'ok') throw new Error(`unavailable: ${signal.reason}`);
  return signal.extraction;
}

const workflow = [
  'on: pull_request',
  'jobs:',
  '  test:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: npm test',
].join('\n');

describe('RepositoryCollector', () => {
  it('reads the source location once per cycle for entities that share it', async () => {
    const { reader, calls } = fakeReader({
      '.github/workflows/ci.yml': workflow,
      'src/index.ts': 'not relevant',
    });
    const collector = new RepositoryCollector({
      urlReader: reader,
      logger: mockServices.logger.mock(),
    });
    const { read } = collector.startCycle();
    const [a, b] = await Promise.all([
      read(located('a', 'https://github.com/acme/mono/tree/main/')),
      read(located('b', 'https://github.com/acme/mono/tree/main/')),
    ]);
    expect(calls).toEqual(['https://github.com/acme/mono/tree/main/']);
    expect(a).toBe(b);
    expect(extractionOf(a).files).toEqual(['.github/workflows/ci.yml']);
    expect(extractionOf(a).ci[0].tests[0].tool).toBe('npm test');
    // A new cycle reads again.
    await collector
      .startCycle()
      .read(located('a', 'https://github.com/acme/mono/tree/main/'));
    expect(calls).toHaveLength(2);
  });

  it('turns a failed SCM read into "unavailable" with the reason, never a throw', async () => {
    const logger = mockServices.logger.mock();
    const { reader } = fakeReader(
      {},
      new Error('API rate limit exceeded (403)'),
    );
    const collector = new RepositoryCollector({ urlReader: reader, logger });
    const signal = await collector
      .startCycle()
      .read(located('a', 'https://github.com/acme/a'));
    expect(signal).toEqual({
      status: 'unavailable',
      url: 'https://github.com/acme/a',
      reason:
        'reading https://github.com/acme/a failed: API rate limit exceeded (403)',
    });
    expect(logger.warn).toHaveBeenCalled();
  });

  it('skips files over the size limit with a note instead of downloading them', async () => {
    const { reader } = fakeReader({
      '.github/workflows/ci.yml': workflow,
      'deploy/huge.yaml': 'x'.repeat(2000),
    });
    const collector = new RepositoryCollector({
      urlReader: reader,
      logger: mockServices.logger.mock(),
      maxFileBytes: 1000,
    });
    const signal = await collector
      .startCycle()
      .read(located('a', 'https://x.example.com/r'));
    expect(extractionOf(signal).files).not.toContain('deploy/huge.yaml');
    expect(extractionOf(signal).notes).toContainEqual({
      file: 'deploy/huge.yaml',
      message: 'skipped: 2000 bytes is over the 1000 byte limit',
    });
  });

  it('explains entities without a readable source location', () => {
    expect(sourceLocationUrl(component('a'))).toEqual({
      reason: expect.stringContaining(
        'no backstage.io/source-location annotation',
      ),
    });
    expect(
      sourceLocationUrl(
        component(
          'a',
          {},
          { annotations: { 'backstage.io/source-location': 'file:/tmp/x' } },
        ),
      ),
    ).toEqual({
      reason:
        'the source location type "file" cannot be read (only url locations)',
    });
  });

  describe('with the repository cache', () => {
    const url = 'https://github.com/acme/a';

    it('sends the etag, and an unchanged repository reuses the cached extraction', async () => {
      const cache = memoryRepoCache();
      const { reader, etags } = fakeReader({
        '.github/workflows/ci.yml': workflow,
      });
      const collector = new RepositoryCollector({
        urlReader: reader,
        logger: mockServices.logger.mock(),
        cache,
      });
      const firstCycle = collector.startCycle();
      const first = await firstCycle.read(located('a', url));
      // Cached when the page is flushed, all of its reads at once.
      expect(cache.entries.size).toBe(0);
      await firstCycle.flush();
      expect(cache.entries.get(url)).toMatchObject({
        etag: 'e1',
        extractionVersion: EXTRACTION_VERSION,
      });
      const cycle = collector.startCycle();
      const second = await cycle.read(located('a', url));
      expect(etags).toEqual([undefined, 'e1']);
      expect(second).toEqual({
        status: 'ok',
        url,
        etag: 'e1',
        extraction: extractionOf(first),
      });
      expect(cycle.counts).toEqual({
        downloaded: 0,
        'not-modified': 1,
        failed: 0,
        held: 0,
      });
    });

    it('keeps the last good extraction when a read fails, marked stale with the reason', async () => {
      const cache = memoryRepoCache();
      const last = emptyExtraction({ files: ['Dockerfile'] });
      await cache.putMany([
        {
          url,
          entry: {
            etag: 'old',
            extractionVersion: EXTRACTION_VERSION,
            extraction: last,
            readAt: new Date('2026-11-24T10:00:00.000Z'),
          },
        },
      ]);
      const { reader } = fakeReader({}, new Error('503 Service Unavailable'));
      const collector = new RepositoryCollector({
        urlReader: reader,
        logger: mockServices.logger.mock(),
        cache,
      });
      const cycle = collector.startCycle();
      expect(await cycle.read(located('a', url))).toEqual({
        status: 'ok',
        url,
        etag: 'old',
        extraction: last,
        stale: {
          reason: `reading ${url} failed: 503 Service Unavailable`,
          since: '2026-11-24T10:00:00.000Z',
        },
      });
      expect(cycle.counts.failed).toBe(1);
    });

    it('spares a repository whose reads keep failing, longer each time, but not a push or a good read', async () => {
      const cache = memoryRepoCache();
      await cache.putMany([
        {
          url,
          entry: {
            etag: 'old',
            extractionVersion: EXTRACTION_VERSION,
            extraction: emptyExtraction({ files: ['Dockerfile'] }),
            readAt: new Date('2026-11-24T10:00:00.000Z'),
          },
        },
      ]);
      let now = Date.parse('2026-12-01T12:00:00.000Z');
      const hour = 3_600_000;
      let fail: Error | undefined = new Error('503 Service Unavailable');
      const calls: string[] = [];
      const reader: UrlReaderService = {
        readUrl: jest.fn(),
        search: jest.fn(),
        readTree: async (u, options) => {
          calls.push(u);
          if (fail) throw fail;
          return treeResponse({ Dockerfile: 'FROM x' }, 'new', options);
        },
      };
      const logger = mockServices.logger.mock();
      const collector = new RepositoryCollector({
        urlReader: reader,
        logger,
        cache,
        backoff: new ReadBackoff({ now: () => now }),
      });
      const cycle = async (urgent = false) => {
        const signal = await collector
          .startCycle({ urgent })
          .read(located('a', url));
        return signal.status === 'ok' ? signal.stale?.reason : signal.reason;
      };

      // Two failures in a row are read (one may be a blip)...
      await cycle();
      expect(await cycle()).toBe(
        `reading ${url} failed: 503 Service Unavailable`,
      );
      expect(calls).toHaveLength(2);
      // ...then the next cycles within the hour send nothing.
      now += hour / 2;
      expect(await cycle()).toBe(
        `reading ${url} failed: 503 Service Unavailable (2 reads in a row failed; the next is not before 2026-12-01T13:00:00.000Z)`,
      );
      expect(calls).toHaveLength(2);
      expect(logger.warn).toHaveBeenCalledTimes(2);
      // After the hour it is read again; a third failure waits two hours.
      now += hour / 2;
      await cycle();
      expect(calls).toHaveLength(3);
      now += hour;
      await cycle();
      expect(calls).toHaveLength(3);
      // A push does not wait, and a good read ends the sparing.
      fail = undefined;
      expect(await cycle(true)).toBeUndefined();
      expect(calls).toHaveLength(4);
      fail = new Error('503 Service Unavailable');
      await cycle();
      expect(calls).toHaveLength(5);
    });

    it('loads a page of cached reads in one query, and a failed cache write only costs a re-read', async () => {
      const cache = memoryRepoCache();
      const urls = ['a', 'b', 'c'].map(n => `https://github.com/acme/${n}`);
      await cache.putMany(
        urls.map(u => ({
          url: u,
          entry: {
            etag: 'e1',
            extractionVersion: EXTRACTION_VERSION,
            extraction: emptyExtraction(),
            readAt: new Date(),
          },
        })),
      );
      const getMany = jest.spyOn(cache, 'getMany');
      const { reader } = fakeReader({ Dockerfile: 'FROM node:22' });
      const logger = mockServices.logger.mock();
      const collector = new RepositoryCollector({
        urlReader: reader,
        logger,
        cache,
      });
      const cycle = collector.startCycle();
      const entities = urls.map((u, i) => located(`s${i}`, u));
      await cycle.prefetch(entities);
      await Promise.all(entities.map(e => cycle.read(e)));
      expect(getMany).toHaveBeenCalledTimes(1);
      expect(getMany).toHaveBeenCalledWith(urls);
      expect(cycle.counts['not-modified']).toBe(3);

      jest.spyOn(cache, 'putMany').mockRejectedValue(new Error('disk full'));
      const next = collector.startCycle();
      await next.read(located('d', 'https://github.com/acme/d'));
      await expect(next.flush()).resolves.toBeUndefined();
      expect(logger.warn).toHaveBeenCalledWith(
        'Could not cache 1 repositories: Error: disk full',
      );
    });

    it('does not trust an extraction of an older shape: no etag, full read', async () => {
      const cache = memoryRepoCache();
      await cache.putMany([
        {
          url,
          entry: {
            etag: 'e1',
            extractionVersion: 0,
            extraction: emptyExtraction(),
            readAt: new Date(),
          },
        },
      ]);
      const { reader, etags } = fakeReader({
        '.github/workflows/ci.yml': workflow,
      });
      const collector = new RepositoryCollector({
        urlReader: reader,
        logger: mockServices.logger.mock(),
        cache,
      });
      const signal = await collector.startCycle().read(located('a', url));
      expect(etags).toEqual([undefined]);
      expect(extractionOf(signal).files).toEqual(['.github/workflows/ci.yml']);
    });
  });

  describe('with a batched GitLab head lookup', () => {
    const url = 'https://gitlab.example.test/acme/platform/web/-/tree/main/';

    it('reads an unchanged GitLab project without a readTree, and one whose head moved as usual', async () => {
      const integrations = ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            gitlab: [
              {
                host: 'gitlab.example.test',
                apiBaseUrl: 'https://gitlab.example.test/api/v4',
                token: 'glpat-test',
              },
            ],
          },
        }),
      );
      // GitLab's reader tags a read with the branch's newest commit: 'e1'.
      const gitlab = new FakeGitLabGraphql(
        [{ fullPath: 'acme/platform/web', refs: { main: { head: 'e1' } } }],
        { token: 'glpat-test' },
      );
      const logger = mockServices.logger.mock();
      const { reader, calls } = fakeReader(
        { '.gitlab-ci.yml': 'test:\n  script: npm test\n' },
        undefined,
        'e1',
      );
      const collector = new RepositoryCollector({
        urlReader: reader,
        logger,
        cache: memoryRepoCache(),
        heads: new HeadLookupByIntegration({
          integrations,
          logger,
          lookups: {
            gitlab: new GitlabHeadLookup({
              integrations,
              logger,
              fetch: gitlab.fetch,
            }),
          },
        }),
      });
      const readCycle = async () => {
        const cycle = collector.startCycle();
        const entity = located('web', url);
        await cycle.prefetch([entity]);
        const signal = await cycle.read(entity);
        await cycle.flush();
        return { cycle, signal };
      };

      const first = await readCycle();
      expect(calls).toEqual([url]);
      expect(first.cycle.counts.downloaded).toBe(1);

      const second = await readCycle();
      expect(calls).toEqual([url]); // no readTree: the head is the etag
      expect(second.cycle.headMatches).toBe(1);
      expect(second.cycle.counts['not-modified']).toBe(1);
      expect(second.signal).toEqual({
        status: 'ok',
        url,
        etag: 'e1',
        extraction: extractionOf(first.signal),
      });
      expect(gitlab.queries).toHaveLength(2);
      expect(gitlab.queries[1].variables).toEqual({
        p0: ['acme/platform/web'],
        r0: 'main',
      });

      gitlab.project('acme/platform/web').refs.main.head = 'e2';
      const third = await readCycle();
      expect(calls).toEqual([url, url]);
      expect(third.cycle.headMatches).toBe(0);
      expect(logger.warn).not.toHaveBeenCalled();
    });
  });
});
