/**
 * The five levels and five areas of the CNCF Cloud Native Maturity Model.
 * Level 0 means "not yet at Build".
 */

/** @public */
export type MaturityLevelNumber = 0 | 1 | 2 | 3 | 4 | 5;

/** @public */
export interface MaturityLevel {
  level: MaturityLevelNumber;
  /** Model v3 name; level 5 was called "Optimize" before v3. */
  name: string;
  description: string;
}

/** @public */
export const MATURITY_LEVELS: readonly MaturityLevel[] = [
  { level: 0, name: 'Not started', description: 'Not yet at Build.' },
  {
    level: 1,
    name: 'Build',
    description:
      'A proof of concept runs; the cloud native baseline is being built.',
  },
  {
    level: 2,
    name: 'Operate',
    description:
      'The cloud native foundation is established and moving to production.',
  },
  {
    level: 3,
    name: 'Scale',
    description: 'Competency grows; processes are defined and scaled.',
  },
  {
    level: 4,
    name: 'Improve',
    description:
      'Security, policy and governance improve across the environment.',
  },
  {
    level: 5,
    name: 'Adapt',
    description:
      'The business adapts and optimises through its cloud native platform.',
  },
];

/** @public */
export type MaturityArea =
  | 'people'
  | 'process'
  | 'policy'
  | 'technology'
  | 'business';

/** @public */
export const MATURITY_AREAS: readonly { id: MaturityArea; title: string }[] = [
  { id: 'people', title: 'People' },
  { id: 'process', title: 'Process' },
  { id: 'policy', title: 'Policy' },
  { id: 'technology', title: 'Technology' },
  { id: 'business', title: 'Business Outcomes' },
];

/** @public */
export function levelName(level: number): string {
  return MATURITY_LEVELS.find(l => l.level === level)?.name ?? `Level ${level}`;
}
