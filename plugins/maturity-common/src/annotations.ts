/**
 * Catalog annotations through which owners set targets as code.
 * @public
 */
export const MATURITY_ANNOTATION_PREFIX = 'cloud-native-maturity/';

/** @public */
export const ANNOTATION_TARGET_LEVEL = `${MATURITY_ANNOTATION_PREFIX}target-level`;

/** @public */
export const ANNOTATION_TARGET_DATE = `${MATURITY_ANNOTATION_PREFIX}target-date`;

/** @public */
export const ANNOTATION_EXEMPT_PREFIX = `${MATURITY_ANNOTATION_PREFIX}exempt.`;

/** @public */
export const ANNOTATION_ATTEST_PREFIX = `${MATURITY_ANNOTATION_PREFIX}attest.`;

/**
 * A problem with one annotation, shown to the owner next to it. Parsing never
 * throws; a bad value becomes a message and is otherwise ignored.
 * @public
 */
export interface MaturityAnnotationMessage {
  /** The full annotation key, e.g. `cloud-native-maturity/target-level`. */
  annotation: string;
  /** The value as given, shortened when long. */
  value: string;
  message: string;
}

/** @public */
export interface MaturityExemption {
  reason: string;
  /** `YYYY-MM-DD`; the exemption holds through this day. */
  until?: string;
  expired: boolean;
}

/** @public */
export interface MaturityAnnotationAttestation {
  /** `YYYY-MM-DD` of the attestation. */
  date: string;
  /** The evidence link (http or https). */
  url: string;
  /** Older than the maximum age; it no longer passes. */
  expired: boolean;
  /** Who attested, for attestations made in the portal rather than in an annotation. */
  by?: string;
  /** Last day it holds, for attestations made in the portal. */
  expiresOn?: string;
}

/**
 * The maturity annotations of one entity. `exemptions` and `attestations`
 * are keyed by check id and have no prototype, so any id is a safe key.
 * @public
 */
export interface ParsedMaturityAnnotations {
  targetLevel?: 1 | 2 | 3 | 4 | 5;
  /** `YYYY-MM-DD` */
  targetDate?: string;
  exemptions: Record<string, MaturityExemption>;
  attestations: Record<string, MaturityAnnotationAttestation>;
  messages: MaturityAnnotationMessage[];
}

/** @public */
export interface ParseMaturityAnnotationsOptions {
  /** Evaluation time; "today" is its UTC date. */
  now: Date;
  /** Age in days after which an attestation expires. Default 365. */
  attestationMaxAgeDays?: number;
  /** When given, exemptions and attestations for other ids are reported and ignored. */
  knownCheckIds?: ReadonlySet<string>;
}

const DEFAULT_ATTESTATION_MAX_AGE_DAYS = 365;
const DAY_MS = 86_400_000;
/** Long values are cut in messages so a hostile value cannot bloat stored results. */
const MAX_MESSAGE_VALUE_LENGTH = 200;

const LEVEL_NAMES: ReadonlyMap<string, 1 | 2 | 3 | 4 | 5> = new Map([
  ['1', 1],
  ['2', 2],
  ['3', 3],
  ['4', 4],
  ['5', 5],
  ['build', 1],
  ['operate', 2],
  ['scale', 3],
  ['improve', 4],
  ['adapt', 5],
  // The name of level 5 before model v3.
  ['optimize', 5],
]);

const ALLOWED_LEVELS =
  '1-5 or build, operate, scale, improve, adapt (optimize also means 5)';

/**
 * Reads a target level: `1`-`5` or a level name, case-insensitive, with
 * surrounding whitespace ignored. `optimize` (the pre-v3 name) means 5.
 * @public
 */
export function parseTargetLevel(value: string): 1 | 2 | 3 | 4 | 5 | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  // Longer than any name: skip lower-casing a huge string.
  if (trimmed.length > 10) return undefined;
  return LEVEL_NAMES.get(trimmed.toLowerCase());
}

/**
 * A real calendar date `YYYY-MM-DD` as a UTC day number, else undefined.
 * The length check first keeps the regex on ten characters at most.
 */
