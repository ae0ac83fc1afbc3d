import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { refOf, resolveOwnerRef } from '@cnmaturity/plugin-maturity-rules';

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The entities the checks and the target inheritance follow from an entity:
 * owner group, system, dependencies and provided APIs.
 */
export function firstHopRefs(entity: Entity): string[] {
  const refs = new Set<string>();
  const ns = entity.metadata.namespace ?? 'default';
  const owner = resolveOwnerRef(entity);
  if ('ref' in owner) refs.add(owner.ref);
  const add = (v: unknown, kind: string) => {
    const ref = refOf(v, kind, ns);
    if (ref) refs.add(ref);
  };
  add(entity.spec?.system, 'System');
  for (const d of asArray(entity.spec?.dependsOn)) add(d, 'Component');
  for (const a of asArray(entity.spec?.providesApis)) add(a, 'API');
  return [...refs];
}

/** The domain of a system entity, if it names one. */
export function domainRefOf(system: Entity): string | undefined {
  if (system.kind.toLocaleLowerCase('en-US') !== 'system') return undefined;
  return refOf(
    system.spec?.domain,
    'Domain',
    system.metadata.namespace ?? 'default',
  );
}

/**
 * Every related ref of one entity with what the catalog returned for it
 * (undefined when it could not be resolved), in a stable order.
 */
export function relatedOf(
  entity: Entity,
  related: ReadonlyMap<string, Entity>,
): Array<[string, Entity | undefined]> {
  const refs = firstHopRefs(entity);
  for (const ref of [...refs]) {
    const e = related.get(ref);
    const domain = e && domainRefOf(e);
    if (domain) refs.push(domain);
  }
  return refs.sort().map(ref => [ref, related.get(ref)]);
}

/**
 * Related entities already fetched in this cycle, by ref (null: not in the
 * catalog). Owners, systems and domains are shared by many entities, and a
 * group with its relations is the largest thing a page asks for.
 */
export type RelatedCache = Map<string, Entity | null>;

/** APIs are provided by one entity each: not worth keeping for the cycle. */
const isShared = (ref: string) => !ref.startsWith('api:');

/**
 * Fetches the related entities of a page of entities in two catalog round
 * trips: the first hop, then the systems' domains. With a cycle's `cache`,
 * shared entities come from the catalog once per cycle; with `fields`, only
 * those fields (the cache must hold entities fetched with the same fields).
 */
export async function fetchRelated(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  entities: Entity[],
  options: { cache?: RelatedCache; fields?: string[] } = {},
): Promise<Map<string, Entity>> {
  const { cache, fields } = options;
  const related = new Map<string, Entity>();
  const fetchInto = async (wanted: Set<string>) => {
    const entityRefs: string[] = [];
    for (const ref of wanted) {
      const cached = cache?.get(ref);
      if (cached === undefined) entityRefs.push(ref);
      else if (cached) related.set(ref, cached);
    }
    if (entityRefs.length === 0) return;
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs, ...(fields ? { fields } : {}) },
      { credentials },
    );
    items.forEach((item, i) => {
      const ref = entityRefs[i];
      if (item) related.set(ref, item);
      if (cache && isShared(ref)) cache.set(ref, item ?? null);
    });
  };
  await fetchInto(new Set(entities.flatMap(firstHopRefs)));
  const domains = new Set<string>();
  for (const e of related.values()) {
    const domain = domainRefOf(e);
    if (domain && !related.has(domain)) domains.add(domain);
  }
  await fetchInto(domains);
  return related;
}
