import { MaturityCheckDefinition } from './checks';
import { MATURITY_AREAS, MaturityArea, MaturityLevelNumber } from './levels';
import {
  CheckResult,
  CheckStatus,
  NextLevelStep,
  ResolvedTarget,
} from './results';

type Definition = Pick<
  MaturityCheckDefinition,
  'id' | 'level' | 'kind' | 'area' | 'weight'
>;

const LEVELS = [1, 2, 3, 4, 5] as const;

const satisfied = (status: CheckStatus | undefined) =>
  status === 'pass' || status === 'exempt';

/**
 * The level reached: level N counts when every required check of levels 1..N
 * passes or is exempt. `unknown` is not a failure, but it does not confirm a
 * level either. A not-applicable check does not block. A level for which the
 * rubric has no applicable required check cannot be claimed, so a partial
 * rubric never over-rates an entity.
 * @public
 */
export function computeLevel(
  definitions: readonly Definition[],
  results: readonly CheckResult[],
): MaturityLevelNumber {
  const statusById = new Map(results.map(r => [r.checkId, r.status]));
  let reached: MaturityLevelNumber = 0;
  for (const level of LEVELS) {
    const required = definitions.filter(
      d =>
        d.level === level &&
        d.kind === 'required' &&
        statusById.get(d.id) !== 'not-applicable',
    );
    if (required.length === 0) return reached;
    if (!required.every(d => satisfied(statusById.get(d.id)))) return reached;
    reached = level;
  }
  return reached;
}

/**
 * Per-area levels by the same rule, within one area. An area is not rated
 * above the highest level at which it has a required check.
 * @public
 */
export function computeAreaLevels(
  definitions: readonly Definition[],
  results: readonly CheckResult[],
): Record<MaturityArea, MaturityLevelNumber> {
  const statusById = new Map(results.map(r => [r.checkId, r.status]));
  const out = {} as Record<MaturityArea, MaturityLevelNumber>;
  for (const { id: area } of MATURITY_AREAS) {
    const required = definitions.filter(
      d =>
        d.area === area &&
        d.kind === 'required' &&
        statusById.get(d.id) !== 'not-applicable',
    );
    const ceiling = Math.max(0, ...required.map(d => d.level));
    let reached: MaturityLevelNumber = 0;
    for (const level of LEVELS) {
      if (level > ceiling) break;
      const atLevel = required.filter(d => d.level === level);
      if (!atLevel.every(d => satisfied(statusById.get(d.id)))) break;
      reached = level;
    }
    out[area] = reached;
  }
  return out;
}

/**
 * Weight of passed checks over weight of the checks that count: not
 * applicable, exempt and unknown checks are left out of both, so an
 * unreadable signal neither helps nor hurts. 0 to 100, rounded.
 * @public
 */
export function computeScorePercent(
  definitions: readonly Definition[],
  results: readonly CheckResult[],
): number {
  const weightById = new Map(definitions.map(d => [d.id, d.weight]));
  let passed = 0;
  let counted = 0;
  for (const r of results) {
    const weight = weightById.get(r.checkId) ?? 0;
    if (r.status === 'pass') {
      passed += weight;
      counted += weight;
    } else if (r.status === 'fail') {
      counted += weight;
    }
  }
  return counted === 0 ? 0 : Math.round((passed / counted) * 100);
}

/**
 * What stands between the entity and the next level: every required check up
 * to that level that neither passes nor is exempt (unknown ones included, so
 * an owner sees which signals could not be read). Lowest level first, then
 * heaviest first.
 * @public
 */
export function nextLevelSteps(
  definitions: readonly Definition[],
  results: readonly CheckResult[],
  level: MaturityLevelNumber,
): { level: number; steps: NextLevelStep[] } | undefined {
  if (level >= 5) return undefined;
  const next = level + 1;
  const statusById = new Map(results.map(r => [r.checkId, r.status]));
  const steps = definitions
    .filter(d => d.kind === 'required' && d.level <= next)
    .map(d => ({ d, status: statusById.get(d.id) ?? ('unknown' as const) }))
    .filter(({ status }) => !satisfied(status) && status !== 'not-applicable')
    .sort((a, b) => a.d.level - b.d.level || b.d.weight - a.d.weight)
    .map(({ d, status }) => ({ checkId: d.id, level: d.level, status }));
  return { level: next, steps };
}

/**
 * A target as set on one entity in the chain (entity, System, Domain, owner
 * Group), already parsed from its annotations.
 * @public
 */
export interface TargetCandidate {
  ref: string;
  targetLevel?: number;
  targetDate?: string;
}

/**
 * The nearest target wins: the entity's own, else its System's, Domain's,
 * owner Group's (pass candidates nearest first). Level and date travel
 * together from the source that sets the level.
 * @public
 */
export function resolveTarget(
  candidates: readonly TargetCandidate[],
  level: MaturityLevelNumber,
  now: Date,
): ResolvedTarget | undefined {
  const source = candidates.find(c => c.targetLevel !== undefined);
  if (!source || source.targetLevel === undefined) return undefined;
  const today = now.toISOString().slice(0, 10);
  const gap = source.targetLevel - level;
  return {
    level: source.targetLevel,
    ...(source.targetDate ? { date: source.targetDate } : {}),
    source: source.ref,
    gap,
    overdue: gap > 0 && !!source.targetDate && source.targetDate < today,
  };
}
