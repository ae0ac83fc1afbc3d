import { MaturityArea, MaturityLevelNumber } from './levels';

/**
 * How a check counts: `required` gates its level, `supporting` adds to the
 * score only, `informational` never affects level or score.
 * @public
 */
export type MaturityCheckKind = 'required' | 'supporting' | 'informational';

/**
 * The static description of a check, as served by the rubric route and shown
 * next to each result.
 * @public
 */
export interface MaturityCheckDefinition {
  /** Stable id `<area>.<slug>`; the level is an attribute so config can move it. */
  id: string;
  title: string;
  area: MaturityArea;
  level: Exclude<MaturityLevelNumber, 0>;
  kind: MaturityCheckKind;
  weight: number;
  /** What an owner can do to make the check pass. */
  remediation: string;
  /** The model subsection the check comes from, for the "why" link. */
  modelReference: string;
  /** The pass rule in one sentence, for the rubric page. */
  rule?: string;
  /** What the check reads; `attestation` checks pass only by an owner's attestation. */
  signal?: 'catalog' | 'repository' | 'attestation' | 'fact';
  /**
   * The entity `spec.type`s the check applies to, e.g. `['service', 'website']`;
   * any other type reads `not-applicable`. Absent: applies to every type.
   */
  appliesTo?: string[];
  /** An owner may attest the check (annotation `cloud-native-maturity/attest.<id>`). */
  attestable?: boolean;
}
