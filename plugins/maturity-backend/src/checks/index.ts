import { MaturityCheck } from '@cnmaturity/plugin-maturity-node';
import { peopleChecks } from './people';

/** The checks this backend ships with, before modules add their own. */
export const builtinChecks: MaturityCheck[] = [...peopleChecks];
