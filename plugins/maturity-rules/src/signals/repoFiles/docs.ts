import { RepoExtraction } from '../../model';

const README = /^readme(?:\.[\w]+)?$/i;
const MKDOCS = /(?:^|\/)mkdocs\.ya?ml$/;
const ADR =
  /(?:^|\/)(?:docs?\/(?:adr|adrs|decisions|architecture\/decisions)|adr|adrs)\/[^/]+\.(?:md|markdown|adoc|rst)$/i;

export function isReadme(path: string): boolean {
  return README.test(path.split('/').pop() ?? '');
}

export function isAdr(path: string): boolean {
  return (
    ADR.test(path) && !/(?:^|\/)(?:readme|index|template)[^/]*$/i.test(path)
  );
}

export function isMkdocs(path: string): boolean {
  return MKDOCS.test(path);
}

/** README (the root one first), mkdocs.yml, a docs/ directory and ADR files. */
export function readDocs(paths: ReadonlyArray<string>): RepoExtraction['docs'] {
  const byDepth = (a: string, b: string) =>
    a.split('/').length - b.split('/').length || a.localeCompare(b);
  const readme = paths.filter(isReadme).sort(byDepth)[0];
  const mkdocs = paths.filter(isMkdocs).sort(byDepth)[0];
  return {
    ...(readme ? { readme } : {}),
    ...(mkdocs ? { mkdocs } : {}),
    docsDir: paths.some(p => p.startsWith('docs/')),
    adrs: paths.filter(isAdr).sort(),
  };
}
