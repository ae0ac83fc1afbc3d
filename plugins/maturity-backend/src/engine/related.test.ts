import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { fetchRelated, RelatedCache } from './related';

const entity = (kind: string, name: string, spec: object = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default' },
  spec,
});

const component = (name: string) =>
  entity('Component', name, {
    owner: 'group:team-a',
    system: 'shop',
    providesApis: [`${name}-api`],
  });

/** A catalog that answers getEntitiesByRefs and records what was asked. */
function fakeCatalog(entities: Entity[]) {
  const asked: string[][] = [];
  const byRef = new Map(
    entities.map(e => [
      `${e.kind}:default/${e.metadata.name}`.toLocaleLowerCase('en-US'),
      e,
    ]),
  );
  const catalog = {
    getEntitiesByRefs: async ({ entityRefs }: { entityRefs: string[] }) => {
      asked.push(entityRefs);
      return { items: entityRefs.map(r => byRef.get(r)) };
    },
  } as unknown as CatalogService;
  return { catalog, asked };
}

describe('fetchRelated', () => {
  const known = [
    entity('Group', 'team-a'),
    entity('System', 'shop', { domain: 'retail' }),
    entity('Domain', 'retail'),
    entity('API', 'one-api'),
    entity('API', 'two-api'),
  ];

  it('follows owner, system, APIs and the system domain in two round trips', async () => {
    const { catalog, asked } = fakeCatalog(known);
    const related = await fetchRelated(catalog, {} as any, [component('one')]);
    expect([...related.keys()].sort()).toEqual([
      'api:default/one-api',
      'domain:default/retail',
      'group:default/team-a',
      'system:default/shop',
    ]);
    expect(asked).toHaveLength(2);
  });

  it("with a cycle's cache, asks for shared entities once per cycle but for APIs every time", async () => {
    const { catalog, asked } = fakeCatalog(known);
    const cache: RelatedCache = new Map();
    await fetchRelated(catalog, {} as any, [component('one')], {
      cache,
    });
    const second = await fetchRelated(
      catalog,
      {} as any,
      [component('two'), entity('Component', 'x', { owner: 'group:gone' })],
      { cache },
    );
    expect(asked.slice(2)).toEqual([
      ['api:default/two-api', 'group:default/gone'],
    ]);
    expect(second.get('group:default/team-a')?.metadata.name).toBe('team-a');
    expect(second.get('domain:default/retail')).toBeDefined();
    // Not in the catalog is remembered too.
    await fetchRelated(
      catalog,
      {} as any,
      [entity('Component', 'y', { owner: 'group:gone' })],
      { cache },
    );
    expect(asked).toHaveLength(3);
  });
});
