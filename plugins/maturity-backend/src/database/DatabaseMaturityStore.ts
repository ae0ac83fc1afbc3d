import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  CheckResult,
  countStatuses,
  EntityMaturityResult,
  MATURITY_AREAS,
  MaturityArea,
  MaturityHistoryPoint,
  MaturityLevelNumber,
  matchesSummaryFilter,
  MaturitySummaryRow,
  MaturityTrendPoint,
} from '@cnmaturity/plugin-maturity-common';
import { Knex } from 'knex';
import { migrateLatest } from './migrate';
import { dayNumber, dayString, utcDay } from './days';
import { DeflateDictionaries } from './DeflateDictionaries';
import {
  Deflate,
  deflateOnThreadPool,
  packJson,
  unpackJson,
} from './packedJson';
import {
  MaturityStore,
  ResultDetails,
  StoredResultRecord,
  StoredSummaryFilter,
} from './MaturityStore';

const AREA_IDS = MATURITY_AREAS.map(a => a.id);

function areaColumns(areaLevels: ResultDetails['areaLevels']) {
  const out: Record<string, number | null> = {};
  for (const area of AREA_IDS)
    out[`level_${area}`] = areaLevels?.[area] ?? null;
  return out;
}

function areaLevelsOf(
  row: Record<string, unknown>,
): Record<MaturityArea, MaturityLevelNumber> | undefined {
  if (row.level_people === null || row.level_people === undefined) {
    return undefined;
  }
  return Object.fromEntries(
    AREA_IDS.map(area => [area, Number(row[`level_${area}`] ?? 0)]),
  ) as Record<MaturityArea, MaturityLevelNumber>;
}

/** The columns of a summary row: everything but the checks. */
const SUMMARY_COLUMNS = [
  'entity_ref',
  'kind',
  'namespace',
  'name',
  'title',
  'owner',
  'system',
  'domain',
  'type',
  'lifecycle',
  'level',
  ...AREA_IDS.map(a => `level_${a}`),
  'target_level',
  'target_date',
  'passed',
  'failed',
  'unknown',
  'score',
  'evaluated_at',
  'stale',
];

const FILTER_COLUMNS = {
  owner: 'owner',
  system: 'system',
  domain: 'domain',
  kind: 'kind',
  type: 'type',
  lifecycle: 'lifecycle',
  level: 'level',
} as const;

/**
 * A row of `maturity_results` joined with its `maturity_result_checks`, as
 * the drivers return it.
 */
export interface RawResultRow {
  entity_ref: string;
  kind: string;
  namespace: string;
  name: string;
  owner: string | null;
  system: string | null;
  domain: string | null;
  type: string | null;
  lifecycle: string | null;
  title: string | null;
  level: number;
  level_people: number | null;
  level_process: number | null;
  level_policy: number | null;
  level_technology: number | null;
  level_business: number | null;
  inputs_hash: string | null;
  target_level: number | null;
  target_date: string | null;
  passed: number;
  failed: number;
  unknown: number;
  // SQLite gives a number, PostgreSQL and MySQL a Date.
  evaluated_at: Date | string | number;
  // SQLite and MySQL give 0/1.
  stale: boolean | number;
  stale_reason: string | null;
  checks: string;
  score: number;
  details: string | null;
}

/** Knex-backed store on SQLite, PostgreSQL or MySQL. */
export class DatabaseMaturityStore implements MaturityStore {
  static async create(options: {
    database: DatabaseService;
    /** Where packed JSON is deflated; by default libuv's thread pool. */
    deflate?: Deflate;
    /**
     * How long a read of the results version is used again, so other
     * instances' writes show up that much later; this instance's own writes
     * show up at once. Default 0: read on every request.
     */
    versionMaxAgeMs?: number;
  }): Promise<DatabaseMaturityStore> {
    const client = await options.database.getClient();
    await migrateLatest(client, options.database);
    return new DatabaseMaturityStore(
      client,
      options.deflate,
      options.versionMaxAgeMs,
    );
  }

  /**
   * Every summary row as of one results version and day: the summary and
   * the CSV filter it in memory instead of reading 10,000 rows per request.
   */
  private summaryCache?: {
    version: number;
    today: string;
    rows: Promise<MaturitySummaryRow[]>;
  };

  private readonly dictionaries: DeflateDictionaries;

  private constructor(
    private readonly db: Knex,
    private readonly deflate: Deflate = deflateOnThreadPool,
    private readonly versionMaxAgeMs = 0,
  ) {
    this.dictionaries = new DeflateDictionaries(db);
  }

