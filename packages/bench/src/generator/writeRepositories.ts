import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { GeneratedOrganisation, repositoryFiles } from './generate';
import { createTar } from './tar';
import { Templates } from './templates';

/** What the bench UrlReader knows of one repository. */
export interface RepositoryIndexEntry {
  /** The commit: a matching etag is a NotModifiedError. */
  etag: string;
  /** The read fails with this status. */
  failure?: 404 | 503;
  /** Size of the archive (bytes). */
  bytes: number;
  files: number;
}

/** What the bench UrlReader knows of one file of a shared repository. */
export interface SharedFileIndexEntry {
  /** A hash of the content: a matching etag is a NotModifiedError. */
  etag: string;
  bytes: number;
}

export interface RepositoryIndex {
  seed: number;
  entities: number;
  broken: number;
  /** `org/repo` -> entry. */
  repositories: Record<string, RepositoryIndexEntry>;
  /** `repo/path` of a shared repository's file (any owner) -> entry. */
  shared: Record<string, SharedFileIndexEntry>;
}

export const INDEX_FILE = 'index.json';
/** Under the repositories dir; no generated org is named so (`domain-...`). */
export const SHARED_DIR = 'shared';

/** Where the archive of `org/repo` is stored under the repositories dir. */
export const archivePath = (dir: string, org: string, repo: string) =>
  path.join(dir, org, `${repo}.tar.gz`);

/** Where a shared repository's file is stored under the repositories dir. */
export const sharedFilePath = (dir: string, repo: string, file: string) =>
  path.join(dir, SHARED_DIR, repo, ...file.split('/'));

/**
 * Writes the shared repositories (platform-pipelines) as plain files, once
 * and unrenamed: every service calling them reads the same copy, as in a
 * real organisation. Returns their index entries by `repo/path`.
 */
function writeSharedRepositories(
  templates: Templates,
  dir: string,
): Record<string, SharedFileIndexEntry> {
  const entries: Record<string, SharedFileIndexEntry> = {};
  for (const repository of templates.shared) {
    for (const file of repository.files) {
      const target = sharedFilePath(dir, repository.name, file.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.content);
      entries[`${repository.name}/${file.path}`] = {
        etag: createHash('sha1').update(file.content).digest('hex'),
        bytes: Buffer.byteLength(file.content),
      };
    }
  }
  return entries;
}

/**
 * Writes each generated repository as `<dir>/<org>/<repo>.tar.gz` (one
 * top-level directory, like an SCM's archive download) and an index with
 * the etag of each, and the shared repositories' files under
 * `<dir>/shared/<repo>/<path>`. Returns the index and the bytes and files of
 * the generated repositories (the shared ones are not counted).
 */
export function writeRepositories(
  organisation: GeneratedOrganisation,
  templates: Templates,
  dir: string,
): { index: RepositoryIndex; bytes: number; files: number } {
  const { seed } = organisation.options;
  const index: RepositoryIndex = {
    seed,
    entities: organisation.options.entities,
    broken: organisation.options.broken,
    repositories: {},
    shared: {},
  };
  let bytes = 0;
  let fileCount = 0;
  const madeDirs = new Set<string>();
  for (const plan of organisation.repositories) {
    const files = repositoryFiles(seed, plan, templates);
    const hash = createHash('sha1');
    for (const f of files) hash.update(`${f.path}\0${f.content}\0`);
    const etag = hash.digest('hex');
    const archive = gzipSync(
      createTar(`${plan.org}-${plan.repo}-${etag.slice(0, 7)}`, files),
      { level: 6 },
    );
    const orgDir = path.join(dir, plan.org);
    if (!madeDirs.has(orgDir)) {
      fs.mkdirSync(orgDir, { recursive: true });
      madeDirs.add(orgDir);
    }
    fs.writeFileSync(archivePath(dir, plan.org, plan.repo), archive);
    index.repositories[`${plan.org}/${plan.repo}`] = {
      etag,
      bytes: archive.length,
      files: files.length,
      ...(plan.failure ? { failure: plan.failure } : {}),
    };
    bytes += archive.length;
    fileCount += files.length;
  }
  index.shared = writeSharedRepositories(templates, dir);
  fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify(index));
  return { index, bytes, files: fileCount };
}
