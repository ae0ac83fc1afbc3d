import { LoggerService } from '@backstage/backend-plugin-api';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateOrganisation, repositoryFiles } from '../generator/generate';
import { loadTemplates } from '../generator/templates';
import { writeRepositories } from '../generator/writeRepositories';
import { BenchUrlReader, newCounters, readIndex } from './benchUrlReader';

const logger: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return logger;
  },
};

describe('BenchUrlReader', () => {
  const templates = loadTemplates();
  const organisation = generateOrganisation(
    { seed: 7, entities: 60, broken: 0.1 },
    templates,
  );
  let dir: string;
  const counters = newCounters();
  let reader: ReturnType<typeof UrlReaders.create>;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-reader-'));
    writeRepositories(organisation, templates, dir);
    const index = readIndex(dir);
    // The real UrlReaders wrapper and tree response factory, as the backend has them.
    reader = UrlReaders.create({
      config: new ConfigReader({}),
      logger,
      factories: [
        ({ treeResponseFactory }) => [
          {
            reader: new BenchUrlReader(
              dir,
              index,
              treeResponseFactory,
              counters,
            ),
            predicate: url => url.host === 'scm.bench.local',
          },
        ],
      ],
    });
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves a repository as the tar download an SCM gives, and 304s on its etag', async () => {
    const plan = organisation.repositories.find(r => !r.failure)!;
    const expected = repositoryFiles(7, plan, templates);
    const tree = await reader.readTree(plan.url, {
      filter: p => !p.startsWith('src/'),
    });
    const files = await tree.files();
    const read = await Promise.all(
      files.map(async f => ({
        path: f.path,
        content: (await f.content()).toString('utf8'),
      })),
    );
    expect(read.sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      expected
        .filter(f => !f.path.startsWith('src/'))
        .sort((a, b) => a.path.localeCompare(b.path)),
    );
    expect(tree.etag).toMatch(/^[0-9a-f]{40}$/);
    await expect(
      reader.readTree(plan.url, { etag: tree.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    expect(counters).toMatchObject({
      requests: 2,
      conditional: 1,
      notModified: 1,
      downloads: 1,
    });
  });

  it('fails the broken ones with 503 or 404', async () => {
    const p503 = organisation.repositories.find(r => r.failure === 503)!;
    const p404 = organisation.repositories.find(r => r.failure === 404)!;
    await expect(reader.readTree(p503.url)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
    await expect(reader.readTree(p404.url)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(
      reader.readTree('https://scm.bench.local/nowhere/none/tree/main/'),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
