/*
 * Benchmark: a full evaluation cycle, an unchanged second cycle, a cycle
 * after a rubric change (every entity again, from cached extractions), and the
 * latency of the summary and entity routes, on a real database.
 *
 *   yarn bench:cycle [--entities 1000,10000] [--runs 3] [--engine sqlite|pg]
 *                    [--history-days 90] [--keep .data/scale/maturity.sqlite]
 *                    [--workers 1]
 *
 * Each synthetic service is a copy of a demo component with its own
 * repository URL, served from memory with an etag the way an SCM would (a
 * matching etag is a NotModifiedError, no download). Groups and systems are
 * spread over the services. The catalog is an in-memory CatalogService with
 * cursor paging; the evaluator, collector, stores, migrations and router are
 * the plugin's own. Reports medians with min and max over the runs.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotModifiedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import knexFactory, { Knex } from 'knex';
import { builtinChecks } from '@cnmaturity/plugin-maturity-rules';
import { RepositoryCollector } from '../src/collectors/RepositoryCollector';
import { ExtractionPool } from '../src/collectors/ExtractionPool';
import { defaultExtractionWorkers } from '../src/config';
import { evaluationSetup } from '../src/engine/evaluationSetup';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { DatabaseAttestationStore } from '../src/database/DatabaseAttestationStore';
import { DatabaseFactStore } from '../src/database/DatabaseFactStore';
import { DatabaseMaturityStore } from '../src/database/DatabaseMaturityStore';
import { DatabaseRepoCache } from '../src/database/DatabaseRepoCache';
import { MaturityEvaluator } from '../src/engine/MaturityEvaluator';
import { createRouter } from '../src/service/router';
import { CatalogVisibility } from '../src/service/visibility';
import { BUILTIN_FACT_SOURCES } from '../src/service/facts';
import {
  EXAMPLES_DIR,
  loadExampleCatalog,
} from '../src/__testUtils__/examples';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const sizes = arg('entities', '1000,10000').split(',').map(Number);
const runs = Number(arg('runs', '3'));
const engine = arg('engine', 'sqlite');
/** Days of history to simulate before measuring the database size. */
const historyDays = Number(arg('history-days', '0'));
/** Keep the SQLite file of the last run here (e.g. to serve it in the portal). */
const keep = arg('keep', '');
/** Extraction workers, which also evaluate entities; 0: all on the event loop. */
const workers = Number(arg('workers', String(defaultExtractionWorkers())));

const lowerRef = (e: Entity) =>
  stringifyEntityRef(e).toLocaleLowerCase('en-US');
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)],
    min: s[0],
    max: s[s.length - 1],
  };
};
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

function walk(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(d => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return walk(p, base);
    return [path.relative(base, p).split(path.sep).join('/')];
  });
}

/** The demo repositories, in memory: name -> path -> content. */
const templates = new Map<string, Record<string, Buffer>>();
for (const name of fs.readdirSync(path.join(EXAMPLES_DIR, 'repos'))) {
  const dir = path.join(EXAMPLES_DIR, 'repos', name);
  templates.set(
    name,
    Object.fromEntries(
      walk(dir).map(p => [p, fs.readFileSync(path.join(dir, p))]),
    ),
  );
}

/** N services copied from the demo components, with groups and systems. */
function syntheticCatalog(n: number): Entity[] {
  const demo = [...loadExampleCatalog().values()];
  const components = demo.filter(
    e =>
      e.kind === 'Component' &&
      e.metadata.annotations?.['backstage.io/source-location'],
  );
  const groups = Math.max(1, Math.round(n / 50));
  const systems = Math.max(1, Math.round(n / 20));
  const out: Entity[] = [];
  for (let g = 0; g < groups; g++) {
    out.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${g}`, namespace: 'default' },
      spec: { type: 'team', children: [] },
      relations: [
        { type: 'hasMember', targetRef: `user:default/u${g}a` },
        { type: 'hasMember', targetRef: `user:default/u${g}b` },
      ],
    });
  }
  for (let s = 0; s < systems; s++) {
    out.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: `system-${s}`, namespace: 'default' },
      spec: { owner: `team-${s % groups}` },
    });
  }
  for (let i = 0; i < n; i++) {
    const base = components[i % components.length];
    const repo = base.metadata
      .annotations!['backstage.io/source-location'].replace(/\/$/, '')
      .split('/')
      .pop()!;
    const name = `${base.metadata.name}-${i}`;
    out.push({
      ...base,
      metadata: {
        ...base.metadata,
        name,
        etag: `e${i}`,
        annotations: {
          ...base.metadata.annotations,
          'backstage.io/source-location': `url:https://scm.bench/${repo}/${name}/`,
        },
      },
      spec: {
        ...base.spec,
        owner: `team-${i % groups}`,
        system: `system-${i % systems}`,
      },
    });
  }
  return out;
}

