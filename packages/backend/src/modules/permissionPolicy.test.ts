import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  maturityEntityAttestPermission,
  maturityEntityRefreshPermission,
} from '@cnmaturity/plugin-maturity-common';
import { DemoPermissionPolicy } from './permissionPolicy';

describe('DemoPermissionPolicy', () => {
  const policy = new DemoPermissionPolicy();

  it('lets everyone read the catalog and use the maturity actions', async () => {
    for (const permission of [
      catalogEntityReadPermission,
      maturityEntityRefreshPermission,
      maturityEntityAttestPermission,
    ]) {
      await expect(policy.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('keeps the file-based demo catalog from being deleted', async () => {
    for (const permission of [
      catalogEntityDeletePermission,
      catalogLocationDeletePermission,
    ]) {
      await expect(policy.handle({ permission })).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });
});
