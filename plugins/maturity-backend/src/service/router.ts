import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  MaturityCheckDefinition,
  maturityEntityAttestPermission,
  maturityEntityRefreshPermission,
  matchesSummaryFilter,
  MaturityScmStatus,
  MaturitySummaryRow,
} from '@cnmaturity/plugin-maturity-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { AttestationStore } from '../database/DatabaseAttestationStore';
import { FactStore } from '../database/DatabaseFactStore';
import { retentionStartDay, utcDay } from '../database/days';
import { MaturityStore } from '../database/MaturityStore';
import { parseAttestationBody } from './attestations';
import { csvText, writeCsv } from './csv';
import { parseFactsBody } from './facts';
import {
  buildSummary,
  parseSummaryQuery,
  sortRows,
  SummaryQuery,
} from './summary';
import {
  cachedBody,
  CachedBody,
  ResponseCache,
  sendCached,
} from './responseCache';
import { CatalogVisibility, Visibility } from './visibility';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  store: MaturityStore;
  checks: readonly MaturityCheckDefinition[];
  facts: FactStore;
  attestations: AttestationStore;
  /** Fact types the checks read; any other is refused. */
  factSources: ReadonlySet<string>;
  visibility: CatalogVisibility;
  /** Re-evaluates one entity now; false when the catalog does not have it. */
  refresh: (entityRef: string) => Promise<boolean>;
  /** How reading each SCM host stands; none when not given. */
  scmStatus?: () => Promise<MaturityScmStatus>;
  attestationMaxAgeDays: number;
  historyRetentionDays: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

function entityRefFromParams(params: Record<string, string>): string {
  for (const key of ['kind', 'namespace', 'name']) {
    if (!NAME.test(params[key] ?? '')) {
      throw new InputError(`Invalid entity ${key} "${params[key]}"`);
    }
  }
  // Refs are stored in lower case: the catalog compares them case-insensitively.
  return stringifyEntityRef({
    kind: params.kind,
    namespace: params.namespace,
    name: params.name,
  }).toLocaleLowerCase('en-US');
}

