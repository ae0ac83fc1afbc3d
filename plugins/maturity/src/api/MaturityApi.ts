import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  EntityMaturityResult,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';

/**
 * Reads maturity results from the maturity backend.
 * @public
 */
export interface MaturityApi {
  /** The latest result, or undefined when the entity was not evaluated yet. */
  getEntityResult(
    ref: CompoundEntityRef,
  ): Promise<EntityMaturityResult | undefined>;
  /** The checks as configured on the backend. */
  getRubric(): Promise<{ checks: MaturityCheckDefinition[] }>;
}

/** @public */
export const maturityApiRef = createApiRef<MaturityApi>({
  id: 'plugin.maturity.service',
});