function parseIsoDay(value: string): number | undefined {
  if (value.length !== 10 || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return undefined;
  }
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // Day 31 of a 30-day month rolls over into the next month.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return Math.floor(date.getTime() / DAY_MS);
}

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

/** Index of the last whitespace character, scanning from the end, or -1. */
function lastSpaceIndex(s: string): number {
  for (let i = s.length - 1; i >= 0; i--) {
    if (isSpace(s[i])) return i;
  }
  return -1;
}

/** Index of the first whitespace character, or -1. */
function firstSpaceIndex(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (isSpace(s[i])) return i;
  }
  return -1;
}

/** A short, never-throwing rendering of any annotation value for messages. */
function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === null) text = 'null';
  else if (Array.isArray(value)) text = '[array]';
  else if (typeof value === 'object') text = '[object]';
  else if (typeof value === 'function') text = '[function]';
  else text = String(value);
  return text.length > MAX_MESSAGE_VALUE_LENGTH
    ? `${text.slice(0, MAX_MESSAGE_VALUE_LENGTH)}…`
    : text;
}

type Exemption = MaturityExemption;
type Attestation = MaturityAnnotationAttestation;

/**
 * Reads the `cloud-native-maturity/*` annotations of an entity: target level
 * and date, exemptions (`exempt.<check-id>: "<reason> [until YYYY-MM-DD]"`)
 * and attestations (`attest.<check-id>: "<YYYY-MM-DD> <http(s) URL>"`).
 * Never throws: every invalid value yields a message naming the annotation,
 * and is otherwise ignored. Annotations without the prefix are ignored.
 * Runs in time linear in the size of the values.
 * @public
 */
export function parseMaturityAnnotations(
  annotations: Record<string, unknown> | undefined,
  options: ParseMaturityAnnotationsOptions,
): ParsedMaturityAnnotations {
  // Null prototypes: a check id such as `__proto__` is an ordinary key.
  const exemptions: Record<string, Exemption> = Object.create(null);
  const attestations: Record<string, Attestation> = Object.create(null);
  const messages: MaturityAnnotationMessage[] = [];
  const result: ParsedMaturityAnnotations = {
    exemptions,
    attestations,
    messages,
  };
  if (!annotations || typeof annotations !== 'object') return result;

  const today = Math.floor(options.now.getTime() / DAY_MS);
  const maxAge =
    typeof options.attestationMaxAgeDays === 'number' &&
    options.attestationMaxAgeDays >= 0
      ? options.attestationMaxAgeDays
      : DEFAULT_ATTESTATION_MAX_AGE_DAYS;

  const report = (annotation: string, value: unknown, message: string) => {
    messages.push({ annotation, value: describeValue(value), message });
  };

  /** The check id of an exempt./attest. key, or undefined after a message. */
  const checkIdOf = (key: string, prefix: string, value: unknown) => {
    const id = key.slice(prefix.length);
    if (id.length === 0) {
      report(key, value, `${key} names no check; use ${prefix}<check-id>.`);
      return undefined;
    }
    if (options.knownCheckIds && !options.knownCheckIds.has(id)) {
      report(
        key,
        value,
        `${key}: unknown check id "${describeValue(id)}"; it is ignored.`,
      );
      return undefined;
    }
    return id;
  };

  for (const key of Object.keys(annotations)) {
    if (!key.startsWith(MATURITY_ANNOTATION_PREFIX)) continue;
    const value = annotations[key];

    if (
      key !== ANNOTATION_TARGET_LEVEL &&
      key !== ANNOTATION_TARGET_DATE &&
      !key.startsWith(ANNOTATION_EXEMPT_PREFIX) &&
      !key.startsWith(ANNOTATION_ATTEST_PREFIX)
    ) {
      // A typo would otherwise silently drop a target or exemption.
      report(
        key,
        value,
        `${key} is not a maturity annotation; known are ${ANNOTATION_TARGET_LEVEL}, ${ANNOTATION_TARGET_DATE}, ${ANNOTATION_EXEMPT_PREFIX}<check-id> and ${ANNOTATION_ATTEST_PREFIX}<check-id>.`,
      );
      continue;
    }
    if (typeof value !== 'string') {
      report(key, value, `${key} must be a string; quote the value in YAML.`);
      continue;
    }

    if (key === ANNOTATION_TARGET_LEVEL) {
      const level = parseTargetLevel(value);
      if (level === undefined) {
        report(key, value, `${key} must be ${ALLOWED_LEVELS}.`);
      } else {
        result.targetLevel = level;
      }
    } else if (key === ANNOTATION_TARGET_DATE) {
      const trimmed = value.trim();
      if (parseIsoDay(trimmed) === undefined) {
        report(key, value, `${key} must be a calendar date YYYY-MM-DD.`);
      } else {
        result.targetDate = trimmed;
      }
    } else if (key.startsWith(ANNOTATION_EXEMPT_PREFIX)) {
      const id = checkIdOf(key, ANNOTATION_EXEMPT_PREFIX, value);
      if (id === undefined) continue;
      const parsed = parseExemption(value, today);
      if (typeof parsed === 'string') report(key, value, `${key} ${parsed}`);
      else exemptions[id] = parsed;
    } else {
      const id = checkIdOf(key, ANNOTATION_ATTEST_PREFIX, value);
      if (id === undefined) continue;
      const parsed = parseAttestation(value, today, maxAge);
      if (typeof parsed === 'string') report(key, value, `${key} ${parsed}`);
      else attestations[id] = parsed;
    }
  }
  return result;
}

