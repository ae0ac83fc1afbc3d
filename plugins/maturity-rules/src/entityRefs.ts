import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * Refs already resolved: the same owners, systems and domains are named by
 * thousands of entities, and each is resolved several times per cycle.
 * Emptied when full, so it stays small whatever the catalog holds.
 */
const resolvedRefs = new Map<string, string | null>();
const RESOLVED_REFS_KEPT = 20_000;

/** Full lower-case ref of a relation field, or undefined when absent/invalid. */
export function refOf(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const key = `${defaultKind}\0${defaultNamespace}\0${value}`;
  let ref = resolvedRefs.get(key);
  if (ref === undefined) {
    try {
      ref = stringifyEntityRef(
        parseEntityRef(value, { defaultKind, defaultNamespace }),
      ).toLocaleLowerCase('en-US');
    } catch {
      ref = null;
    }
    if (resolvedRefs.size >= RESOLVED_REFS_KEPT) resolvedRefs.clear();
    resolvedRefs.set(key, ref);
  }
  return ref ?? undefined;
}
