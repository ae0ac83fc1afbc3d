import { Entity } from '@backstage/catalog-model';

/**
 * One catalog filter: dotted entity paths (`kind`, `spec.lifecycle`,
 * `metadata.annotations.<key>`) to the values allowed there, any of them.
 * Every key must match. Stored lower-cased: matching ignores case, as the
 * catalog's own filters do.
 */
export type CatalogFilter = ReadonlyArray<{
  path: string;
  values: readonly string[];
}>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const lower = (s: string) => s.toLocaleLowerCase('en-US');

function parseOne(value: unknown, where: string): CatalogFilter | string {
  if (!isPlainObject(value)) {
    return `${where} must be an object of entity paths to values, e.g. { kind: Component, spec.lifecycle: production }`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) {
    return `${where} has no keys; leave appliesTo out to cover every entity`;
  }
  const filter = [];
  for (const [path, v] of entries) {
    if (path.split('.').some(part => part.trim() === '')) {
      return `${where} has the key "${path}", which is not a dotted entity path such as spec.lifecycle`;
    }
    const values = Array.isArray(v) ? v : [v];
    if (
      values.length === 0 ||
      values.some(x => typeof x !== 'string' || x.trim() === '')
    ) {
      return `${where}.${path} must be a non-empty string or a list of them`;
    }
    filter.push({ path: lower(path), values: values.map(lower) });
  }
  return filter;
}

/**
 * Reads `appliesTo`: one filter object, or a list of them of which any may
 * match. A string return is the problem, naming the offending part.
 */
export function parseCatalogFilters(value: unknown): CatalogFilter[] | string {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) {
    return 'appliesTo is an empty list; leave it out to cover every entity';
  }
  const filters: CatalogFilter[] = [];
  for (const [i, item] of list.entries()) {
    const parsed = parseOne(
      item,
      Array.isArray(value) ? `appliesTo[${i}]` : 'appliesTo',
    );
    if (typeof parsed === 'string') return parsed;
    filters.push(parsed);
  }
  return filters;
}

/**
 * The lower-cased scalar values at a dotted path. Object keys may contain
 * dots themselves (annotation keys such as `github.com/project-slug`), so a
 * key matches when it is the rest of the path or the rest starts with it;
 * arrays (tags, links) yield each item.
 */
function valuesAt(node: unknown, path: string, out: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) valuesAt(item, path, out);
    return;
  }
  if (path === '') {
    if (['string', 'number', 'boolean'].includes(typeof node)) {
      out.push(lower(String(node)));
    }
    return;
  }
  if (!isPlainObject(node)) return;
  for (const [key, child] of Object.entries(node)) {
    const k = lower(key);
    if (path === k) valuesAt(child, '', out);
    else if (path.startsWith(`${k}.`)) {
      valuesAt(child, path.slice(k.length + 1), out);
    }
  }
}

/** What the catalog indexes beyond the entity's own fields. */
function entityValues(entity: Entity, path: string): string[] {
  const out: string[] = [];
  valuesAt(entity, path, out);
  if (path === 'metadata.namespace' && !entity.metadata.namespace) {
    out.push('default');
  }
  // The catalog indexes relations by type: relations.ownedBy = <target ref>.
  if (path.startsWith('relations.')) {
    const type = path.slice('relations.'.length);
    for (const r of entity.relations ?? []) {
      if (lower(r.type) === type) out.push(lower(r.targetRef));
    }
  }
  return out;
}

/** True when any filter matches: all its keys, each with one of its values. */
export function matchesCatalogFilters(
  entity: Entity,
  filters: readonly CatalogFilter[],
): boolean {
  return filters.some(filter =>
    filter.every(({ path, values }) =>
      entityValues(entity, path).some(v => values.includes(v)),
    ),
  );
}
