export { RubricContent } from './RubricContent';