  /** The last read of the results version, when it started, and whether it answered. */
  private version?: { read: Promise<number>; at: number; settled: boolean };

  /**
   * Bumped in every write transaction; any instance sees the change.
   * Requests that arrive while a read is under way share it, and with
   * `versionMaxAgeMs` later ones reuse it for that long: under load the
   * summary and entity routes asked the database once per request, and the
   * garbage of each query pushed the backend's heap (and RSS) up between
   * major collections.
   */
  resultsVersion(): Promise<number> {
    const kept = this.version;
    if (
      kept &&
      (!kept.settled || Date.now() - kept.at <= this.versionMaxAgeMs)
    ) {
      return kept.read;
    }
    const read = this.db('maturity_state')
      .where({ key: 'results_version' })
      .first('value')
      .then(row => Number(row?.value ?? 0));
    const version = { read, at: Date.now(), settled: false };
    this.version = version;
    const forget = () => {
      // Kept while in flight only, unless reuse is on; a failure never.
      if (this.version === version) this.version = undefined;
    };
    read.then(() => {
      version.settled = true;
      if (this.versionMaxAgeMs <= 0) forget();
    }, forget);
    return read;
  }

  /** After this instance's own write: the next request reads the new version. */
  private forgetVersion() {
    this.version = undefined;
  }

  async upsertResults(records: StoredResultRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map(r => {
      const counts = countStatuses(r.checks);
      return {
        entity_ref: r.entityRef,
        kind: r.kind,
        namespace: r.namespace,
        name: r.name,
        title: r.title?.slice(0, 255) ?? null,
        owner: r.owner ?? null,
        system: r.system ?? null,
        domain: r.domain ?? null,
        type: r.type ?? null,
        lifecycle: r.lifecycle ?? null,
        level: r.level,
        ...areaColumns(r.details?.areaLevels),
        inputs_hash: r.inputsHash ?? null,
        target_level: r.targetLevel ?? null,
        target_date: r.targetDate ?? null,
        passed: counts.pass,
        failed: counts.fail,
        unknown: counts.unknown,
        evaluated_at: r.evaluatedAt,
        stale: Boolean(r.staleReason),
        stale_reason: r.staleReason ?? null,
        score: r.details?.scorePercent ?? 0,
      };
    });
    // The large JSON lives in its own table, so summary scans stay small.
    const dictionary = await this.dictionaries.forWriting('checks', () =>
      records.map(r => JSON.stringify(r.checks)),
    );
    const checks = await Promise.all(
      records.map(async r => ({
        entity_ref: r.entityRef,
        checks: await packJson(r.checks, dictionary, this.deflate),
        details: r.details ? JSON.stringify(r.details) : null,
      })),
    );
    await this.db.transaction(async tx => {
      const ids = await entityIds(
        tx,
        records.map(r => r.entityRef),
      );
      // One row per entity per day; the day's latest evaluation wins.
      const history = records.map(r => ({
        entity_id: ids.get(r.entityRef),
        day: dayNumber(utcDay(r.evaluatedAt)),
        level: r.level,
        ...areaColumns(r.details?.areaLevels),
        score: r.details?.scorePercent ?? 0,
      }));
      const sources = records.flatMap(r =>
        r.source
          ? [
              {
                entity_ref: r.entityRef,
                repository: r.source.repository.slice(0, 255),
                url: r.source.url,
              },
            ]
          : [],
      );
      const unsourced = records.filter(r => !r.source).map(r => r.entityRef);
      // Chunks keep each statement under every engine's bind-parameter limit.
      for (let i = 0; i < rows.length; i += 50) {
        await tx('maturity_results')
          .insert(rows.slice(i, i + 50))
          .onConflict(['entity_ref'])
          .merge();
        await tx('maturity_result_checks')
          .insert(checks.slice(i, i + 50))
          .onConflict(['entity_ref'])
          .merge();
        await tx('maturity_history')
          .insert(history.slice(i, i + 50))
          .onConflict(['entity_id', 'day'])
          .merge();
      }
      for (let i = 0; i < sources.length; i += 100) {
        await tx('maturity_sources')
          .insert(sources.slice(i, i + 100))
          .onConflict(['entity_ref'])
          .merge();
      }
      for (let i = 0; i < unsourced.length; i += 500) {
        await tx('maturity_sources')
          .whereIn('entity_ref', unsourced.slice(i, i + 500))
          .delete();
      }
      await bumpVersion(tx);
    });
    this.forgetVersion();
  }

