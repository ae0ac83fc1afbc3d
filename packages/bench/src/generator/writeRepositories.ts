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

export interface RepositoryIndex {
  seed: number;
  entities: number;
  broken: number;
  /** `org/repo` -> entry. */
  repositories: Record<string, RepositoryIndexEntry>;
}

export const INDEX_FILE = 'index.json';

/** Where the archive of `org/repo` is stored under the repositories dir. */
export const archivePath = (dir: string, org: string, repo: string) =>
  path.join(dir, org, `${repo}.tar.gz`);

/**
 * Writes each generated repository as `<dir>/<org>/<repo>.tar.gz` (one
 * top-level directory, like an SCM's archive download) and an index with
 * the etag of each. Returns the index and the bytes written.
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
  fs.writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify(index));
  return { index, bytes, files: fileCount };
}
