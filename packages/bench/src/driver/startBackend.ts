import knexFactory from 'knex';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { JsonObject } from '@backstage/types';
import type { CatalogStatus } from '../server/benchCatalogModule';
import type { BenchPlugins, ServerInput } from '../server/server';
import { BackendProcess } from './backendProcess';
import { BenchDatabase } from './database';
import { BackendClient } from './http';
import type { RunContext } from './tool';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The config every bench backend shares: nothing from app-config. */
function baseConfig(
  port: number,
  token: string,
  database: BenchDatabase,
): JsonObject {
  return {
    app: { baseUrl: 'http://127.0.0.1:3000' },
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database: database.config,
      auth: {
        externalAccess: [
          { type: 'static', options: { token, subject: 'bench-driver' } },
        ],
      },
    },
    catalog: {
      // Processed once when provided; no reprocessing while we measure.
      processingInterval: { hours: 24 },
      orphanStrategy: 'keep',
    },
    permission: { enabled: false },
  };
}

/** Where `--reuse-catalog` keeps the catalog of this organisation, if it applies. */
function catalogSnapshot(context: RunContext): string | undefined {
  const { options, database } = context;
  if (!options.reuseCatalog || !database.directory) return undefined;
  const dir =
    process.env.BENCH_CACHE_DIR ??
    path.join(os.tmpdir(), 'cnm-bench-snapshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(
    dir,
    `catalog-seed${options.seed}-n${context.organisation.options.entities}-broken${options.broken}.sqlite`,
  );
}

/** A backend whose catalog holds the whole generated organisation. */
export interface StartedBackend {
  backend: BackendProcess;
  client: BackendClient;
  /** Fork to "backend started". */
  startupMs: number;
  /** Entities handed to the catalog until it processed and stitched all. */
  ingestionMs: number;
  catalog: CatalogStatus & { components: number };
  /** Peak RSS up to the end of the ingestion. */
  ingestionPeakRssBytes: number;
  warnings: string[];
}

/**
 * Forks the backend with the given plugins and their config, and waits
 * until the catalog has ingested the organisation: what every tool's run
 * starts from, so that only the tool's own work is timed afterwards.
 * `restart`: a backend again on the database of an earlier one of the run
 * (the catalog is there already; no snapshot is restored or taken), with
 * its own log file, and a CPU limit other than `--cpu-limit`'s if given;
 * `onStarted` is told once its plugins have started (their databases
 * migrated), before the catalog is waited for.
 */
export async function startBackend(
  context: RunContext,
  plugins: BenchPlugins,
  pluginConfig: JsonObject,
  scm: ServerInput['scm'] = 'local',
  restart?: {
    logName: string;
    cpuLimitCores?: number;
    onStarted?: () => void;
  },
): Promise<StartedBackend> {
  const { options, organisation, database, log } = context;
  const started = Date.now();
  const warnings: string[] = [];
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const client = new BackendClient(`http://127.0.0.1:${port}`, token);
  const snapshot = restart ? undefined : catalogSnapshot(context);
  const catalogFile = path.join(database.directory ?? '', 'catalog.sqlite');
  const restored = !!snapshot && fs.existsSync(snapshot);
  if (restored) {
    fs.copyFileSync(snapshot, catalogFile);
    warnings.push(
      'the catalog was restored from a snapshot (--reuse-catalog): its ingestion time is not a measure',
    );
  }
  const backend = BackendProcess.start({
    input: {
      config: { ...baseConfig(port, token, database), ...pluginConfig },
      plugins,
      seed: options.seed,
      entities: organisation.options.entities,
      broken: options.broken,
      examplesDir: context.examplesDir,
      reposDir: context.reposDir,
      scm,
    },
    compiled: context.compiled,
    heapLimitMiB: options.heapLimitMiB,
    memoryLimitMiB: options.memoryLimitMiB,
    cpuLimitCores: restart?.cpuLimitCores ?? options.cpuLimitCores,
    logFile: path.join(context.workDir, restart?.logName ?? 'backend.log'),
    onNotification: m => {
      if (m.type === 'catalog-progress') {
        log(
          `catalog: ${m.total - m.pending}/${m.total} processed, ${
            m.stitching
          } to stitch (${Math.round(m.ms / 1000)} s)`,
        );
      }
    },
  });
  try {
    await backend.waitForNotification('started', 10 * 60_000);
    const startupMs = Date.now() - started;
    restart?.onStarted?.();
    const ready = await backend.waitForNotification(
      'catalog-ready',
      options.ingestTimeoutMinutes * 60_000,
    );
    const ingestionPeakRssBytes = backend.memory().peak;
    if (snapshot && !restored) {
      // A consistent copy while the backend keeps running.
      const db = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: catalogFile },
        useNullAsDefault: true,
      });
      try {
        await db.raw('VACUUM INTO ?', [`${snapshot}.tmp`]);
        fs.renameSync(`${snapshot}.tmp`, snapshot);
      } finally {
        await db.destroy();
      }
    }
    const components = (
      await client.json(
        '/api/catalog/entities/by-query?filter=kind=component&limit=1&fields=metadata.name',
      )
    ).totalItems as number;
    if (components !== organisation.counts.componentsInCatalog) {
      warnings.push(
        `the catalog has ${components} components, ${organisation.counts.componentsInCatalog} expected`,
      );
    }
    log(
      `catalog ready in ${(ready.ms / 1000).toFixed(1)} s: ${
        ready.total
      } entities, ${ready.withErrors} with errors, ${components} components`,
    );
    const { type: _type, ms, ...status } = ready;
    return {
      backend,
      client,
      startupMs,
      ingestionMs: ms,
      catalog: { ...status, components },
      ingestionPeakRssBytes,
      warnings,
    };
  } catch (e) {
    await backend.stop();
    throw e;
  }
}
