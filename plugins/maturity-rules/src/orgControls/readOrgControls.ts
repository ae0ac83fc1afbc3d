import { Config } from '@backstage/config';
import { MaturityCheckDefinition } from '@cnmaturity/plugin-maturity-common';
import { CatalogFilter, parseCatalogFilters } from './catalogFilter';

/**
 * A control done once, centrally, for what no repository shows (secret
 * scanning on the whole GitHub organisation, a log platform), declared by
 * the platform team in `maturity.orgControls`.
 */
export interface OrgControl {
  id: string;
  title?: string;
  description?: string;
  /** Check ids the control passes. */
  satisfies: string[];
  /** http(s) URL where the control can be seen. */
  evidence: string;
  /** Entities it covers, any filter matching; undefined covers every entity. */
  appliesTo?: CatalogFilter[];
  /** `YYYY-MM-DD` of the last review. */
  reviewed: string;
}

const KEYS = [
  'id',
  'title',
  'description',
  'satisfies',
  'evidence',
  'appliesTo',
  'reviewed',
];
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a real calendar date `YYYY-MM-DD`, else undefined. */
export function isoDayNumber(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  // The round trip rejects 2026-02-30 however the engine parses it.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    return undefined;
  }
  return ms / DAY_MS;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return ['http:', 'https:'].includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

function entryError(index: number, id: unknown, problem: string): Error {
  const name = typeof id === 'string' && id.trim() ? ` (${id.trim()})` : '';
  return new Error(
    `Invalid config at 'maturity.orgControls[${index}]'${name}: ${problem}`,
  );
}

const optionalText = (v: unknown) =>
  typeof v === 'string' && v.trim() ? v.trim() : undefined;

function readEntry(raw: unknown, index: number, today: number): OrgControl {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw entryError(
      index,
      undefined,
      'must be an object with id, satisfies, evidence and reviewed',
    );
  }
  const entry = raw as Record<string, unknown>;
  const fail = (problem: string) => entryError(index, entry.id, problem);
  for (const key of Object.keys(entry)) {
    if (!KEYS.includes(key)) {
      throw fail(`unknown option "${key}" (expected ${KEYS.join(', ')})`);
    }
  }

  const id = optionalText(entry.id);
  if (!id) throw fail('id is required, a non-empty string');

  const { satisfies } = entry;
  if (
    !Array.isArray(satisfies) ||
    satisfies.length === 0 ||
    satisfies.some(s => typeof s !== 'string' || !s.trim())
  ) {
    throw fail('satisfies must list at least one check id');
  }

  const evidence = entry.evidence;
  if (typeof evidence !== 'string' || !isHttpUrl(evidence.trim())) {
    throw fail(
      'evidence is required, an http(s) URL where the control can be seen',
    );
  }

  const reviewed = entry.reviewed;
  const day =
    typeof reviewed === 'string' ? isoDayNumber(reviewed.trim()) : undefined;
  if (day === undefined) {
    throw fail(
      `reviewed must be a calendar date YYYY-MM-DD, got ${JSON.stringify(
        reviewed,
      )}`,
    );
  }
  // One day of slack for a reviewer ahead of UTC.
  if (day > today + 1) {
    throw fail(`reviewed is in the future (${reviewed})`);
  }

  let appliesTo: CatalogFilter[] | undefined;
  if (entry.appliesTo !== undefined) {
    const parsed = parseCatalogFilters(entry.appliesTo);
    if (typeof parsed === 'string') throw fail(parsed);
    appliesTo = parsed;
  }

  return {
    id,
    title: optionalText(entry.title),
    description: optionalText(entry.description),
    satisfies: [...new Set(satisfies.map(s => (s as string).trim()))],
    evidence: evidence.trim(),
    ...(appliesTo ? { appliesTo } : {}),
    reviewed: (reviewed as string).trim(),
  };
}

/**
 * Reads and validates `maturity.orgControls`. Every problem throws at start
 * with the entry's index and id: a control that silently did nothing would
 * leave checks failing, one that matched too much would pass them unseen.
 * Check ids are validated later, once modules have added their checks.
 */
export function readOrgControls(
  root: Config | undefined,
  now: Date = new Date(),
): OrgControl[] {
  const raw = root?.getOptional('orgControls');
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    throw new Error(
      `Invalid config at 'maturity.orgControls': must be a list of controls`,
    );
  }
  const today = Math.floor(now.getTime() / DAY_MS);
  const controls = raw.map((entry, i) => readEntry(entry, i, today));
  const seen = new Map<string, number>();
  controls.forEach((c, i) => {
    const first = seen.get(c.id);
    if (first !== undefined) {
      throw entryError(
        i,
        c.id,
        `duplicate id; maturity.orgControls[${first}] has it too`,
      );
    }
    seen.set(c.id, i);
  });
  return controls;
}

/**
 * Every check a control satisfies must be one of the configured checks
 * (built-in, from modules and from customChecks, after overrides), so a
 * typo fails at start instead of passing nothing.
 */
export function assertOrgControlChecks(
  controls: readonly OrgControl[],
  checks: readonly MaturityCheckDefinition[],
): void {
  const known = new Set(checks.map(c => c.id));
  controls.forEach((control, i) => {
    for (const id of control.satisfies) {
      if (known.has(id)) continue;
      const area = id.split('.')[0];
      const sameArea = [...known].filter(k => k.startsWith(`${area}.`)).sort();
      throw entryError(
        i,
        control.id,
        `satisfies names unknown check "${id}"${
          sameArea.length
            ? `; the ${area} checks are ${sameArea.join(', ')}`
            : ''
        }`,
      );
    }
  });
}