/** `<reason> [until YYYY-MM-DD]`; a string return is the problem. */
function parseExemption(value: string, today: number): Exemption | string {
  const text = value.trim();
  // The optional suffix is the last two words; find them by scanning back
  // instead of a regex, so long or repetitive values stay linear.
  const lastSpace = lastSpaceIndex(text);
  const lastWord = text.slice(lastSpace + 1);
  if (lastWord.toLowerCase() === 'until') {
    return 'ends with "until" but no date; use "<reason> until YYYY-MM-DD".';
  }
  let reason = text;
  let until: string | undefined;
  if (lastSpace >= 0) {
    const head = text.slice(0, lastSpace).trimEnd();
    const beforeDate = lastSpaceIndex(head);
    if (head.slice(beforeDate + 1).toLowerCase() === 'until') {
      if (parseIsoDay(lastWord) === undefined) {
        return `has an invalid until date "${describeValue(
          lastWord,
        )}"; use YYYY-MM-DD. The exemption is ignored.`;
      }
      until = lastWord;
      reason = head.slice(0, beforeDate + 1).trim();
    }
  }
  if (reason.length === 0) {
    return 'needs a reason, e.g. "Scanned centrally by the platform pipeline (PLAT-123) until 2027-01-31". The exemption is ignored.';
  }
  if (until === undefined) return { reason, expired: false };
  // Valid through the until day itself.
  return { reason, until, expired: parseIsoDay(until)! < today };
}

/** `<YYYY-MM-DD> <http(s) URL>`; a string return is the problem. */
function parseAttestation(
  value: string,
  today: number,
  maxAge: number,
): Attestation | string {
  const format =
    'must be "<YYYY-MM-DD> <evidence URL>", e.g. "2026-10-01 https://wiki.example.com/training". The attestation is ignored.';
  const text = value.trim();
  const space = firstSpaceIndex(text);
  if (space < 0) return format;
  const date = text.slice(0, space);
  const url = text.slice(space + 1).trim();
  const day = parseIsoDay(date);
  if (day === undefined) return format;
  if (day > today) {
    return `is dated in the future (${date}). The attestation is ignored.`;
  }
  if (url.length === 0 || firstSpaceIndex(url) >= 0 || !isHttpUrl(url)) {
    return `needs an http(s) evidence URL after the date. The attestation is ignored.`;
  }
  // Exactly maxAge days old still passes.
  return { date, url, expired: today - day > maxAge };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.hostname.length > 0
    );
  } catch {
    return false;
  }
}
