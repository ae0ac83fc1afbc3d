import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { backstageTreeResponseFactory } from '../__testUtils__/treeResponseFactory';
import { gzipSync } from 'node:zlib';
import { create as createTar } from 'tar';
import { filesOfSource, FileNote, repoFileFilter } from './repoFiles';
import {
  declaredUnpackedSize,
  InvalidArchiveError,
  tarBytes,
  tarEntries,
} from './tarArchive';

/*
 * The worker's archive reader against Backstage's own `files()` (the
 * streaming `tar` parser every SCM reader uses), on archives written by
 * node-tar (pax), GNU tar (ustar and GNU long names) and `git archive`.
 */

const MAX = 2048;
const LONG_DIR = `deploy/${'k'.repeat(60)}/${'overlays'.repeat(8)}`;
const FILES: Record<string, string> = {
  Dockerfile: 'FROM node:22\nUSER node\n',
  '.github/workflows/ci.yml': 'on: push\njobs: {}\n',
  'src/index.ts': 'export {};\n', // not relevant: never read
  'README.md': '# svc\n',
  'empty/Chart.yaml': '',
  // Over 100 characters: ustar's prefix field, or pax / GNU long names.
  [`${LONG_DIR}/kustomization.yaml`]: 'resources: []\n',
  [`${'d'.repeat(120)}/${'e'.repeat(150)}/deployment.yaml`]:
    'kind: Deployment\n',
  'charts/dienst-ä/values.yaml': 'image: ü\n',
  'k8s/big.yaml': `x: ${'y'.repeat(MAX + 10)}\n`, // over the size limit
};

let dir: string;
let repo: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnm-tar-'));
  repo = path.join(dir, 'acme-svc-1234567');
  for (const [file, content] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), content);
  }
  fs.mkdirSync(path.join(repo, 'docker'));
  // A link is listed with no content, as Backstage's files() does.
  fs.symlinkSync('../Dockerfile', path.join(repo, 'docker/Dockerfile'));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What Backstage's tar response gives for the archive, with our filter. */
async function backstageFiles(archive: Buffer, stripFirstDirectory: boolean) {
  const factory = backstageTreeResponseFactory();
  const skipped: FileNote[] = [];
  const tree = await factory.fromTarArchive({
    stream: Readable.from([archive]),
    etag: 'e',
    filter: repoFileFilter(MAX, skipped),
    stripFirstDirectory,
  });
  const files = await Promise.all(
    (
      await tree.files()
    ).map(async f => ({
      path: f.path,
      content: (await f.content()).toString('utf8'),
    })),
  );
  return { files, skipped };
}

function ours(archive: Buffer, stripFirstDirectory: boolean) {
  const { files, skipped } = filesOfSource(
    { archive, stripFirstDirectory },
    MAX,
  );
  return {
    files: files.map(f => ({
      path: f.path,
      content: Buffer.from(f.content).toString('utf8'),
    })),
    skipped,
  };
}

const sorted = <T extends { path?: string; file?: string }>(
  list: readonly T[],
) =>
  [...list].sort((a, b) =>
    String(a.path ?? a.file).localeCompare(String(b.path ?? b.file)),
  );

const archives: Array<[string, () => Buffer, boolean]> = [
  [
    'node-tar, gzip (pax headers)',
    () =>
      createTar({ cwd: dir, gzip: true, sync: true, portable: true }, [
        'acme-svc-1234567',
      ]).read() as Buffer,
    true,
  ],
  [
    'GNU tar --format=gnu, gzip (long names as GNU L members)',
    () =>
      execFileSync('tar', [
        '--format=gnu',
        '-czf',
        '-',
        '-C',
        dir,
        'acme-svc-1234567',
      ]),
    true,
  ],
  [
    'GNU tar --format=posix, uncompressed',
    () =>
      execFileSync('tar', [
        '--format=posix',
        '-cf',
        '-',
        '-C',
        dir,
        'acme-svc-1234567',
      ]),
    true,
  ],
  [
    'GNU tar --format=posix, gzip, without a top directory (Gerrit)',
    () => execFileSync('tar', ['--format=posix', '-czf', '-', '-C', repo, '.']),
    false,
  ],
];

describe('filesOfSource on an archive', () => {
  it.each(archives)(
    '%s: the same files as Backstage',
    async (_, make, strip) => {
      const archive = make();
      const expected = await backstageFiles(archive, strip);
      const actual = ours(archive, strip);
      expect(sorted(actual.files)).toEqual(sorted(expected.files));
      expect(sorted(actual.skipped)).toEqual(sorted(expected.skipped));
      // What a user would notice: the relevant files, nothing else (a
      // leading ./ is dropped by the extraction, as Backstage keeps it).
      const paths = actual.files.map(f => f.path.replace(/^\.\//, ''));
      expect(paths).toEqual(
        expect.arrayContaining([
          'Dockerfile',
          '.github/workflows/ci.yml',
          `${LONG_DIR}/kustomization.yaml`,
          'charts/dienst-ä/values.yaml',
        ]),
      );
      expect(paths).not.toContain('src/index.ts');
      expect(actual.skipped).toEqual([
        {
          file: strip ? 'k8s/big.yaml' : './k8s/big.yaml',
          message: `skipped: ${MAX + 14} bytes is over the ${MAX} byte limit`,
        },
      ]);
    },
  );

  it('git archive: the same files as Backstage', async () => {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.test',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.test',
        },
      });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'init');
    const archive = git(
      'archive',
      '--format=tar.gz',
      '--prefix=acme-svc-1234567/',
      'HEAD',
    );
    fs.rmSync(path.join(repo, '.git'), { recursive: true, force: true });
    const expected = await backstageFiles(archive, true);
    expect(expected.files.length).toBeGreaterThan(4);
    expect(sorted(ours(archive, true).files)).toEqual(sorted(expected.files));
  });
});

describe('bad archives', () => {
  it('refuses bytes that are not a tar archive', () => {
    const junk = Buffer.from('<html>rate limited</html>'.repeat(40));
    expect(() => [...tarEntries(tarBytes(junk, 1e6))]).toThrow(
      InvalidArchiveError,
    );
    expect(() => tarBytes(gzipSync(junk).subarray(0, 30), 1e6)).toThrow(
      /not valid gzip/,
    );
  });

  it('refuses a truncated archive', () => {
    const whole = createTar({ cwd: dir, sync: true, portable: true }, [
      'acme-svc-1234567/k8s/big.yaml',
    ]).read() as Buffer;
    expect([...tarEntries(whole)].map(e => e.path)).toEqual([
      'acme-svc-1234567/k8s/big.yaml',
    ]);
    // A header and part of its body; then part of a header.
    expect(() => [...tarEntries(whole.subarray(0, 512 + 1000))]).toThrow(
      /runs past the end/,
    );
    expect(() => [...tarEntries(whole.subarray(0, 300))]).toThrow(
      'the archive is truncated',
    );
  });

  it('refuses an archive that unpacks past the limit, and reads the declared size', () => {
    const big = gzipSync(Buffer.alloc(1024 * 1024));
    expect(declaredUnpackedSize(big)).toBe(1024 * 1024);
    expect(() => tarBytes(big, 64 * 1024)).toThrow(
      'the archive unpacks to more than 65536 bytes',
    );
  });
});
