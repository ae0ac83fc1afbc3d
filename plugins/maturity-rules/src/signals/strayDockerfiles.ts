import { posix } from 'path';

// A dev container is built by the editor, never shipped.
const DEV_CONTAINER = /(?:^|\/)\.devcontainer\//;
// Places that hold test, example and docs images rather than the service's.
const SIDE_DIRS =
  /(?:^|\/)(?:\.github|tests?|testdata|testing|e2e|examples?|docs?)\//;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A pattern for a build context `dir` as a CI, compose or skaffold file names
 * it: `context: dir`, `./dir`, `dir/`, `.` for the root. A one-word
 * directory must carry `./`, a `/` or a `context:`/`build:` key, so that
 * `go test ./...` does not name `test/`.
 */
function contextPattern(dir: string): RegExp {
  const d = escape(dir);
  const end = `(?=$|[\\s"',\\])])`;
  const start = `(?:^|[\\s"'=:,\\[(])`;
  if (dir === '.') return new RegExp(`${start}\\./?${end}`, 'm');
  return dir.includes('/')
    ? new RegExp(`${start}(?:\\./)?${d}/?${end}`, 'm')
    : new RegExp(
        `${start}(?:\\./${d}/?|${d}/)${end}|(?:context|build)\\s*:\\s*["']?${d}["']?\\s*$`,
        'm',
      );
}

/**
 * True when the file at `from` names `dockerfile` or its directory: from the
 * repository root (CI runs there) or, for compose and skaffold, from its own.
 */
function mentions(from: string, text: string, dockerfile: string): boolean {
  if (text.includes(dockerfile)) return true;
  const dir = posix.dirname(dockerfile);
  const fromDir = posix.dirname(from);
  if (contextPattern(dir).test(text)) return true;
  if (fromDir === '.') return false;
  if (dir === fromDir) return contextPattern('.').test(text);
  return (
    dir.startsWith(`${fromDir}/`) &&
    contextPattern(dir.slice(fromDir.length + 1)).test(text)
  );
}

/** Instructions in a Dockerfile, not counting comments and blank lines. */
const isOneInstruction = (text: string) =>
  text.split('\n').filter(l => /^\s*[A-Za-z]/.test(l)).length <= 1;

/**
 * True when nothing ships the Dockerfile: a dev container, or a Dockerfile
 * under test/, examples/, docs/ or .github/, or a one-instruction file, that
 * no CI, compose or skaffold file (`builders`: path to text) refers to.
 */
export function isStrayDockerfile(
  file: string,
  text: string,
  builders: ReadonlyMap<string, string>,
): boolean {
  if (DEV_CONTAINER.test(file)) return true;
  if (!SIDE_DIRS.test(file) && !isOneInstruction(text)) return false;
  for (const [from, builder] of builders) {
    if (mentions(from, builder, file)) return false;
  }
  return true;
}
