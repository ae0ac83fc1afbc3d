import { RepoExtraction } from '../../model';

// GitHub reads the first of these that exists; GitLab uses the same places.
const PRECEDENCE = [
  '.github/CODEOWNERS',
  'CODEOWNERS',
  'docs/CODEOWNERS',
  '.gitlab/CODEOWNERS',
];

export function isCodeowners(path: string): boolean {
  return PRECEDENCE.includes(path);
}

/** The file that wins when several CODEOWNERS exist. */
export function pickCodeowners(
  paths: ReadonlyArray<string>,
): string | undefined {
  return PRECEDENCE.find(p => paths.includes(p));
}

/**
 * Owners (`@user`, `@org/team`, emails) in order of first appearance, and
 * the line of the first rule. GitLab section headers (`[Docs] @docs-team`)
 * contribute their default owners.
 */
export function parseCodeowners(
  file: string,
  text: string,
): NonNullable<RepoExtraction['codeowners']> {
  const owners = new Set<string>();
  let firstLine: number | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) {
      return;
    }
    const tokens = line
      .replace(/^\^?\[[^\]]*\](?:\[\d+\])?/, '')
      .trim()
      .split(/\s+/);
    const found = tokens.filter(
      t => /^@[\w./-]+$/.test(t) || /^[^@\s]+@[^@\s]+\.\w+$/.test(t),
    );
    if (found.length > 0 && firstLine === undefined) {
      firstLine = i + 1;
    }
    found.forEach(o => owners.add(o));
  });
  return {
    file,
    ...(firstLine !== undefined ? { line: firstLine } : {}),
    owners: [...owners],
  };
}
