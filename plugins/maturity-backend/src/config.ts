import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { MaturityCheckKind } from '@cnmaturity/plugin-maturity-common';
import {
  MaturityCheck,
  OrgControl,
  readOrgControls,
  ScannerKind,
  ToolPatterns,
  ToolRule,
} from '@cnmaturity/plugin-maturity-rules';
import { availableParallelism } from 'node:os';

/** Per-check overrides from `maturity.checks.<id>`. */
export interface CheckOverride {
  enabled?: boolean;
  required?: boolean;
  level?: 1 | 2 | 3 | 4 | 5;
  weight?: number;
}

/** How the plugin spends an SCM's API requests (`maturity.scm`). */
export interface ScmSettings {
  /** Share of a host's rate limit the plugin may spend per hour. */
  requestShare: number;
  /** Ask GitHub and GitLab for 100 repositories' head commits per GraphQL query. */
  batchedHeadLookups: boolean;
}

export interface MaturityConfig {
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** Disjoint parts of the catalog, one scheduler task each. */
  shards: number;
  scm: ScmSettings;
  /**
   * How long into a cycle repository reads may wait for the request
   * budget's pace: most of the schedule's timeout.
   */
  readWindowMs: number;
  kinds: string[];
  /** Repositories read at once. */
  concurrency: number;
  /** Worker threads parsing repository files; 0 parses on the event loop. */
  extractionWorkers: number;
  /** Attestations older than this no longer pass. */
  attestationMaxAgeDays: number;
  /** Days of history kept per entity; older rows are pruned daily. */
  historyRetentionDays: number;
  /** Repository files larger than this are skipped with a note. */
  maxFileBytes: number;
  tools: { allowed: string[]; denied: string[] };
  /** The organisation's own tools, added to the built-in detection. */
  detection: Partial<ToolPatterns>;
  checks: Record<string, CheckOverride>;
  /** Controls done once for the organisation; see readOrgControls. */
  orgControls: OrgControl[];
  /** Org controls reviewed longer ago than this no longer pass. */
  orgControlReviewMaxAgeDays: number;
}

const SCANNER_KINDS: ScannerKind[] = [
  'container',
  'config',
  'policy',
  'secret',
  'sast',
  'sbom',
  'signing',
  'provenance',
  'dependency',
];

function pattern(c: Config, key: string, fullKey: string): RegExp {
  const source = c.getString(key);
  try {
    return new RegExp(source);
  } catch (e) {
    throw configError(fullKey, `is not a valid regular expression: ${source}`);
  }
}

function readRules(
  root: Config | undefined,
  key: 'tests' | 'smokeTests' | 'imageBuilds' | 'deploys' | 'otherTools',
): ToolRule[] | undefined {
  return root?.getOptionalConfigArray(`detection.${key}`)?.map((c, i) => ({
    tool: c.getString('tool'),
    pattern: pattern(c, 'pattern', `detection.${key}[${i}].pattern`),
  }));
}

/**
 * Tools an organisation uses that the built-in detection does not know:
 * each a name and a regular expression over CI commands and `uses:` lines.
 */
function readDetection(root: Config | undefined): Partial<ToolPatterns> {
  const out: Partial<ToolPatterns> = {};
  for (const key of [
    'tests',
    'smokeTests',
    'imageBuilds',
    'deploys',
    'otherTools',
  ] as const) {
    const rules = readRules(root, key);
    if (rules) out[key] = rules;
  }
  const scanners = root?.getOptionalConfigArray('detection.scanners');
  if (scanners) {
    out.scanners = scanners.map((c, i) => {
      const kind = c.getString('kind') as ScannerKind;
      if (!SCANNER_KINDS.includes(kind)) {
        throw configError(
          `detection.scanners[${i}].kind`,
          `must be one of ${SCANNER_KINDS.join(', ')}, got ${kind}`,
        );
      }
      return {
        kind,
        tool: c.getString('tool'),
        pattern: pattern(c, 'pattern', `detection.scanners[${i}].pattern`),
      };
    });
  }
  const reportOnly = root?.getOptionalStringArray('detection.reportOnly');
  if (reportOnly) {
    out.reportOnly = reportOnly.map((source, i) => {
      try {
        return new RegExp(source);
      } catch {
        throw configError(
          `detection.reportOnly[${i}]`,
          `is not a valid regular expression: ${source}`,
        );
      }
    });
  }
  return out;
}

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 30 },
  timeout: { minutes: 15 },
  initialDelay: { seconds: 15 },
};

