import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { MaturityCheck } from './checks';

/**
 * Lets a backend module add checks to the maturity plugin.
 * @public
 */
export interface MaturityChecksExtensionPoint {
  addChecks(...checks: MaturityCheck[]): void;
}

/** @public */
export const maturityChecksExtensionPoint =
  createExtensionPoint<MaturityChecksExtensionPoint>({
    id: 'maturity.checks',
  });
