import fs from 'fs';
import path from 'path';
import { isRelevantRepoFile } from '../signals/fileFilter';
import { RepoFile } from '../signals/extractRepository';

/** The files of an example repository as readTree would hand them over, filtered. */
export function loadRepo(dir: string): RepoFile[] {
  const out: RepoFile[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), {
      withFileTypes: true,
    })) {
      const p = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        walk(p);
      } else if (isRelevantRepoFile(p)) {
        out.push({ path: p, content: fs.readFileSync(path.join(dir, p)) });
      }
    }
  };
  walk('');
  return out;
}
