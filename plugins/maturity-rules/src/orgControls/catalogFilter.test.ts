import { Entity } from '@backstage/catalog-model';
import { component } from '../testUtils/entities';
import { matchesCatalogFilters, parseCatalogFilters } from './catalogFilter';

const checkout = component(
  'checkout-service',
  { owner: 'payments-team', lifecycle: 'production' },
  {
    annotations: { 'github.com/project-slug': 'acme/checkout-service' },
    tags: ['java', 'PCI'],
  },
);

function matches(entity: Entity, appliesTo: unknown): boolean {
  const filters = parseCatalogFilters(appliesTo);
  if (typeof filters === 'string') throw new Error(filters);
  return matchesCatalogFilters(entity, filters);
}

describe('catalog filters of org controls', () => {
  it('matches a single value, and every key must match', () => {
    expect(matches(checkout, { kind: 'Component' })).toBe(true);
    expect(
      matches(checkout, { kind: 'Component', 'spec.lifecycle': 'production' }),
    ).toBe(true);
    expect(
      matches(checkout, {
        kind: 'Component',
        'spec.lifecycle': 'experimental',
      }),
    ).toBe(false);
  });

  it('takes a list of values as any of them', () => {
    expect(
      matches(checkout, { 'spec.lifecycle': ['experimental', 'production'] }),
    ).toBe(true);
    expect(matches(checkout, { 'spec.type': ['website', 'library'] })).toBe(
      false,
    );
  });

  it('reads annotation keys that contain dots and slashes', () => {
    expect(
      matches(checkout, {
        'metadata.annotations.github.com/project-slug': 'acme/checkout-service',
      }),
    ).toBe(true);
    expect(
      matches(checkout, {
        'metadata.annotations.github.com/project-slug': 'acme/other',
      }),
    ).toBe(false);
  });

  it('matches a tag among the entity tags', () => {
    expect(matches(checkout, { 'metadata.tags': 'pci' })).toBe(true);
    expect(matches(checkout, { 'metadata.tags': 'go' })).toBe(false);
  });

  it('ignores case in keys and values, as the catalog does', () => {
    expect(
      matches(checkout, { KIND: 'component', 'Spec.Lifecycle': 'PRODUCTION' }),
    ).toBe(true);
  });

  it('matches when any filter of a list matches', () => {
    const appliesTo = [
      { 'spec.type': 'library' },
      { 'metadata.name': 'checkout-service' },
    ];
    expect(matches(checkout, appliesTo)).toBe(true);
    expect(matches(component('search-service'), appliesTo)).toBe(false);
  });

  it('knows the default namespace and relations by type', () => {
    const entity: Entity = {
      ...component('svc'),
      metadata: { name: 'svc' },
      relations: [{ type: 'ownedBy', targetRef: 'group:default/web-team' }],
    };
    expect(matches(entity, { 'metadata.namespace': 'default' })).toBe(true);
    expect(
      matches(entity, { 'relations.ownedBy': 'group:default/web-team' }),
    ).toBe(true);
  });

  it('does not match a path the entity does not have', () => {
    expect(matches(checkout, { 'spec.system': 'payments' })).toBe(false);
    expect(
      matches(checkout, {
        'metadata.annotations.pagerduty.com/service-id': 'x',
      }),
    ).toBe(false);
  });

  it.each([
    ['Component', 'appliesTo must be an object'],
    [{}, 'appliesTo has no keys'],
    [[], 'appliesTo is an empty list'],
    [[{ kind: 'Component' }, 'x'], 'appliesTo[1] must be an object'],
    [{ 'spec..type': 'service' }, 'the key "spec..type"'],
    [{ 'spec.type': 3 }, 'appliesTo.spec.type must be a non-empty string'],
    [{ 'spec.type': [] }, 'appliesTo.spec.type must be a non-empty string'],
    [{ 'spec.type': ['service', ''] }, 'appliesTo.spec.type must be'],
  ])('rejects %j, naming the problem', (appliesTo, problem) => {
    expect(parseCatalogFilters(appliesTo)).toEqual(
      expect.stringContaining(problem),
    );
  });
});
