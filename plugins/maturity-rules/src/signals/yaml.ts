import * as jsYaml from 'js-yaml';
import {
  Document,
  isNode,
  isScalar,
  LineCounter,
  parseAllDocuments,
  Scalar,
} from 'yaml';

/** One parsed YAML document: its plain value plus line lookups for evidence. */
export interface YamlDoc {
  value: unknown;
  /** 1-based line where the document's content starts. */
  line: number;
  /** 1-based line of the node at `path`, if it exists. */
  lineAt(path: ReadonlyArray<string | number>): number | undefined;
  /** True when the node at `path` is a block scalar (`|` or `>`), whose text starts on the next line. */
  isBlockScalar(path: ReadonlyArray<string | number>): boolean;
}

export interface ParsedYaml {
  docs: YamlDoc[];
  /** One message per document that could not be read. */
  errors: string[];
}

// yaml's own default; stated so that nobody raises it: it is what stops
// "billion laughs" alias expansion from exhausting memory.
const MAX_ALIAS_COUNT = 100;

function firstLine(message: string): string {
  return message.split('\n')[0].slice(0, 300);
}

/** Parses every document of a YAML file; never throws. */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const docs: YamlDoc[] = [];
  const errors: string[] = [];
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, {
      lineCounter,
      uniqueKeys: false,
      merge: true,
      prettyErrors: false,
    }) as Document.Parsed[];
  } catch (e) {
    return { docs, errors: [firstLine(String((e as Error)?.message ?? e))] };
  }
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;

  for (const doc of parsed) {
    if (doc.errors.length > 0) {
      errors.push(`YAML error: ${firstLine(doc.errors[0].message)}`);
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      errors.push(`YAML error: ${firstLine(String((e as Error)?.message))}`);
      continue;
    }
    if (value === null || value === undefined) {
      continue;
    }
    const nodeAt = (path: ReadonlyArray<string | number>) => {
      try {
        const node = doc.getIn(path, true);
        return isNode(node) ? node : undefined;
      } catch {
        return undefined;
      }
    };
    const contentsStart = isNode(doc.contents)
      ? doc.contents.range?.[0]
      : undefined;
    docs.push({
      value,
      line: contentsStart !== undefined ? lineOf(contentsStart) : 1,
      lineAt: path => {
        const node = nodeAt(path);
        return node?.range ? lineOf(node.range[0]) : undefined;
      },
      isBlockScalar: path => {
        const node = nodeAt(path);
        return (
          isScalar(node) &&
          (node.type === Scalar.BLOCK_LITERAL ||
            node.type === Scalar.BLOCK_FOLDED)
        );
      },
    });
  }
  return { docs, errors };
}

