export { EntityMaturityContent } from './EntityMaturityContent';