/** `days`, default 90, capped at the history kept. */
function parseDays(raw: unknown, max: number): number {
  const value = raw ?? '90';
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value) || +value < 1) {
    throw new InputError(
      `Invalid query parameter days: a whole number from 1 to ${max}`,
    );
  }
  return Math.min(Number(value), max);
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, catalog, store, permissions } = options;
  // Only the static description of each check; never its code.
  const rubric = {
    checks: options.checks.map(c => ({
      id: c.id,
      title: c.title,
      area: c.area,
      level: c.level,
      kind: c.kind,
      weight: c.weight,
      remediation: c.remediation,
      modelReference: c.modelReference,
      ...(c.rule ? { rule: c.rule } : {}),
      ...(c.appliesTo ? { appliesTo: c.appliesTo } : {}),
      ...(c.attestable ? { attestable: true } : {}),
    })),
  };

  /**
   * The entity ref of the route, if the caller may read the entity in the
   * catalog; the same 404 for "hidden" and "missing" so nothing leaks.
   */
  async function readableEntity(
    req: Request,
    credentials: BackstageCredentials,
  ) {
    const entityRef = entityRefFromParams(req.params);
    // The catalog decides what the caller may see; one field is enough to know.
    const {
      items: [entity],
    } = await catalog.getEntitiesByRefs(
      { entityRefs: [entityRef], fields: ['kind'] },
      { credentials },
    );
    if (!entity)
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    return entityRef;
  }

  async function authorize(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to ${permission.name} ${entityRef}`,
      );
    }
  }

  /** The rows of a summary query the caller may see, unsorted. */
  function visibleRows(
    rows: MaturitySummaryRow[],
    query: SummaryQuery,
    visible: Visibility,
  ) {
    return rows.filter(
      r =>
        (visible === 'all' || visible.has(r.entityRef)) &&
        matchesSummaryFilter(r, query.filter),
    );
  }

  // Dashboards ask the same questions over and over; the answer only
  // changes with the results version or the day.
  const summaries = new ResponseCache<CachedBody>(50);
  // A few CSV exports (about 3 MB each at 10,000 services).
  const exports = new ResponseCache<CachedBody>(4);
  // The Maturity tabs people keep opening (a few kB each).
  const entities = new ResponseCache<CachedBody>(1000);

  /**
   * The entity's stored result as JSON bytes. The version is read before the
   * result, so a body is never older than the version it is kept under.
   */
  async function entityBody(entityRef: string) {
    const version = await store.resultsVersion();
    const key = `${version}|${utcDay(new Date())}|${entityRef}`;
    let cached = entities.get(key);
    if (!cached) {
      const result = await store.getResult(entityRef);
      if (!result) return undefined;
      cached = cachedBody(JSON.stringify(result));
      entities.set(key, cached);
    }
    return cached;
  }

  const router = Router();
  router.use(express.json({ limit: '256kb' }));

  router.get('/entities/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = entityRefFromParams(req.params);
    const [visible, body] = await Promise.all([
      options.visibility.forCaller(credentials),
      entityBody(entityRef),
    ]);
    // A caller who may read every entity needs no catalog round trip; the
    // catalog decides otherwise, and which 404 it is when nothing is stored.
    if (visible !== 'all' || !body) {
      await readableEntity(req, credentials);
    }
    if (!body) {
      throw new NotFoundError(`${entityRef} has not been evaluated yet`);
    }
    sendCached(req, res.type('application/json'), body);
  });

  router.get('/entities/:kind/:namespace/:name/history', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const days = parseDays(req.query.days, options.historyRetentionDays);
    const entityRef = await readableEntity(req, credentials);
    const since = retentionStartDay(days);
    res.json({
      entityRef,
      days,
      history: await store.getHistory(entityRef, since),
    });
  });

  router.post('/entities/:kind/:namespace/:name/refresh', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = await readableEntity(req, credentials);
    await authorize(maturityEntityRefreshPermission, entityRef, credentials);
    if (!(await options.refresh(entityRef))) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    res.json(await store.getResult(entityRef));
  });

  // People attest what no machine can see (training, reviews); who and when
  // are recorded, and the entity is re-evaluated so the owner sees it now.
  router.post(
    '/entities/:kind/:namespace/:name/attestations',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entityRef = await readableEntity(req, credentials);
      await authorize(maturityEntityAttestPermission, entityRef, credentials);
      const now = new Date();
      const parsed = parseAttestationBody(req.body, options.checks, {
        now,
        maxAgeDays: options.attestationMaxAgeDays,
      });
      const attestation = {
        entityRef,
        ...parsed,
        attestedBy: credentials.principal.userEntityRef,
        attestedAt: now.toISOString(),
      };
      await options.attestations.addAttestation(attestation);
      await options.refresh(entityRef);
      res
        .status(201)
        .json({ attestation, result: await store.getResult(entityRef) });
    },
  );

  router.get('/summary', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseSummaryQuery(req.query);
    const today = utcDay(new Date());
    const [visible, { version, rows }] = await Promise.all([
      options.visibility.forCaller(credentials),
      store.summaryRows(today),
    ]);
    const key =
      visible === 'all'
        ? `${version}|${today}|${JSON.stringify(query)}`
        : undefined;
    let cached = key ? summaries.get(key) : undefined;
    if (!cached) {
      cached = cachedBody(
        JSON.stringify(buildSummary(visibleRows(rows, query, visible), query)),
      );
      if (key) summaries.set(key, cached);
    }
    sendCached(req, res.type('application/json'), cached);
  });

  // The org trend: entities per level per day, for the same filters.
  router.get('/trend', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { days: rawDays, ...rest } = req.query;
    for (const key of ['behindTarget', 'overdue', 'q', 'cursor', 'order']) {
      if (key in rest) {
        throw new InputError(
          `Invalid query parameter ${key}: not supported by /trend`,
        );
      }
    }
    const days = parseDays(rawDays, options.historyRetentionDays);
    const { filter } = parseSummaryQuery(rest);
    const visible = await options.visibility.forCaller(credentials);
    res.json({
      days,
      trend: await store.getTrend(filter, retentionStartDay(days), visible),
    });
  });

  router.get('/summary.csv', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const query = parseSummaryQuery(req.query);
    const today = utcDay(new Date());
    const [visible, { version, rows: all }] = await Promise.all([
      options.visibility.forCaller(credentials),
      store.summaryRows(today),
    ]);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="maturity-${today}.csv"`,
    );
    const rows = () => sortRows(visibleRows(all, query, visible), query.order);
    if (visible !== 'all') {
      await writeCsv(res, rows());
      return;
    }
    // Everyone who sees everything gets the same export until results change.
    const key = `${version}|${today}|${JSON.stringify(query)}`;
    let cached = exports.get(key);
    if (cached === undefined) {
      cached = cachedBody(csvText(rows()));
      exports.set(key, cached);
    }
    sendCached(req, res, cached);
  });

  // CI pipelines push facts (scan results, delivery metrics) with a service
  // token; a user token is refused, so nobody can hand-edit the evidence.
  router.post('/facts', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    const facts = parseFactsBody(req.body, options.factSources, new Date());
    const refs = [...new Set(facts.map(f => f.entityRef))];
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: ['kind', 'metadata.name'] },
      { credentials },
    );
    const missing = refs.filter((_, i) => !items[i]);
    if (missing.length) {
      throw new InputError(
        `Invalid fact: entityRef: no entity ${missing.join(
          ', ',
        )} in the catalog`,
      );
    }
    await options.facts.addFacts(
      facts.map(f => ({
        ...f,
        pushedBy: credentials.principal.subject,
      })),
    );
    res.status(201).json({ accepted: facts.length });
  });

  router.get('/scm-status', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json((await options.scmStatus?.()) ?? { hosts: [] });
  });

  router.get('/rubric', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(rubric);
  });

  return router;
}
