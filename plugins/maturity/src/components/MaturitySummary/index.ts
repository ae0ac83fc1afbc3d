export { MaturitySummary } from './MaturitySummary';
