export {
  gapText,
  levelTitle,
  MaturitySummary,
  OverdueChip,
  TargetLine,
  targetSourceText,
} from './MaturitySummary';
export { AreaLevels } from './AreaLevels';
