import type { UrlReaderServiceReadTreeResponse } from '@backstage/backend-plugin-api';
import { once } from 'node:events';
import { Parser, ReadEntry } from 'tar';
import type { RepoFile } from '@cnmaturity/plugin-maturity-rules';
import {
  FileFilter,
  FileNote,
  RepositorySource,
  stripFirstDirectory,
  WHOLE_ARCHIVE_MAX_UNPACKED,
} from './repoFiles';
import { declaredUnpackedSize, isGzip } from './tarArchive';

/**
 * The most of a compressed archive held in memory to unpack in one piece.
 * Small, as up to `concurrency` archives (and their copies to the workers)
 * can be in memory at once; a service repository is usually far smaller.
 */
export const WHOLE_ARCHIVE_MAX_BYTES = 2 * 1024 * 1024;

const asBuffer = (chunk: string | Buffer) =>
  Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);

/**
 * A tar response from Backstage's ReadTreeResponseFactory (GitHub, GitLab,
 * Bitbucket, Gerrit, Gitea) for a whole repository: its `archive()` is the
 * raw stream, which a worker can unpack. Recognised by shape, as the class is
 * not exported; any other response (zip, file list, a subpath, another
 * version's fields) is read through `files()` as before.
 */
export function wholeTarArchive(
  tree: UrlReaderServiceReadTreeResponse,
): { stripFirstDirectory: boolean } | undefined {
  const t = tree as unknown as Record<string, unknown>;
  if (
    tree.constructor?.name !== 'TarArchiveResponse' ||
    t.read !== false ||
    t.subPath !== '' ||
    typeof t.stripFirstDirectory !== 'boolean'
  ) {
    return undefined;
  }
  return { stripFirstDirectory: t.stripFirstDirectory };
}

/**
 * Reads a readTree response. A whole-repository tar archive of at most
 * {@link WHOLE_ARCHIVE_MAX_BYTES} is returned as bytes, for a worker to
 * unpack; a larger one is parsed as it streams in, keeping only the files
 * `keep` takes; anything else is read with `files()` (filtered by readTree).
 */
export async function readRepositorySource(
  tree: UrlReaderServiceReadTreeResponse,
  keep: FileFilter,
  skipped: FileNote[],
  limits: { bytes?: number; unpacked?: number } = {},
): Promise<RepositorySource> {
  const maxBytes = limits.bytes ?? WHOLE_ARCHIVE_MAX_BYTES;
  const maxUnpacked = limits.unpacked ?? WHOLE_ARCHIVE_MAX_UNPACKED;
  const tar = wholeTarArchive(tree);
  if (!tar) {
    const files = await Promise.all(
      (
        await tree.files()
      ).map(async f => ({ path: f.path, content: await f.content() })),
    );
    return { files, skipped };
  }
  const chunks = (await tree.archive())[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await chunks.next();
    if (next.done) break;
    const chunk = asBuffer(next.value);
    head.push(chunk);
    size += chunk.length;
    if (size > maxBytes) {
      const files = await streamTarFiles(head, chunks, tar, keep);
      return { files, skipped };
    }
  }
  const archive = Buffer.concat(head, size);
  const unpacked = isGzip(archive) ? declaredUnpackedSize(archive) : size;
  if (unpacked > maxUnpacked) {
    const files = await streamTarFiles([archive], undefined, tar, keep);
    return { files, skipped };
  }
  return { archive, stripFirstDirectory: tar.stripFirstDirectory };
}

/** Parses a large archive as it arrives, keeping only the files taken. */
async function streamTarFiles(
  head: Buffer[],
  rest: AsyncIterator<string | Buffer> | undefined,
  tar: { stripFirstDirectory: boolean },
  keep: FileFilter,
): Promise<RepoFile[]> {
  const files: RepoFile[] = [];
  const parser = new Parser({
    onReadEntry: (entry: ReadEntry) => {
      const path = tar.stripFirstDirectory
        ? stripFirstDirectory(entry.path)
        : entry.path;
      if (entry.type === 'Directory' || !keep(path, { size: entry.size })) {
        entry.resume();
        return;
      }
      const parts: Buffer[] = [];
      entry.on('data', (c: Buffer) => parts.push(c));
      entry.on('end', () =>
        files.push({ path, content: Buffer.concat(parts) }),
      );
    },
  });
  const ended = once(parser, 'end');
  for (const chunk of head) parser.write(chunk);
  if (rest) {
    for (let n = await rest.next(); !n.done; n = await rest.next()) {
      parser.write(asBuffer(n.value));
    }
  }
  parser.end();
  await ended;
  return files;
}