  async entitiesOfRepository(
    repository: string,
  ): Promise<Array<{ entityRef: string; url: string }>> {
    const rows: Array<{ entity_ref: string; url: string }> = await this.db(
      'maturity_sources',
    )
      .select('entity_ref', 'url')
      .where('repository', repository.toLocaleLowerCase('en-US'));
    return rows.map(r => ({ entityRef: r.entity_ref, url: r.url }));
  }

  async getInputHashes(
    entityRefs: string[],
  ): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.db<RawResultRow>('maturity_results')
        .select('entity_ref', 'inputs_hash')
        .whereIn('entity_ref', entityRefs.slice(i, i + 500));
      for (const row of rows) out.set(row.entity_ref, row.inputs_hash);
    }
    return out;
  }

  async markStale(entityRefs: string[], reason: string): Promise<void> {
    await this.db.transaction(async tx => {
      for (let i = 0; i < entityRefs.length; i += 500) {
        await tx('maturity_results')
          .whereIn('entity_ref', entityRefs.slice(i, i + 500))
          .update({
            stale: true,
            stale_reason: reason.slice(0, 4000),
            inputs_hash: null,
          });
      }
      await bumpVersion(tx);
    });
    this.forgetVersion();
  }

  async summaryRows(
    today: string,
  ): Promise<{ version: number; rows: MaturitySummaryRow[] }> {
    const version = await this.resultsVersion();
    const cached = this.summaryCache;
    if (!cached || cached.version !== version || cached.today !== today) {
      // One read however many requests arrive at once; a failed read is
      // not kept.
      const rows = this.db('maturity_results')
        .select(SUMMARY_COLUMNS)
        .then(raw => raw.map(row => toSummaryRow(row, today)));
      this.summaryCache = { version, today, rows };
      rows.catch(() => {
        if (this.summaryCache?.rows === rows) this.summaryCache = undefined;
      });
    }
    return { version, rows: await this.summaryCache!.rows };
  }

  async listSummaryRows(
    filter: StoredSummaryFilter,
    today: string,
  ): Promise<MaturitySummaryRow[]> {
    const { rows } = await this.summaryRows(today);
    return rows.filter(row => matchesSummaryFilter(row, filter));
  }

  async getHistory(
    entityRef: string,
    sinceDay: string,
  ): Promise<MaturityHistoryPoint[]> {
    const rows: Array<Record<string, any>> = await this.db('maturity_history')
      .join(
        'maturity_entities',
        'maturity_entities.id',
        'maturity_history.entity_id',
      )
      .select('maturity_history.*')
      .where('maturity_entities.entity_ref', entityRef)
      .where('maturity_history.day', '>=', dayNumber(sinceDay))
      .orderBy('maturity_history.day', 'asc');
    return rows.map(row => {
      const areaLevels = areaLevelsOf(row);
      return {
        day: dayString(Number(row.day)),
        level: Number(row.level) as MaturityLevelNumber,
        ...(areaLevels ? { areaLevels } : {}),
        scorePercent: Number(row.score),
      };
    });
  }

  async getTrend(
    filter: StoredSummaryFilter,
    sinceDay: string,
    visible: 'all' | ReadonlySet<string>,
  ): Promise<MaturityTrendPoint[]> {
    const query = (refs?: string[]) => {
      let q = this.db('maturity_history as h')
        .join('maturity_entities as e', 'e.id', 'h.entity_id')
        .join('maturity_results as r', 'r.entity_ref', 'e.entity_ref')
        .where('h.day', '>=', dayNumber(sinceDay));
      for (const [key, column] of Object.entries(FILTER_COLUMNS)) {
        const values = filter[key as keyof typeof FILTER_COLUMNS];
        if (values?.length) q = q.whereIn(`r.${column}`, values);
      }
      if (filter.stale !== undefined) q = q.where('r.stale', filter.stale);
      if (refs) q = q.whereIn('e.entity_ref', refs);
      return q
        .select('h.day', 'h.level')
        .count('* as n')
        .groupBy('h.day', 'h.level');
    };
    // A conditional read policy gives a list of refs; each chunk counts its
    // own entities, so the sums over chunks are exact.
    const chunks: Array<Array<Record<string, any>>> = [];
    if (visible === 'all') {
      chunks.push(await query());
    } else {
      const refs = [...visible];
      for (let i = 0; i < refs.length; i += 500) {
        chunks.push(await query(refs.slice(i, i + 500)));
      }
    }
    const byDay = new Map<number, number[]>();
    for (const row of chunks.flat()) {
      const day = Number(row.day);
      const levels = byDay.get(day) ?? [0, 0, 0, 0, 0, 0];
      levels[Number(row.level)] += Number(row.n);
      byDay.set(day, levels);
    }
    return [...byDay.entries()]
      .sort(([a], [b]) => a - b)
      .map(([dayNo, levels]) => {
        const day = dayString(dayNo);
        const entities = levels.reduce((a, b) => a + b, 0);
        const sum = levels.reduce((acc, n, level) => acc + n * level, 0);
        return {
          day,
          entities,
          levels,
          averageLevel: entities ? Math.round((sum / entities) * 100) / 100 : 0,
        };
      });
  }

  async pruneHistory(beforeDay: string): Promise<number> {
    return this.db('maturity_history')
      .where('day', '<', dayNumber(beforeDay))
      .delete();
  }

  async getResult(
    entityRef: string,
  ): Promise<EntityMaturityResult | undefined> {
    const row: RawResultRow | undefined = await this.db('maturity_results')
      .join(
        'maturity_result_checks',
        'maturity_result_checks.entity_ref',
        'maturity_results.entity_ref',
      )
      .select(
        'maturity_results.*',
        'maturity_result_checks.checks',
        'maturity_result_checks.details',
      )
      .where('maturity_results.entity_ref', entityRef)
      .first();
    if (!row) return undefined;
    await this.dictionaries.load([row.checks]);
    return toResult(row, this.dictionaries.lookup);
  }
}

