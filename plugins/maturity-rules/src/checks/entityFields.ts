import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { MATURITY_ANNOTATION_PREFIX } from '@cnmaturity/plugin-maturity-common';
import { MaturitySignals } from '../model';

// ---------------------------------------------------------------------------
// Entity readers shared by the checks of every area. Entities come from YAML
// anyone can edit, so each reader tolerates wrong types instead of throwing.
// ---------------------------------------------------------------------------

/** A non-empty string annotation, trimmed, or undefined. */
export function annotationValue(
  entity: Entity,
  key: string,
): string | undefined {
  const raw: unknown = entity?.metadata?.annotations;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const value = (raw as Record<string, unknown>)[key];
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : undefined;
}

/** The entity's annotations with non-empty string values only, trimmed. */
export function stringAnnotations(entity: Entity): Record<string, string> {
  const raw: unknown = entity?.metadata?.annotations;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value === 'string' && value.trim() !== '') {
      result[key] = value.trim();
    }
  }
  return result;
}

/** The first of `keys` set to a non-empty string, as key and value. */
export function firstAnnotation(
  entity: Entity,
  keys: readonly string[],
): { key: string; value: string } | undefined {
  for (const key of keys) {
    const value = annotationValue(entity, key);
    if (value) return { key, value };
  }
  return undefined;
}

/** Annotations whose key matches, ignoring this plugin's own annotations. */
export function annotationsMatching(
  entity: Entity,
  test: (key: string) => boolean,
): Array<{ key: string; value: string }> {
  return Object.entries(stringAnnotations(entity))
    .filter(([key]) => !key.startsWith(MATURITY_ANNOTATION_PREFIX) && test(key))
    .map(([key, value]) => ({ key, value }));
}

/** A field of `spec`, whatever its type; undefined when spec is not an object. */
export function specValue(entity: Entity, key: string): unknown {
  const spec: unknown = entity?.spec;
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) {
    return undefined;
  }
  return (spec as Record<string, unknown>)[key];
}

/** `metadata.links` entries that have a string url. */
export function entityLinks(
  entity: Entity,
): Array<{ url: string; type?: string; title?: string }> {
  const raw: unknown = entity?.metadata?.links;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap(link => {
    if (!link || typeof link !== 'object') return [];
    const { url, type, title } = link as Record<string, unknown>;
    if (typeof url !== 'string' || url.trim() === '') return [];
    return [
      {
        url,
        type: typeof type === 'string' ? type : undefined,
        title: typeof title === 'string' ? title : undefined,
      },
    ];
  });
}

/** `metadata.links` entries of one type (case-insensitive) with a url. */
export function linksOfType(
  entity: Entity,
  type: string,
): Array<{ url: string; title?: string }> {
  return entityLinks(entity).flatMap(link => {
    if (link.type === undefined) return [];
    if (link.type.toLocaleLowerCase('en-US') !== type) return [];
    return [
      {
        url: link.url,
        ...(link.title !== undefined ? { title: link.title } : {}),
      },
    ];
  });
}

/**
 * The Resource refs in `spec.dependsOn`, lower case and fully qualified,
 * with the catalog entity when it could be resolved.
 */
export function resourceDependencies(
  signals: MaturitySignals,
): Array<{ ref: string; entity?: Entity }> {
  const raw = specValue(signals.entity, 'dependsOn');
  if (!Array.isArray(raw)) return [];
  const namespace =
    typeof signals.entity?.metadata?.namespace === 'string'
      ? signals.entity.metadata.namespace
      : 'default';
  return raw.flatMap(item => {
    if (typeof item !== 'string') return [];
    try {
      const parsed = parseEntityRef(item, { defaultNamespace: namespace });
      if (parsed.kind.toLocaleLowerCase('en-US') !== 'resource') return [];
      const ref = stringifyEntityRef(parsed).toLocaleLowerCase('en-US');
      return [{ ref, entity: signals.related.get(ref) }];
    } catch {
      // dependsOn entries need a kind; anything else cannot be a Resource.
      return [];
    }
  });
}