/** A CatalogService over an array: Map lookups and offset cursors. */
function memoryCatalog(entities: Entity[]): CatalogService {
  const byRef = new Map(entities.map(e => [lowerRef(e), e]));
  // The entities of some kinds, filtered once: filtering the whole catalog
  // for every page made paging quadratic (seconds at 100,000 services, none
  // of it the plugin's), where a real catalog pages an index.
  const ofKinds = new Map<string, Entity[]>();
  const matchingKinds = (kinds: string[]) => {
    const key = kinds.map(k => k.toLowerCase()).join('\n');
    let found = ofKinds.get(key);
    if (!found) {
      found = entities.filter(e =>
        kinds.some(k => k.toLowerCase() === e.kind.toLowerCase()),
      );
      ofKinds.set(key, found);
    }
    return found;
  };
  const api: Partial<CatalogService> = {
    async getEntityByRef(ref) {
      return byRef.get(String(ref).toLocaleLowerCase('en-US'));
    },
    async getEntitiesByRefs(request) {
      return {
        items: request.entityRefs.map(r =>
          byRef.get(r.toLocaleLowerCase('en-US')),
        ),
      };
    },
    async queryEntities(request: any) {
      const kinds = (
        request.cursor
          ? JSON.parse(request.cursor).kinds
          : [request.filter.kind].flat()
      ) as string[];
      const offset = request.cursor ? JSON.parse(request.cursor).offset : 0;
      const matching = matchingKinds(kinds);
      const items = matching.slice(offset, offset + request.limit);
      const next = offset + items.length;
      return {
        items,
        totalItems: matching.length,
        pageInfo:
          next < matching.length
            ? { nextCursor: JSON.stringify({ kinds, offset: next }) }
            : {},
      };
    },
  };
  return api as CatalogService;
}

/** An SCM in memory: etag 'v1' per repository; counts downloads. */
function memoryScm() {
  const counts = { downloads: 0, notModified: 0 };
  const reader: UrlReaderService = {
    readUrl: async () => {
      throw new Error('not used');
    },
    search: async () => {
      throw new Error('not used');
    },
    readTree: async (url, options) => {
      if (options?.etag === 'v1') {
        counts.notModified++;
        throw new NotModifiedError();
      }
      counts.downloads++;
      const template = url.split('/')[3];
      const files = Object.entries(templates.get(template) ?? {}).filter(
        ([p, c]) => !options?.filter || options.filter(p, { size: c.length }),
      );
      return {
        etag: 'v1',
        files: async () =>
          files.map(([p, c]) => ({ path: p, content: async () => c })),
        archive: async () => {
          throw new Error('not used');
        },
        dir: async () => {
          throw new Error('not used');
        },
      };
    },
  };
  return { reader, counts };
}

async function openDatabase(run: string): Promise<{
  knex: Knex;
  sizeBytes: () => Promise<number>;
  close: () => Promise<void>;
}> {
  if (engine === 'pg') {
    const admin = knexFactory({
      client: 'pg',
      connection: 'postgresql://postgres@127.0.0.1:5432/postgres',
    });
    const name = `maturity_bench_${run}`;
    await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
    await admin.raw(`CREATE DATABASE ${name}`);
    const knex = knexFactory({
      client: 'pg',
      connection: `postgresql://postgres@127.0.0.1:5432/${name}`,
    });
    return {
      knex,
      sizeBytes: async () =>
        Number(
          (await knex.raw(`SELECT pg_database_size('${name}') AS s`)).rows[0].s,
        ),
      close: async () => {
        await knex.destroy();
        await admin.raw(`DROP DATABASE IF EXISTS ${name}`);
        await admin.destroy();
      },
    };
  }
  const file =
    keep && run === `${sizes[sizes.length - 1]}_${runs - 1}`
      ? path.resolve(keep)
      : path.join(os.tmpdir(), `maturity-bench-${run}.sqlite`);
  fs.rmSync(file, { force: true });
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  return {
    knex,
    sizeBytes: async () => fs.statSync(file).size,
    close: async () => {
      await knex.destroy();
      if (file !== path.resolve(keep)) fs.rmSync(file, { force: true });
    },
  };
}

