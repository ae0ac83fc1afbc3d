import { UrlReaderServiceReadTreeOptions } from '@backstage/backend-plugin-api';
import { CachedRepository, RepoCache } from '../database/DatabaseRepoCache';

/** An in-memory RepoCache. */
export function memoryRepoCache(): RepoCache & {
  entries: Map<string, CachedRepository>;
} {
  const entries = new Map<string, CachedRepository>();
  return {
    entries,
    getMany: async urls =>
      new Map(
        urls.flatMap(url => {
          const entry = entries.get(url);
          return entry ? [[url, entry] as const] : [];
        }),
      ),
    putMany: async list => {
      for (const { url, entry } of list) entries.set(url, entry);
    },
  };
}

/** A readTree response over in-memory files, applying the caller's filter. */
export function treeResponse(
  files: Record<string, string>,
  etag: string,
  options?: UrlReaderServiceReadTreeOptions,
): any {
  const kept = Object.entries(files).filter(([path, content]) =>
    options?.filter ? options.filter(path, { size: content.length }) : true,
  );
  return {
    etag,
    files: async () =>
      kept.map(([path, content]) => ({
        path,
        content: async () => Buffer.from(content),
      })),
    archive: jest.fn(),
    dir: jest.fn(),
  };
}
