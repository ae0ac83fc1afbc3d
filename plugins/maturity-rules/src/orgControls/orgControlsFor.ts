import { Entity } from '@backstage/catalog-model';
import { matchesCatalogFilters } from './catalogFilter';
import { isoDayNumber, OrgControl } from './readOrgControls';

/** The org control that speaks for one check of one entity. */
export interface OrgControlMatch {
  control: OrgControl;
  /** Reviewed more than `maxAgeDays` ago: it passes nothing. */
  lapsed: boolean;
  maxAgeDays: number;
}

const DAY_MS = 86_400_000;

/** A fresh control beats a lapsed one; then the latest review; then config order. */
function better(a: OrgControlMatch, b: OrgControlMatch): boolean {
  if (a.lapsed !== b.lapsed) return !a.lapsed;
  return a.control.reviewed > b.control.reviewed;
}

/**
 * The org controls that cover an entity, by check id: the ones whose
 * `appliesTo` matches it (all of them when it has none), each aged like an
 * attestation (exactly the maximum age still holds). Keys have no prototype,
 * so any check id is a safe key. Pure.
 */
export function orgControlsFor(
  entity: Entity,
  controls: readonly OrgControl[],
  options: { now: Date; reviewMaxAgeDays: number },
): Record<string, OrgControlMatch> {
  const byCheck: Record<string, OrgControlMatch> = Object.create(null);
  const today = Math.floor(options.now.getTime() / DAY_MS);
  for (const control of controls) {
    if (
      control.appliesTo &&
      !matchesCatalogFilters(entity, control.appliesTo)
    ) {
      continue;
    }
    const age = today - (isoDayNumber(control.reviewed) ?? today);
    const match = {
      control,
      lapsed: age > options.reviewMaxAgeDays,
      maxAgeDays: options.reviewMaxAgeDays,
    };
    for (const checkId of control.satisfies) {
      const current = byCheck[checkId];
      if (!current || better(match, current)) byCheck[checkId] = match;
    }
  }
  return byCheck;
}
