import { MaturityCheckDefinition } from './checks';
import { MaturityLevelNumber } from './levels';
import { CheckResult } from './results';

/**
 * The level reached: level N counts when every required check of levels 1..N
 * passes or is exempt. A level for which the rubric has no required check
 * cannot be claimed, so a partial rubric never over-rates an entity.
 * @public
 */
export function computeLevel(
  definitions: readonly Pick<
    MaturityCheckDefinition,
    'id' | 'level' | 'kind'
  >[],
  results: readonly CheckResult[],
): MaturityLevelNumber {
  const statusById = new Map(results.map(r => [r.checkId, r.status]));
  let reached: MaturityLevelNumber = 0;
  for (const level of [1, 2, 3, 4, 5] as const) {
    const required = definitions.filter(
      d =>
        d.level === level &&
        d.kind === 'required' &&
        statusById.get(d.id) !== 'not-applicable',
    );
    if (required.length === 0) return reached;
    const ok = required.every(d => {
      const status = statusById.get(d.id);
      return status === 'pass' || status === 'exempt';
    });
    if (!ok) return reached;
    reached = level;
  }
  return reached;
}
