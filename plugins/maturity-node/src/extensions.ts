import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { MaturityCheck } from '@cnmaturity/plugin-maturity-rules';

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