/** A schedule's timeout in ms: a luxon Duration or a HumanDuration. */
function durationMs(duration: unknown): number {
  if (duration && typeof (duration as any).toMillis === 'function') {
    return (duration as { toMillis(): number }).toMillis();
  }
  if (duration && typeof duration === 'object') {
    return durationToMilliseconds(duration as HumanDuration);
  }
  return 15 * 60_000;
}

/** Workers for a machine: one core stays with the event loop; at most 4. */
export function defaultExtractionWorkers(): number {
  return Math.max(0, Math.min(4, availableParallelism() - 1));
}

function configError(key: string, problem: string): Error {
  return new Error(`Invalid config at 'maturity.${key}': ${problem}`);
}

/**
 * Reads and validates the `maturity` config section. Every problem throws at
 * start with the key in the message: a typo must not silently drop a check.
 */
export function readMaturityConfig(config: Config): MaturityConfig {
  const root = config.getOptionalConfig('maturity');
  let schedule = DEFAULT_SCHEDULE;
  if (root?.has('schedule')) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        root.getConfig('schedule'),
      );
    } catch (e) {
      throw configError('schedule', e instanceof Error ? e.message : String(e));
    }
  }

  const kinds = root?.getOptionalStringArray('kinds') ?? ['Component'];
  if (kinds.length === 0)
    throw configError('kinds', 'must list at least one kind');

  const concurrency = wholeNumber(root, 'concurrency', 16, 1, 100);
  const extractionWorkers = wholeNumber(
    root,
    'extractionWorkers',
    defaultExtractionWorkers(),
    0,
    16,
  );
  const historyRetentionDays = wholeNumber(
    root,
    'historyRetentionDays',
    365,
    1,
    3650,
  );
  const attestationMaxAgeDays = wholeNumber(
    root,
    'attestationMaxAgeDays',
    365,
    1,
    3650,
  );
  const maxFileBytes = wholeNumber(
    root,
    'maxFileBytes',
    1024 * 1024,
    1024,
    64 * 1024 * 1024,
  );
  const tools = {
    allowed: root?.getOptionalStringArray('tools.allowed') ?? [],
    denied: root?.getOptionalStringArray('tools.denied') ?? [],
  };

  const detection = readDetection(root);

  // Check ids contain a dot (`people.team-owner`), and config keys cannot,
  // so overrides nest by area: `maturity.checks.people.team-owner.weight`.
  const checks: Record<string, CheckOverride> = {};
  const checksConfig = root?.getOptionalConfig('checks');
  for (const area of checksConfig?.keys() ?? []) {
    const areaConfig = checksConfig!.getConfig(area);
    for (const slug of areaConfig.keys()) {
      const id = `${area}.${slug}`;
      checks[id] = readOverride(id, areaConfig.getConfig(slug));
    }
  }
  const requestShare = root?.getOptionalNumber('scm.requestShare') ?? 0.5;
  if (!(requestShare > 0 && requestShare <= 1)) {
    throw configError(
      'scm.requestShare',
      `must be a number above 0 and at most 1, got ${requestShare}`,
    );
  }
  const scm: ScmSettings = {
    requestShare,
    batchedHeadLookups:
      root?.getOptionalBoolean('scm.batchedHeadLookups') ?? true,
  };
  return {
    schedule,
    shards: wholeNumber(root, 'shards', 1, 1, 64),
    scm,
    readWindowMs: Math.floor(0.8 * durationMs(schedule.timeout)),
    kinds,
    concurrency,
    extractionWorkers,
    attestationMaxAgeDays,
    historyRetentionDays,
    maxFileBytes,
    tools,
    detection,
    checks,
    orgControls: readOrgControls(root),
    orgControlReviewMaxAgeDays: wholeNumber(
      root,
      'orgControlReviewMaxAgeDays',
      365,
      1,
      3650,
    ),
  };
}