// YAML 1.2 core types plus merge keys (`<<`), as the full parser reads them.
// (`types` is exported at runtime, not in the type definitions.)
const FAST_SCHEMA = jsYaml.CORE_SCHEMA.extend({
  implicit: [
    (jsYaml as unknown as { types: { merge: jsYaml.Type } }).types.merge,
  ],
});
// Anchors, aliases and tags take the full parser: it bounds alias expansion
// and reads tags the way the rest of the extraction expects. So do keys
// that are collections (`? ` keys, `{ {...} }` as unrendered Helm leaves),
// which the full parser turns into readable strings. Only where a node
// starts (line start, after `- `, `: `, `[`, `{`, `,`): `a && b`, a cron
// `* * *` or a GitHub `${{ }}` inside a value are plain text.
const NEEDS_FULL_PARSER =
  /(?:^[ \t]*(?:-[ \t]+)*|[:,[{][ \t]*)(?:[&*!][^\s&]|\{\s*[{[])|^\s*\?\s/m;

/** A node as js-yaml's loader reports it: where it starts, what it holds. */
interface LoadedNode {
  pos: number;
  children: LoadedNode[];
  result?: unknown;
}

/** Offsets where lines start, for offset-to-line lookups. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return starts;
}

/** The 1-based line of an offset. */
function lineAtOffset(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * Where a node's content starts: js-yaml reports a value at the end of its
 * key's line; the content (a block collection's first entry, a block
 * scalar's indicator) comes after spaces, line breaks and comments. An
 * empty value stays where it is, as the full parser places it.
 */
function contentStart(text: string, node: LoadedNode): number {
  if (node.result === null || node.result === undefined) return node.pos;
  let i = node.pos;
  for (;;) {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
    if (text[i] !== '#') return i;
    while (i < text.length && text[i] !== '\n') i++;
  }
}

/** The node at `path`: mapping children are key, value, key, value, ... */
function loadedNodeAt(
  root: LoadedNode,
  path: ReadonlyArray<string | number>,
): LoadedNode | undefined {
  // A flow collection is reported twice, the inner report holding the entries.
  const unwrap = (n: LoadedNode) =>
    n.children.length === 1 && n.children[0].result === n.result
      ? n.children[0]
      : n;
  let node: LoadedNode | undefined = unwrap(root);
  for (const key of path) {
    const { result, children }: LoadedNode = node;
    if (Array.isArray(result)) {
      node = typeof key === 'number' ? children[key] : undefined;
    } else if (isRecord(result)) {
      node = undefined;
      for (let i = 0; i + 1 < children.length; i += 2) {
        if (String(children[i].result) === String(key)) {
          node = children[i + 1];
          break;
        }
      }
    } else {
      node = undefined;
    }
    if (!node) return undefined;
    node = unwrap(node);
  }
  return node;
}

/**
 * Every document of a YAML file, about ten times faster than `parseYaml`,
 * with the same values, lines and block-scalar answers: js-yaml (YAML 1.2
 * core schema plus merge keys, later duplicate keys winning) with node
 * positions from its loader events. Anything unusual (anchors, aliases,
 * tags, collection keys, an error) takes the full parser, so errors and
 * alias limits are the same; so does a path the positions cannot answer.
 */
export function parseYamlFast(text: string): ParsedYaml {
  if (NEEDS_FULL_PARSER.test(text)) return parseYaml(text);
  const values: unknown[] = [];
  const roots: LoadedNode[] = [];
  const stack: LoadedNode[] = [];
  try {
    jsYaml.loadAll(text, value => values.push(value), {
      schema: FAST_SCHEMA,
      // Later duplicate keys win, as with the full parser's uniqueKeys: false.
      json: true,
      listener(event, state) {
        if (event === 'open') {
          const node: LoadedNode = { pos: state.position, children: [] };
          (stack.length ? stack[stack.length - 1].children : roots).push(node);
          stack.push(node);
        } else {
          stack.pop()!.result = state.result;
        }
      },
    });
  } catch {
    return parseYaml(text);
  }
  let starts: number[] | undefined;
  const lineOf = (offset: number) =>
    lineAtOffset((starts ??= lineStarts(text)), offset);
  let full: ParsedYaml | undefined;
  const fullDoc = (i: number) => (full ??= parseYaml(text)).docs[i];
  const docs: YamlDoc[] = [];
  values.forEach((value, i) => {
    if (value === null || value === undefined) return;
    const index = docs.length;
    const root = roots[i];
    const nodeAt = (path: ReadonlyArray<string | number>) =>
      root ? loadedNodeAt(root, path) : undefined;
    docs.push({
      value,
      line: root ? lineOf(contentStart(text, root)) : 1,
      lineAt: path => {
        // Most questions are about keys that are not there (a job without
        // `environment:`): the value answers them without any parser.
        if (!hasPath(value, path)) return undefined;
        const node = nodeAt(path);
        return node
          ? lineOf(contentStart(text, node))
          : fullDoc(index)?.lineAt(path);
      },
      isBlockScalar: path => {
        if (!hasPath(value, path)) return false;
        const node = nodeAt(path);
        if (!node) return fullDoc(index)?.isBlockScalar(path) ?? false;
        const c = text[contentStart(text, node)];
        return typeof node.result === 'string' && (c === '|' || c === '>');
      },
    });
  });
  return { docs, errors: [] };
}

/** Whether the parsed value has a node at `path` (a null value counts). */
function hasPath(
  value: unknown,
  path: ReadonlyArray<string | number>,
): boolean {
  let v = value;
  for (const key of path) {
    if (Array.isArray(v)) {
      // As the full parser, an index may be given as a string.
      const i = Number(key);
      if (!Number.isInteger(i) || i < 0 || i >= v.length) return false;
      v = v[i];
    } else if (isRecord(v)) {
      if (!Object.prototype.hasOwnProperty.call(v, String(key))) return false;
      v = v[String(key)];
    } else {
      return false;
    }
  }
  return true;
}

/** Narrowing helpers: CI files are user input, so every shape is checked. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asString(v: unknown): string | undefined {
  if (typeof v === 'string') {
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') {
    return String(v);
  }
  return undefined;
}

/** A string or a list of strings (others dropped) as a list. */
export function asStringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) {
    return undefined;
  }
  if (Array.isArray(v)) {
    return v.flatMap(x => {
      const s = asString(x);
      return s === undefined ? [] : [s];
    });
  }
  const s = asString(v);
  return s === undefined ? [] : [s];
}

export function getPath(v: unknown, path: ReadonlyArray<string>): unknown {
  let cur = v;
  for (const key of path) {
    if (!isRecord(cur)) {
      return undefined;
    }
    cur = cur[key];
  }
  return cur;
}
