export { CheckStatusChip } from './CheckStatusChip';
