/**
 * A minimal ustar writer: regular files only, as an SCM's archive download
 * (GitHub's tarball) has them under one top-level directory. Enough for
 * the UrlReader's real tar parsing; no dependency.
 */
const BLOCK = 512;

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function header(path: string, size: number, mtime: number): Buffer {
  const buf = Buffer.alloc(BLOCK, 0);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(path.slice(cut + 1)) > 100) {
      throw new Error(`Path too long for ustar: ${path}`);
    }
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  buf.write(name, 0, 100, 'utf8');
  buf.write(octal(0o644, 8), 100, 8, 'ascii');
  buf.write(octal(0, 8), 108, 8, 'ascii');
  buf.write(octal(0, 8), 116, 8, 'ascii');
  buf.write(octal(size, 12), 124, 12, 'ascii');
  buf.write(octal(Math.floor(mtime / 1000), 12), 136, 12, 'ascii');
  buf.fill(' ', 148, 156); // checksum placeholder: spaces
  buf.write('0', 156, 1, 'ascii'); // regular file
  buf.write('ustar\0', 257, 6, 'ascii');
  buf.write('00', 263, 2, 'ascii');
  buf.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += buf[i];
  buf.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return buf;
}

/** A tar archive of `files`, each under `topDir/`. */
export function createTar(
  topDir: string,
  files: ReadonlyArray<{ path: string; content: string | Buffer }>,
  mtime = Date.UTC(2026, 0, 1),
): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    const data = Buffer.isBuffer(file.content)
      ? file.content
      : Buffer.from(file.content, 'utf8');
    parts.push(header(`${topDir}/${file.path}`, data.length, mtime), data);
    const rest = data.length % BLOCK;
    if (rest) parts.push(Buffer.alloc(BLOCK - rest, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}
