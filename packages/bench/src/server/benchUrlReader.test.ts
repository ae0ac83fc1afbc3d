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

  it('lists the archives it streams while asked to, one per download', async () => {
    const archives: { recording?: string[] } = {};
    const listing = new BenchUrlReader(
      dir,
      readIndex(dir),
      { fromTarArchive: async () => ({}) } as any,
      newCounters(),
      archives,
    );
    const [a, b] = organisation.repositories.filter(r => !r.failure);
    await listing.readTree(a.url);
    expect(archives.recording).toBeUndefined();
    archives.recording = [];
    await listing.readTree(b.url);
    await listing.readTree(a.url);
    const etag = readIndex(dir).repositories.get(`${a.org}/${a.repo}`)!.etag;
    await expect(listing.readTree(a.url, { etag })).rejects.toMatchObject({
      name: 'NotModifiedError',
    });
    expect(archives.recording).toEqual([
      `${b.org}/${b.repo}`,
      `${a.org}/${a.repo}`,
    ]);
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

  it('serves the shared repositories file by file, whatever the owner and ref, and 304s on the etag', async () => {
    const before = { ...counters };
    const workflow = templates.shared
      .find(r => r.name === 'platform-pipelines')!
      .files.find(f => f.path === '.github/workflows/security-scan.yml')!;
    // The URL the plugin makes from `maturity.sharedCi.hosts` in the bench.
    const url =
      'https://scm.bench.local/acme/platform-pipelines/blob/v1/.github/workflows/security-scan.yml';
    const response = await reader.readUrl(url);
    expect((await response.buffer()).toString('utf8')).toBe(workflow.content);
    expect(response.etag).toMatch(/^[0-9a-f]{40}$/);
    // The bench has one version, under any owner and ref.
    await expect(
      reader.readUrl(
        'https://scm.bench.local/other-org/platform-pipelines/blob/main/.github/workflows/security-scan.yml',
        { etag: response.etag },
      ),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    const stale = await reader.readUrl(url, { etag: 'an-older-commit' });
    expect(stale.etag).toBe(response.etag);
    await stale.buffer();

    await expect(
      reader.readUrl(
        'https://scm.bench.local/acme/platform-pipelines/blob/v1/.github/workflows/missing.yml',
      ),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    // Single files of the generated repositories are not served: trees only.
    const plan = organisation.repositories.find(r => !r.failure)!;
    await expect(
      reader.readUrl(`${plan.url.replace('/tree/', '/blob/')}README.md`),
    ).rejects.toMatchObject({ name: 'NotFoundError' });

    const delta = Object.fromEntries(
      Object.entries(counters).map(([k, v]) => [
        k,
        v - before[k as keyof typeof before],
      ]),
    );
    expect(delta).toEqual({
      requests: 0,
      conditional: 0,
      notModified: 0,
      downloads: 0,
      downloadedBytes: 0,
      failed: 0,
      fileRequests: 5,
      fileConditional: 2,
      fileNotModified: 1,
      fileDownloads: 2,
      fileFailed: 2,
    });
  });

  it('writes the shared files as plain files with a content etag in the index', () => {
    const { shared } = readIndex(dir);
    const key = 'platform-pipelines/.github/workflows/security-scan.yml';
    expect([...shared.keys()]).toContain(key);
    expect(
      fs.readFileSync(
        path.join(
          dir,
          'shared/platform-pipelines/.github/workflows/security-scan.yml',
        ),
        'utf8',
      ),
    ).toContain('aquasecurity/trivy-action');
    // Deterministic: the same content gives the same etag in another dir.
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-reader-'));
    try {
      writeRepositories(
        generateOrganisation({ seed: 8, entities: 5, broken: 0 }, templates),
        templates,
        other,
      );
      expect(readIndex(other).shared.get(key)).toEqual(shared.get(key));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
