import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Re-evaluate one entity now.
 * @public
 */
export const maturityEntityRefreshPermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'maturity.entity.refresh',
    attributes: { action: 'update' },
    resourceType: 'catalog-entity',
  });

/**
 * Attest a check that only people can judge.
 * @public
 */
export const maturityEntityAttestPermission: ResourcePermission<'catalog-entity'> =
  createPermission({
    name: 'maturity.entity.attest',
    attributes: { action: 'create' },
    resourceType: 'catalog-entity',
  });

/** @public */
export const maturityPermissions = [
  maturityEntityRefreshPermission,
  maturityEntityAttestPermission,
];
