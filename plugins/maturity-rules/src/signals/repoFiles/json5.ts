/**
 * JSON5 as configuration files write it (Renovate's `renovate.json5`):
 * comments, single-quoted strings, unquoted keys and trailing commas, turned
 * into JSON. Strings are copied, never searched, so a `//` inside a URL or
 * a preset name stays. Returns undefined when the result is not JSON.
 */
export function parseJson5(text: string): unknown {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      let body = '';
      while (j < n && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < n) {
          // `\'` needs no escape in JSON; every other escape is kept.
          body += text[j + 1] === "'" ? "'" : text[j] + text[j + 1];
          j += 2;
        } else {
          body += text[j] === '"' ? '\\"' : text[j];
          j++;
        }
      }
      out += `"${body}"`;
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i;
      while (j < n && /[\w$]/.test(text[j])) j++;
      const word = text.slice(i, j);
      // A key when a colon follows; else a literal such as true or null.
      const quoted = /^\s*:/.test(text.slice(j, j + 20));
      out += quoted ? `"${word}"` : word;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  try {
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return undefined;
  }
}