const allow = {
  authorize: async (requests: any[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  authorizeConditional: async (requests: any[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })),
} as any;

async function latencies(
  port: number,
  paths: string[],
  requests: number,
): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const header = mockCredentials.user.header();
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const p = paths[i % paths.length];
    const t = performance.now();
    await new Promise<void>((resolve, reject) => {
      http
        .get(
          { port, path: p, agent, headers: { authorization: header } },
          res => {
            if (res.statusCode !== 200) {
              reject(new Error(`${p}: ${res.statusCode}`));
            }
            res.resume();
            res.on('end', () => resolve());
          },
        )
        .on('error', reject);
    });
    times.push(performance.now() - t);
  }
  agent.destroy();
  return times;
}

/**
 * Days of history before today, as the daily cycles would have written
 * them: today's rows copied back day by day, the level one lower in the
 * older half, so the trend has a shape.
 */
async function simulateHistory(knex: Knex, days: number) {
  const today = await knex('maturity_history').select();
  for (let d = 1; d < days; d++) {
    const day = new Date(Date.now() - d * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const rows = today.map(r => ({
      ...r,
      day,
      level: d > days / 2 ? Math.max(0, r.level - 1) : r.level,
    }));
    for (let i = 0; i < rows.length; i += 100) {
      await knex('maturity_history').insert(rows.slice(i, i + 100));
    }
  }
  if (knex.client.config.client === 'better-sqlite3') await knex.raw('VACUUM');
}

async function benchmark(n: number, run: number) {
  const entities = syntheticCatalog(n);
  const catalog = memoryCatalog(entities);
  const scm = memoryScm();
  const db = await openDatabase(`${n}_${run}`);
  const database = mockServices.database({ knex: db.knex });
  const logger = mockServices.rootLogger({ level: 'error' });
  // As the plugin runs: extraction, deflate and evaluation on the workers.
  const pools: ExtractionPool[] = [];
  const poolOf = (maturity: JsonObject) => {
    const created = new ExtractionPool({
      workers,
      logger,
      evaluation: { config: maturity },
    });
    pools.push(created);
    return created;
  };
  const pool = poolOf({});
  const store = await DatabaseMaturityStore.create({
    database,
    deflate: pool.deflate,
  });
  const facts = await DatabaseFactStore.create({ database });
  const attestations = await DatabaseAttestationStore.create({ database });
  const collector = new RepositoryCollector({
    urlReader: scm.reader,
    logger,
    cache: await DatabaseRepoCache.create({
      database,
      deflate: pool.deflate,
    }),
    extractor: pool,
  });
  // A restart with another config builds its own workers, as the plugin does.
  const evaluatorOf = (maturity: JsonObject, on: ExtractionPool) => {
    const setup = evaluationSetup(new ConfigReader({ maturity }));
    return new MaturityEvaluator({
      catalog,
      auth: mockServices.auth(),
      store,
      facts,
      attestations,
      logger,
      checks: () => setup.checks,
      rubricHash: setup.rubricHash,
      kinds: ['Component'],
      concurrency: 8,
      tools: setup.tools,
      attestationMaxAgeDays: setup.attestationMaxAgeDays,
      orgControls: setup.orgControls,
      orgControlReviewMaxAgeDays: setup.orgControlReviewMaxAgeDays,
      startRepositoryCycle: () => collector.startCycle(),
      offload: (evaluation, onLoop) => on.evaluate(evaluation, onLoop),
    });
  };
  const evaluator = evaluatorOf({}, pool);

  let t = performance.now();
  const first = await evaluator.evaluateAll();
  const fullMs = performance.now() - t;
  const downloads = scm.counts.downloads;
  t = performance.now();
  const second = await evaluator.evaluateAll();
  const unchangedMs = performance.now() - t;
  if (second.evaluated !== 0 || scm.counts.downloads !== downloads) {
    throw new Error(
      `the unchanged cycle re-evaluated ${second.evaluated} and downloaded ${
        scm.counts.downloads - downloads
      }`,
    );
  }

  // A rubric change: every entity evaluated again from cached extractions.
  t = performance.now();
  const changed = { attestationMaxAgeDays: 366 };
  const third = await evaluatorOf(changed, poolOf(changed)).evaluateAll();
  const rubricChangeMs = performance.now() - t;
  if (
    third.evaluated !== first.evaluated ||
    scm.counts.downloads !== downloads
  ) {
    throw new Error(
      `the cycle after a rubric change evaluated ${third.evaluated} of ${
        first.evaluated
      } and downloaded ${scm.counts.downloads - downloads}`,
    );
  }

  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    permissions: allow,
    catalog,
    store,
    checks: builtinChecks,
    facts,
    attestations,
    factSources: new Set(BUILTIN_FACT_SOURCES),
    visibility: new CatalogVisibility({
      permissions: allow,
      catalog,
      kinds: ['Component'],
    }),
    refresh: async () => true,
    attestationMaxAgeDays: 365,
    historyRetentionDays: 365,
  });
  const server = express().use(router).listen(0);
  await new Promise(r => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  const components = entities.filter(e => e.kind === 'Component');
  const summaryPaths = [
    '/summary',
    '/summary?owner=group:default/team-7',
    '/summary?order=level:desc',
  ];
  const entityPaths = components
    .filter((_, i) => i % Math.max(1, Math.floor(n / 50)) === 0)
    .map(e => `/entities/component/default/${e.metadata.name}`);
  await latencies(port, [...summaryPaths, ...entityPaths], 20); // warm-up
  const summary = await latencies(port, summaryPaths, 150);
  const entity = await latencies(port, entityPaths, 300);
  server.close();
  await Promise.all(pools.map(p => p.close()));
  if (historyDays > 1) await simulateHistory(db.knex, historyDays);
  const sizeBytes = await db.sizeBytes();
  await db.close();
  return {
    evaluated: first.evaluated,
    failed: first.failed,
    downloads,
    fullMs,
    unchangedMs,
    rubricChangeMs,
    unchangedReads: second.repositories,
    summaryP50: percentile(summary, 50),
    summaryP95: percentile(summary, 95),
    entityP50: percentile(entity, 50),
    entityP95: percentile(entity, 95),
    sizeBytes,
  };
}

