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
// which the full parser turns into readable strings.
const NEEDS_FULL_PARSER = /(?:^|[\s[{,:])[&*!]\S|\{\s*[{[]|^\s*\?\s/m;

/**
 * The values and document lines of a YAML file, about ten times faster than
 * `parseYaml`: for files whose nodes are not looked up by path (manifests,
 * values, charts). `lineAt` and `isBlockScalar` still work, through a full
 * parse on first use. Anything unusual (anchors, aliases, tags, an error)
 * takes the full parser, so errors and limits are the same.
 */
export function parseYamlValues(text: string): ParsedYaml {
  if (NEEDS_FULL_PARSER.test(text)) return parseYaml(text);
  const values: unknown[] = [];
  const lines: number[] = [];
  let depth = 0;
  try {
    jsYaml.loadAll(text, value => values.push(value), {
      schema: FAST_SCHEMA,
      // Later duplicate keys win, as with the full parser's uniqueKeys: false.
      json: true,
      listener(event, state) {
        if (event === 'open' && depth++ === 0) lines.push(state.line + 1);
        if (event === 'close') depth--;
      },
    });
  } catch {
    return parseYaml(text);
  }
  let full: ParsedYaml | undefined;
  const fullDoc = (i: number) => (full ??= parseYaml(text)).docs[i];
  const docs: YamlDoc[] = [];
  values.forEach((value, i) => {
    if (value === null || value === undefined) return;
    const index = docs.length;
    docs.push({
      value,
      line: lines[i] ?? 1,
      lineAt: path => fullDoc(index)?.lineAt(path),
      isBlockScalar: path => fullDoc(index)?.isBlockScalar(path) ?? false,
    });
  });
  return { docs, errors: [] };
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
