/**
 * A small glob for repository paths: `**` any number of directories, `*`
 * any run within one path segment, `?` one character.
 *
 * Not a regular expression on purpose: a pattern like `*a*a*a*b` compiled to
 * a regex backtracks polynomially on long inputs. Segments are matched with
 * the classic two-pointer wildcard walk and `**` with a memoised walk over
 * segments, so the cost is bounded by pattern length times path length.
 */
export function globMatcher(glob: string): (path: string) => boolean {
  const patternSegments = glob.split('/');
  return path => matchSegments(patternSegments, path.split('/'));
}

function matchSegments(pattern: string[], path: string[]): boolean {
  const memo = new Map<number, boolean>();
  const walk = (i: number, j: number): boolean => {
    const key = i * (path.length + 1) + j;
    const cached = memo.get(key);
    if (cached !== undefined) return cached;
    let result: boolean;
    if (i === pattern.length) {
      result = j === path.length;
    } else if (pattern[i] === '**') {
      // Zero directories, or swallow one and stay on `**`.
      result = walk(i + 1, j) || (j < path.length && walk(i, j + 1));
    } else {
      result =
        j < path.length &&
        matchSegment(pattern[i], path[j]) &&
        walk(i + 1, j + 1);
    }
    memo.set(key, result);
    return result;
  };
  return walk(0, 0);
}

/** `*` and `?` within one segment; backtracks only to the last star. */
function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
