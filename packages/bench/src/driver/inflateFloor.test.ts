import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createTar } from '../generator/tar';
import {
  inflateAndWalk,
  measureInflateFloor,
  TarEntry,
  walkTar,
} from './inflateFloor';

const longDir = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
const files = [
  { path: 'README.md', content: '# hello\n' },
  { path: 'src/empty.ts', content: '' },
  // Exactly one block, and one byte over: padding stepped over right.
  { path: 'block.bin', content: Buffer.alloc(512, 1) },
  { path: 'over.bin', content: Buffer.alloc(513, 2) },
  // Over 100 bytes: the writer puts the directories in the ustar prefix.
  { path: `${longDir}/long-name.yaml`, content: 'a: 1\n' },
  { path: 'big.bin', content: Buffer.alloc(200_000, 3) },
];
const contentBytes = files.reduce(
  (n, f) => n + Buffer.byteLength(f.content),
  0,
);

describe('inflateFloor', () => {
  it("walks a tar.gz of the generator's tar writer, counting entries and bytes", () => {
    const tar = createTar('org-repo-abc1234', files);
    const seen: TarEntry[] = [];
    const walk = inflateAndWalk(gzipSync(tar), e =>
      seen.push({ ...e, content: Buffer.from(e.content) }),
    );
    expect(walk).toEqual({
      entries: files.length,
      files: files.length,
      contentBytes,
      tarBytes: tar.length - 512, // the second zero block is not read
    });
    expect(seen.map(e => e.path)).toEqual(
      files.map(f => `org-repo-abc1234/${f.path}`),
    );
    expect(seen.map(e => e.type)).toEqual(files.map(() => '0'));
    for (const [i, e] of seen.entries()) {
      expect(e.size).toBe(Buffer.byteLength(files[i].content));
      expect(e.content.equals(Buffer.from(files[i].content))).toBe(true);
    }
  });

  it('stops at the end of an archive without its zero blocks, and rejects a bad checksum', () => {
    const tar = createTar('top', files.slice(0, 2));
    const truncated = tar.subarray(0, tar.length - 1024);
    expect(walkTar(truncated)).toMatchObject({
      entries: 2,
      tarBytes: truncated.length,
    });
    const corrupt = Buffer.from(tar);
    corrupt[10] ^= 1;
    expect(() => walkTar(corrupt)).toThrow(/checksum/);
  });

  it('times every archive of a list, or an even sample of it, counting repeats', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-floor-'));
    try {
      const paths = ['a', 'b', 'c'].map(name => {
        const p = path.join(dir, `${name}.tar.gz`);
        fs.writeFileSync(p, gzipSync(createTar(name, files)));
        return p;
      });
      const list = [...paths, paths[0]];
      const all = measureInflateFloor(list, { batchBytes: 1 });
      // Small: three passes, the fastest counts.
      expect(all).toMatchObject({
        archives: 4,
        measured: 4,
        passes: 3,
        walk: { entries: 4 * files.length, contentBytes: 4 * contentBytes },
      });
      expect(all.compressedBytes).toBe(
        list.reduce((n, p) => n + fs.statSync(p).size, 0),
      );
      expect(all.cpuMs).toBeGreaterThanOrEqual(0);
      expect(all.processCpuMs).toBeGreaterThanOrEqual(0);
      // Linux: the measuring thread's own CPU time.
      expect(all.cpuOf).toBe(
        fs.existsSync('/proc/thread-self/schedstat') ? 'thread' : 'process',
      );
      expect(all.cpuMsPerArchive).toBeCloseTo(all.cpuMs / 4);
      const sample = measureInflateFloor(list, {
        maxArchives: 2,
        minCpuMs: 0,
      });
      expect(sample).toMatchObject({ archives: 4, measured: 2, passes: 1 });
      expect(sample.walk.entries).toBe(2 * files.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