async function main() {
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const range = (xs: number[]) => {
    const s = stats(xs);
    return `${fmt(s.median)} (${fmt(s.min)}-${fmt(s.max)})`;
  };
  console.log(
    `Maturity cycle benchmark: engine ${engine}, ${runs} runs each, ${
      builtinChecks.length
    } checks, ${workers} extraction workers, Node ${process.version}, ${
      os.cpus().length
    } cores\n`,
  );
  console.log(
    `| services | full cycle ms | unchanged cycle ms | after a rubric change ms | downloads (full / unchanged) | summary p50 / p95 ms | entity p50 / p95 ms | db MB${
      historyDays > 1 ? ` (${historyDays} days of history)` : ''
    } |`,
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const n of sizes) {
    const results = [];
    for (let run = 0; run < runs; run++) {
      results.push(await benchmark(n, run));
    }
    const r = results;
    console.log(
      `| ${n} | ${range(r.map(x => x.fullMs))} | ${range(
        r.map(x => x.unchangedMs),
      )} | ${range(r.map(x => x.rubricChangeMs))} | ${r[0].downloads} / ${
        r[0].unchangedReads.downloaded
      } (${r[0].unchangedReads['not-modified']} not modified) | ${range(
        r.map(x => x.summaryP50),
      )} / ${range(r.map(x => x.summaryP95))} | ${range(
        r.map(x => x.entityP50),
      )} / ${range(r.map(x => x.entityP95))} | ${(
        stats(r.map(x => x.sizeBytes)).median / 1e6
      ).toFixed(1)} |`,
    );
  }
  console.log(
    '\nMedians over the runs, (min-max) in brackets. Latencies are sequential requests over keep-alive after a warm-up; summary = first page, owner filter, and order by level.',
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
