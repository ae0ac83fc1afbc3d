import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { backstageTreeResponseFactory } from '../__testUtils__/treeResponseFactory';
import { FileNote, filesOfSource, repoFileFilter } from './repoFiles';
import { readRepositorySource, wholeTarArchive } from './repositorySource';

/*
 * How a readTree response is read: a whole-repository tar from Backstage's
 * factory goes to a worker as bytes; a large one is parsed as it streams;
 * anything else through files(). Pinned to the installed Backstage, so an
 * upgrade that changes its tar response shows here, not as a slow cycle.
 */

const MAX = 4096;
const FILES: Record<string, string> = {
  Dockerfile: 'FROM node:22\nUSER node\n',
  '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
  'src/index.ts': 'export {};\n',
  'k8s/big.yaml': `x: ${'y'.repeat(MAX)}\n`,
  // Incompressible, so that the archive is over a small limit.
  'assets/noise.bin': Buffer.from(
    Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919) % 251),
  ).toString('latin1'),
};

let dir: string;
let archive: Buffer;
let zip: Buffer;
const factory = backstageTreeResponseFactory();

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnm-source-'));
  const repo = path.join(dir, 'acme-svc-abc1234');
  for (const [file, content] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), content, 'latin1');
  }
  archive = execFileSync('tar', ['-czf', '-', '-C', dir, 'acme-svc-abc1234']);
  zip = execFileSync('python3', [
    '-c',
    'import io,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,"w")\nz.writestr("Dockerfile","FROM scratch\\n")\nz.writestr("src/a.ts","x")\nz.close()\nsys.stdout.buffer.write(b.getvalue())',
  ]);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function tarResponse(
  options: { subpath?: string; stripFirstDirectory?: boolean } = {},
) {
  const skipped: FileNote[] = [];
  const filter = repoFileFilter(MAX, skipped);
  return {
    skipped,
    filter,
    tree: factory.fromTarArchive({
      stream: Readable.from([archive]),
      etag: 'sha',
      filter,
      ...options,
    }),
  };
}

const text = (
  files: ReadonlyArray<{ path: string; content: Buffer | string }>,
) =>
  files
    .map(f => ({
      path: f.path,
      content: Buffer.from(f.content).toString('latin1'),
    }))
    .sort((a, b) => a.path.localeCompare(b.path));

describe('wholeTarArchive', () => {
  it('recognises the installed Backstage tar response for a whole repository', async () => {
    expect(wholeTarArchive(await tarResponse().tree)).toEqual({
      stripFirstDirectory: true,
    });
    expect(
      wholeTarArchive(await tarResponse({ stripFirstDirectory: false }).tree),
    ).toEqual({ stripFirstDirectory: false });
  });

  it('leaves a subpath, a zip, a file list and a used response to files()', async () => {
    expect(
      wholeTarArchive(await tarResponse({ subpath: 'k8s' }).tree),
    ).toBeUndefined();
    const zipTree = await factory.fromZipArchive({
      stream: Readable.from([zip]),
      etag: 'e',
    });
    expect(wholeTarArchive(zipTree)).toBeUndefined();
    const list = await factory.fromReadableArray([
      { data: Readable.from([Buffer.from('FROM x')]), path: 'Dockerfile' },
    ]);
    expect(wholeTarArchive(list)).toBeUndefined();
    const used = await tarResponse().tree;
    await used.files();
    expect(wholeTarArchive(used)).toBeUndefined();
  });
});

describe('readRepositorySource', () => {
  it('hands a small whole archive over as bytes, unpacked as Backstage would', async () => {
    const { tree, filter, skipped } = tarResponse();
    const source = await readRepositorySource(await tree, filter, skipped);
    expect(source).toEqual({ archive, stripFirstDirectory: true });

    const reference = tarResponse();
    const expected = await (await reference.tree).files();
    const unpacked = filesOfSource(source, MAX);
    expect(text(unpacked.files)).toEqual(
      text(
        await Promise.all(
          expected.map(async f => ({
            path: f.path,
            content: await f.content(),
          })),
        ),
      ),
    );
    expect(unpacked.skipped).toEqual(reference.skipped);
    expect(unpacked.skipped).toEqual([
      {
        file: 'k8s/big.yaml',
        message: `skipped: ${MAX + 4} bytes is over the ${MAX} byte limit`,
      },
    ]);
  });

  it.each([
    ['compressed size', { bytes: 1024 }],
    ['declared unpacked size', { unpacked: 1024 }],
  ])('parses an archive over the %s limit as it streams', async (_, limits) => {
    const { tree, filter, skipped } = tarResponse();
    const source = await readRepositorySource(
      await tree,
      filter,
      skipped,
      limits,
    );
    expect('files' in source && text(source.files)).toEqual([
      {
        path: '.github/workflows/ci.yml',
        content: FILES['.github/workflows/ci.yml'],
      },
      { path: 'Dockerfile', content: FILES.Dockerfile },
    ]);
    expect(skipped).toEqual([
      {
        file: 'k8s/big.yaml',
        message: `skipped: ${MAX + 4} bytes is over the ${MAX} byte limit`,
      },
    ]);
  });

  it('reads a zip through files(), filtered', async () => {
    const skipped: FileNote[] = [];
    const filter = repoFileFilter(MAX, skipped);
    const tree = await factory.fromZipArchive({
      stream: Readable.from([zip]),
      etag: 'e',
      filter,
    });
    const source = await readRepositorySource(tree, filter, skipped);
    expect('files' in source && text(source.files)).toEqual([
      { path: 'Dockerfile', content: 'FROM scratch\n' },
    ]);
  });

  it('fails when the archive stream fails part way', async () => {
    const skipped: FileNote[] = [];
    const filter = repoFileFilter(MAX, skipped);
    const broken = new Readable({
      read() {
        this.push(archive.subarray(0, 100));
        this.destroy(new Error('socket hang up'));
      },
    });
    const tree = await factory.fromTarArchive({
      stream: broken,
      etag: 'e',
      filter,
    });
    await expect(readRepositorySource(tree, filter, skipped)).rejects.toThrow(
      'socket hang up',
    );
  });
});
