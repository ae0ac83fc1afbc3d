export { maturityApiRef } from './MaturityApi';
export type { MaturityApi } from './MaturityApi';
export { MaturityClient } from './MaturityClient';