async function bumpVersion(tx: Knex) {
  await tx('maturity_state')
    .where({ key: 'results_version' })
    .increment('value', 1);
}

/**
 * The history id of each entity ref, creating the missing ones; inside the
 * caller's transaction, so a failed batch leaves no ids behind either.
 */
async function entityIds(
  tx: Knex,
  refs: string[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const read = async () => {
    for (let i = 0; i < refs.length; i += 500) {
      const rows = await tx('maturity_entities')
        .select('id', 'entity_ref')
        .whereIn('entity_ref', refs.slice(i, i + 500));
      for (const row of rows) ids.set(row.entity_ref, Number(row.id));
    }
  };
  await read();
  const missing = refs.filter(ref => !ids.has(ref));
  if (missing.length) {
    for (let i = 0; i < missing.length; i += 100) {
      await tx('maturity_entities')
        .insert(missing.slice(i, i + 100).map(entity_ref => ({ entity_ref })))
        .onConflict(['entity_ref'])
        .ignore();
    }
    await read();
  }
  return ids;
}

/**
 * A stored row as a summary row; behind and overdue are as of `today`.
 * Built by assignment rather than spreads: it runs for every row of every
 * summary request.
 */
function toSummaryRow(
  row: Record<string, any>,
  today: string,
): MaturitySummaryRow {
  const level = Number(row.level) as MaturityLevelNumber;
  const targetLevel =
    row.target_level === null ? undefined : Number(row.target_level);
  const gap = targetLevel === undefined ? 0 : Math.max(0, targetLevel - level);
  const out: MaturitySummaryRow = {
    entityRef: row.entity_ref,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    level,
    scorePercent: Number(row.score),
    gap,
    behindTarget: gap > 0,
    overdue: gap > 0 && row.target_date !== null && row.target_date < today,
    passed: Number(row.passed),
    failed: Number(row.failed),
    unknown: Number(row.unknown),
    evaluatedAt: new Date(row.evaluated_at).toISOString(),
    stale: Boolean(row.stale),
  };
  if (row.title !== null) out.title = row.title;
  if (row.owner !== null) out.owner = row.owner;
  if (row.system !== null) out.system = row.system;
  if (row.domain !== null) out.domain = row.domain;
  if (row.type !== null) out.type = row.type;
  if (row.lifecycle !== null) out.lifecycle = row.lifecycle;
  if (targetLevel !== undefined) out.targetLevel = targetLevel;
  if (row.target_date !== null) out.targetDate = row.target_date;
  if (row.level_people !== null) out.areaLevels = areaLevelsOf(row);
  return out;
}

function toResult(
  row: RawResultRow,
  dictionary: (id: string) => Buffer | undefined,
): EntityMaturityResult {
  const checks: CheckResult[] = unpackJson(row.checks, dictionary);
  const details: ResultDetails = row.details ? JSON.parse(row.details) : {};
  return {
    entityRef: row.entity_ref,
    evaluatedAt: new Date(row.evaluated_at).toISOString(),
    stale: Boolean(row.stale),
    ...(row.stale_reason ? { staleReason: row.stale_reason } : {}),
    level: row.level as MaturityLevelNumber,
    ...details,
    counts: countStatuses(checks),
    checks,
  };
}
