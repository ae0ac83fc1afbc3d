import {
  isRelevantRepoFile,
  PreparedRepository,
  prepareRepository,
  RepoFile,
} from '@cnmaturity/plugin-maturity-rules';
import { tarBytes, tarEntries } from './tarArchive';

/** Why a file was not read. */
export interface FileNote {
  file: string;
  message: string;
}

/** A repository as read: its relevant files, or its archive to unpack. */
export type RepositorySource =
  | {
      files: readonly RepoFile[];
      /** Files not read, noted with the extraction. */
      skipped?: readonly FileNote[];
    }
  | {
      /** A tar or tar.gz archive of the whole repository. */
      archive: Uint8Array;
      /** Whether members sit under one top directory (`repo-sha/`). */
      stripFirstDirectory: boolean;
    };

/** The most a whole archive may unpack to; larger ones are streamed. */
export const WHOLE_ARCHIVE_MAX_UNPACKED = 32 * 1024 * 1024;

/** Decides which archive members are read (readTree's `filter`). */
export type FileFilter = (path: string, info?: { size: number }) => boolean;

/**
 * Which archive members are read: the files the checks look at, up to the
 * size limit. Those over it are noted in `skipped`, never loaded.
 */
export function repoFileFilter(
  maxFileBytes: number,
  skipped: FileNote[],
): FileFilter {
  return (path, info) => {
    if (!isRelevantRepoFile(path)) return false;
    if (info?.size !== undefined && info.size > maxFileBytes) {
      skipped.push({
        file: path,
        message: `skipped: ${info.size} bytes is over the ${maxFileBytes} byte limit`,
      });
      return false;
    }
    return true;
  };
}

/** As Backstage's archive responses strip `repo-sha/`. */
export function stripFirstDirectory(path: string): string {
  return path.replace(/^[^/]+\//, '');
}

/** The source's relevant files; unpacks an archive (throws if invalid). */
export function filesOfSource(
  source: RepositorySource,
  maxFileBytes: number,
): { files: readonly RepoFile[]; skipped: readonly FileNote[] } {
  if ('files' in source)
    return { files: source.files, skipped: source.skipped ?? [] };
  const skipped: FileNote[] = [];
  const keep = repoFileFilter(maxFileBytes, skipped);
  const files: RepoFile[] = [];
  for (const entry of tarEntries(
    tarBytes(source.archive, WHOLE_ARCHIVE_MAX_UNPACKED),
  )) {
    const path = source.stripFirstDirectory
      ? stripFirstDirectory(entry.path)
      : entry.path;
    if (keep(path, { size: entry.size })) {
      files.push({ path, content: entry.data });
    }
  }
  return { files, skipped };
}

/** The source's files decoded and parsed, skipped files noted. */
export function prepareSource(
  source: RepositorySource,
  maxFileBytes: number,
): PreparedRepository {
  const { files, skipped } = filesOfSource(source, maxFileBytes);
  return prepareRepository(files, maxFileBytes, skipped);
}
