import type { MaturityAnnotationMessage } from './annotations';
import { MaturityArea, MaturityLevelNumber } from './levels';

/**
 * `unknown` means the signal could not be read; it is never shown as a failure.
 * @public
 */
export type CheckStatus =
  | 'pass'
  | 'fail'
  | 'unknown'
  | 'exempt'
  | 'not-applicable';

/**
 * What decided a check: a catalog field or relation, an annotation, a file in
 * the repository (or a shared CI file it calls), a pushed fact, an
 * attestation, or an org-wide control from config.
 * @public
 */
export interface CheckEvidence {
  type:
    | 'catalog'
    | 'annotation'
    | 'file'
    | 'fact'
    | 'attestation'
    | 'org-control';
  /** Human-readable label, e.g. `spec.owner` or `.github/workflows/ci.yml`. */
  label: string;
  /** The value that was seen, when it is short. */
  value?: string;
  /** An entity ref, file URL or link to open. */
  ref?: string;
  line?: number;
  /**
   * For a file outside the repository (a shared CI workflow, action or
   * template): the repository file that calls it, and the line of the call.
   */
  via?: { label: string; line?: number };
}

/** @public */
export interface CheckResult {
  checkId: string;
  status: CheckStatus;
  message: string;
  evidence: CheckEvidence[];
}

/** @public */
export interface NextLevelStep {
  checkId: string;
  level: number;
  status: CheckStatus;
}

/** @public */
export interface ResolvedTarget {
  level: number;
  date?: string;
  /** The entity whose annotation set the target. */
  source: string;
  /** Target level minus level reached; positive means behind. */
  gap: number;
  /** The date has passed and the level is still below target. */
  overdue: boolean;
}

/**
 * The latest evaluation of one entity, as served by
 * `GET /api/maturity/entities/:kind/:namespace/:name`.
 * @public
 */
export interface EntityMaturityResult {
  entityRef: string;
  evaluatedAt: string;
  /** True when the latest attempt failed and this is the last good result. */
  stale: boolean;
  staleReason?: string;
  level: MaturityLevelNumber;
  /** Level per area by the same rule as the overall level. */
  areaLevels?: Record<MaturityArea, MaturityLevelNumber>;
  /** Weight of passed checks over weight of counted checks, 0-100. */
  scorePercent?: number;
  /** The nearest target (entity, System, Domain, owner Group), with gap and overdue. */
  target?: ResolvedTarget;
  /** The required checks that stand between the entity and the next level. */
  next?: { level: number; steps: NextLevelStep[] };
  /** Problems with the entity's maturity annotations, shown next to them. */
  messages?: MaturityAnnotationMessage[];
  counts: Record<CheckStatus, number>;
  checks: CheckResult[];
}

/** @public */
export function countStatuses(
  checks: readonly CheckResult[],
): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = {
    pass: 0,
    fail: 0,
    unknown: 0,
    exempt: 0,
    'not-applicable': 0,
  };
  for (const c of checks) counts[c.status]++;
  return counts;
}