function wholeNumber(
  root: Config | undefined,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = root?.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw configError(
      key,
      `must be a whole number from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

function readOverride(id: string, c: Config): CheckOverride {
  for (const key of c.keys()) {
    if (!['enabled', 'required', 'level', 'weight'].includes(key)) {
      throw configError(
        `checks.${id}.${key}`,
        'unknown option (expected enabled, required, level or weight)',
      );
    }
  }
  const level = c.getOptionalNumber('level');
  if (level !== undefined && ![1, 2, 3, 4, 5].includes(level)) {
    throw configError(`checks.${id}.level`, `must be 1 to 5, got ${level}`);
  }
  const weight = c.getOptionalNumber('weight');
  if (weight !== undefined && !(weight >= 0)) {
    throw configError(
      `checks.${id}.weight`,
      `must be 0 or more, got ${weight}`,
    );
  }
  return {
    enabled: c.getOptionalBoolean('enabled'),
    required: c.getOptionalBoolean('required'),
    level: level as CheckOverride['level'],
    weight,
  };
}

/** `required: true` gates the level; `required: false` demotes to supporting. */
function overrideKind(
  kind: MaturityCheckKind,
  required: boolean | undefined,
): MaturityCheckKind {
  if (required === undefined) return kind;
  if (required) return 'required';
  return kind === 'required' ? 'supporting' : kind;
}

/**
 * Applies the per-check overrides. Runs once all modules have added their
 * checks, so an id no module provides is reported as unknown.
 */
export function applyCheckOverrides(
  checks: readonly MaturityCheck[],
  overrides: Record<string, CheckOverride>,
): MaturityCheck[] {
  const known = new Set<string>();
  for (const c of checks) {
    if (known.has(c.id)) {
      throw new Error(
        `Two maturity checks share the id ${c.id}; custom checks and modules need ids of their own`,
      );
    }
    known.add(c.id);
  }
  for (const id of Object.keys(overrides)) {
    if (!known.has(id)) {
      const area = id.split('.')[0];
      const sameArea = [...known].filter(k => k.startsWith(`${area}.`)).sort();
      throw configError(
        `checks.${id}`,
        sameArea.length
          ? `unknown check id; the ${area} checks are ${sameArea.join(', ')}`
          : `unknown check id; no check has the area "${area}"`,
      );
    }
  }
  return checks
    .filter(c => overrides[c.id]?.enabled !== false)
    .map(c => {
      const o = overrides[c.id];
      if (!o) return c;
      return {
        ...c,
        kind: overrideKind(c.kind, o.required),
        level: o.level ?? c.level,
        weight: o.weight ?? c.weight,
      };
    });
}

/** Settings of how the work runs, not of what it finds. */
const OPERATIONAL_SETTINGS = [
  'schedule',
  'concurrency',
  'extractionWorkers',
  'shards',
  'scm',
  'historyRetentionDays',
];

/**
 * The `maturity` config that decides results, for the rubric hash: changing
 * how the work is run (schedule, parallelism, shards, the SCM request
 * budget) or how long history is kept must not re-evaluate every entity.
 */
export function resultSettings(config: Config): unknown {
  const all = config.getOptionalConfig('maturity')?.get();
  if (!all || typeof all !== 'object' || Array.isArray(all)) return null;
  return Object.fromEntries(
    Object.entries(all).filter(([key]) => !OPERATIONAL_SETTINGS.includes(key)),
  );
}
