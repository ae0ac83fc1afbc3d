import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  isRelevantRepoFile,
  oversizedNote,
  RepoFile,
} from '@cnmaturity/plugin-maturity-rules';

/** The files of a checkout that the checks read, and what was left out. */
export interface Checkout {
  /** The folder, resolved. */
  root: string;
  /** `git` when the tracked files of a work tree were listed, else `folder`. */
  source: 'git' | 'folder';
  /** Where the work tree's `origin` remote points, as an https URL when it can tell. */
  origin?: string;
  /** Files listed (tracked, or found in the folder). */
  listed: number;
  files: RepoFile[];
  /** Files not read, with why: too large, a link leading out of the folder. */
  skipped: Array<{ file: string; message: string }>;
}

/** Paths of the tracked files under `root`, or undefined outside a git work tree. */
function gitTrackedFiles(root: string): string[] | undefined {
  try {
    // Paths come relative to `root`, also when it is a subfolder.
    const out = execFileSync('git', ['ls-files', '-z'], {
      cwd: root,
      encoding: 'buffer',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 1024 * 1024 * 1024,
    });
    const paths = out.toString('utf8').split('\0').filter(Boolean);
    // An untracked folder inside some work tree is read as a folder.
    return paths.length ? paths : undefined;
  } catch {
    return undefined; // not a work tree, or no git: read the folder
  }
}

/** The `origin` remote as a browsable URL (`git@host:org/repo.git` becomes https). */
function gitOrigin(root: string): string | undefined {
  try {
    const url = execFileSync('git', ['remote', 'get-url', 'origin'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const scp = /^[\w.-]+@([\w.-]+):(.+?)(?:\.git)?$/.exec(url);
    if (scp) return `https://${scp[1]}/${scp[2]}`;
    return url.replace(/\.git$/, '') || undefined;
  } catch {
    return undefined;
  }
}

/** Every file under `root`; directory links are not followed, so no loop and no escape. */
function folderFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing in it counts
    }
    for (const entry of entries) {
      const p = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (entry.name !== '.git' && entry.name !== 'node_modules') walk(p);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        out.push(p);
      }
    }
  };
  walk('');
  return out;
}

function within(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Lists the checkout's files (in a git work tree the tracked ones, so build
 * output and ignored files do not count) and reads those the checks need,
 * plus `alsoRead` (root-relative paths).
 * Never reads outside `root`: a link is followed only when its target is
 * inside, and only regular files are read.
 */
export function readCheckout(
  dir: string,
  options: { maxFileBytes: number; alsoRead?: readonly string[] },
): Checkout {
  const { maxFileBytes, alsoRead = [] } = options;
  const root = fs.realpathSync(dir);
  const tracked = gitTrackedFiles(root);
  const listed = tracked ?? folderFiles(root);
  const files: RepoFile[] = [];
  const skipped: Checkout['skipped'] = [];
  for (const file of listed) {
    if (!isRelevantRepoFile(file) && !alsoRead.includes(file)) continue;
    const full = path.join(root, file);
    let real: string;
    let stat: fs.Stats;
    try {
      real = fs.realpathSync(full);
      stat = fs.statSync(real);
    } catch {
      continue; // deleted in the work tree, or a dangling link
    }
    if (!within(root, real)) {
      skipped.push({ file, message: 'Skipped: a link to outside the folder' });
    } else if (!stat.isFile()) {
      continue;
    } else if (stat.size > maxFileBytes) {
      skipped.push({
        file,
        message: oversizedNote(stat.size, maxFileBytes),
      });
    } else {
      files.push({ path: file, content: fs.readFileSync(real) });
    }
  }
  const origin = tracked ? gitOrigin(root) : undefined;
  return {
    root,
    source: tracked ? 'git' : 'folder',
    ...(origin ? { origin } : {}),
    listed: listed.length,
    files,
    skipped,
  };
}
