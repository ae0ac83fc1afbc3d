import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockCredentials } from '@backstage/backend-test-utils';
import { sourceLocationUrl } from '../collectors/RepositoryCollector';
import { ENTITY_KEY_FIELDS, RELATED_KEY_FIELDS } from './catalogFields';
import { domainRefOf, firstHopRefs } from './related';

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'shop',
    etag: 'e1',
    description: 'Takes the money',
    annotations: {
      'backstage.io/source-location':
        'url:https://github.com/acme/payments/tree/main/',
      'backstage.io/managed-by-location':
        'url:https://github.com/acme/payments/blob/main/catalog-info.yaml',
      'cloud-native-maturity/target-level': 'scale',
    },
    tags: ['java'],
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments-team',
    system: 'checkout',
    dependsOn: ['resource:prod-cluster', 'component:ledger'],
    providesApis: ['payments-api'],
    consumesApis: ['ledger-api'],
  },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments-team' }],
};

/** Only its catalog file says where it is: the source location falls back to it. */
const registeredOnly: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'legacy',
    etag: 'e2',
    annotations: {
      'backstage.io/managed-by-location':
        'url:https://github.com/acme/legacy/blob/main/catalog-info.yaml',
    },
  },
  spec: { owner: 'legacy-team' },
};

const system: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'checkout', namespace: 'shop', etag: 's1' },
  spec: { owner: 'payments-team', domain: 'commerce' },
};

/** The entities as the catalog returns them for these fields. */
async function project(entities: Entity[], fields: string[]) {
  const catalog = catalogServiceMock({ entities });
  const { items } = await catalog.queryEntities(
    { fields },
    { credentials: mockCredentials.service() },
  );
  return items;
}

describe('key fields', () => {
  it('give the same ref, etag, repository and related refs as the whole entity', async () => {
    const whole = [service, registeredOnly];
    const keys = await project(whole, ENTITY_KEY_FIELDS);
    keys.forEach((key, i) => {
      expect(stringifyEntityRef(key)).toBe(stringifyEntityRef(whole[i]));
      expect(key.metadata.etag).toBe(whole[i].metadata.etag);
      expect(sourceLocationUrl(key)).toEqual(sourceLocationUrl(whole[i]));
      expect(firstHopRefs(key)).toEqual(firstHopRefs(whole[i]));
    });
    expect(firstHopRefs(keys[0])).toEqual([
      'group:default/payments-team',
      'system:shop/checkout',
      'resource:shop/prod-cluster',
      'component:shop/ledger',
      'api:shop/payments-api',
    ]);
    expect(sourceLocationUrl(keys[1])).toEqual({
      url: 'https://github.com/acme/legacy/blob/main/catalog-info.yaml',
    });
    // And leave out the relations, which only the checks read.
    expect(keys[0].relations).toBeUndefined();
  });

  it("of a related entity give its etag and a system's domain", async () => {
    const [key] = await project([system], RELATED_KEY_FIELDS);
    expect(key.metadata.etag).toBe('s1');
    expect(domainRefOf(key)).toBe('domain:shop/commerce');
    expect(key.spec?.owner).toBeUndefined();
  });
});
