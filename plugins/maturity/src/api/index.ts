export { maturityApiRef } from './MaturityApi';
export type { MaturityApi, MaturityAttestationRequest } from './MaturityApi';
export { MaturityClient } from './MaturityClient';
