import { JsonObject } from '@backstage/types';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface DatabaseSize {
  bytes: number;
  /** Tables (with their indexes for PostgreSQL) and indexes, largest first. */
  tables: Array<{ name: string; bytes: number }>;
}

/** The backend's database for one run, and the driver's access to it. */
export interface BenchDatabase {
  engine: 'sqlite' | 'pg';
  /** `backend.database` of the backend under test. */
  config: JsonObject;
  /** SQLite: the directory of the plugins' database files. */
  directory?: string;
  /** A connection to the maturity plugin's database (open while needed). */
  maturity(): Knex;
  /**
   * Bytes a plugin's database (the maturity plugin's by default) takes
   * after VACUUM, and the largest tables and indexes in it.
   */
  size(pluginId?: string): Promise<DatabaseSize>;
  /**
   * Empties a plugin's database (the maturity plugin's by default) while no
   * backend runs: everything the plugin stored, its scheduler's task rows
   * included, is gone, and the next backend migrates it afresh. The other
   * plugins' databases (the catalog's) are kept.
   */
  resetPluginDatabase(pluginId?: string): Promise<void>;
  /** Closes connections and drops what the run created. */
  dispose(keep: boolean): Promise<void>;
}

/** Whether a PostgreSQL server answers at `url`. */
export async function pgReachable(url: string): Promise<boolean> {
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString: url, connectionTimeoutMillis: 3000 },
    pool: { min: 0, max: 1 },
  });
  try {
    await knex.raw('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await knex.destroy();
  }
}

/** SQLite files in `dir`, one per plugin, as backend-defaults lays them out. */
export function sqliteDatabase(dir: string): BenchDatabase {
  fs.mkdirSync(dir, { recursive: true });
  const fileOf = (pluginId: string) => path.join(dir, `${pluginId}.sqlite`);
  let knex: Knex | undefined;
  const open = () =>
    (knex ??= knexFactory({
      client: 'better-sqlite3',
      connection: { filename: fileOf('maturity') },
      useNullAsDefault: true,
    }));
  return {
    engine: 'sqlite',
    config: { client: 'better-sqlite3', connection: { directory: dir } },
    directory: dir,
    maturity: open,
    async size(pluginId = 'maturity') {
      await knex?.destroy();
      knex = undefined;
      const file = fileOf(pluginId);
      const db = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: file },
        useNullAsDefault: true,
      });
      await db.raw('VACUUM');
      const tables = await db.raw(
        'SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC',
      );
      await db.destroy();
      return {
        bytes: ['', '-wal', '-shm']
          .map(s => `${file}${s}`)
          .filter(f => fs.existsSync(f))
          .reduce((sum, f) => sum + fs.statSync(f).size, 0),
        tables: tables.map((t: any) => ({
          name: String(t.name),
          bytes: Number(t.bytes),
        })),
      };
    },
    async resetPluginDatabase(pluginId = 'maturity') {
      await knex?.destroy();
      knex = undefined;
      for (const suffix of ['', '-wal', '-shm', '-journal']) {
        fs.rmSync(`${fileOf(pluginId)}${suffix}`, { force: true });
      }
    },
    async dispose(keep) {
      await knex?.destroy();
      knex = undefined;
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Fresh PostgreSQL databases for one run: the backend creates one per
 * plugin under a random prefix (`bench_<hex>_catalog`, `..._maturity`), all
 * dropped afterwards.
 */
export function pgDatabase(url: string): BenchDatabase {
  const prefix = `bench_${randomBytes(4).toString('hex')}_`;
  const parsed = new URL(url);
  let knex: Knex | undefined;
  const connect = (database: string) => {
    const u = new URL(url);
    u.pathname = `/${database}`;
    return knexFactory({
      client: 'pg',
      connection: u.toString(),
      pool: { min: 0, max: 2 },
    });
  };
  const open = () => (knex ??= connect(`${prefix}maturity`));
  const other = new Map<string, Knex>();
  const db = (pluginId: string) => {
    if (pluginId === 'maturity') return open();
    if (!other.has(pluginId))
      other.set(pluginId, connect(`${prefix}${pluginId}`));
    return other.get(pluginId)!;
  };
  return {
    engine: 'pg',
    config: {
      client: 'pg',
      connection: {
        host: parsed.hostname,
        port: Number(parsed.port || 5432),
        user: decodeURIComponent(parsed.username || 'postgres'),
        password: decodeURIComponent(parsed.password),
      },
      prefix,
    },
    maturity: open,
    async size(pluginId = 'maturity') {
      await db(pluginId).raw('VACUUM');
      const { rows } = await db(pluginId).raw(
        'SELECT pg_database_size(current_database()) AS size',
      );
      const tables = await db(pluginId).raw(
        `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind = 'r' AND n.nspname = 'public'
          ORDER BY bytes DESC`,
      );
      return {
        bytes: Number(rows[0].size),
        tables: tables.rows.map((t: any) => ({
          name: String(t.name),
          bytes: Number(t.bytes),
        })),
      };
    },
    async resetPluginDatabase(pluginId = 'maturity') {
      if (pluginId === 'maturity') {
        await knex?.destroy();
        knex = undefined;
      } else {
        await other.get(pluginId)?.destroy();
        other.delete(pluginId);
      }
      // Created here rather than by the backend, so that two instances
      // starting together do not race to create it.
      const admin = connect(parsed.pathname.replace(/^\//, '') || 'postgres');
      try {
        await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [
          `${prefix}${pluginId}`,
        ]);
        await admin.raw('CREATE DATABASE ??', [`${prefix}${pluginId}`]);
      } finally {
        await admin.destroy();
      }
    },
    async dispose(keep) {
      await knex?.destroy();
      knex = undefined;
      for (const k of other.values()) await k.destroy();
      other.clear();
      if (keep) return;
      const admin = connect(parsed.pathname.replace(/^\//, '') || 'postgres');
      try {
        const { rows } = await admin.raw(
          'SELECT datname FROM pg_database WHERE datname LIKE ?',
          [`${prefix}%`],
        );
        for (const { datname } of rows) {
          await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
        }
      } finally {
        await admin.destroy();
      }
    },
  };
}

/**
 * Copies the latest day of `maturity_history` to the `days - 1` days before
 * it, as daily cycles would have written them (the level one lower in the
 * older half, so a trend has a shape). Works on the table as the installed
 * migrations left it: `day` as a date string or as a day number.
 */
export async function simulateHistory(
  knex: Knex,
  days: number,
): Promise<{ rows: number; ms: number }> {
  const started = Date.now();
  const columns = Object.keys(await knex('maturity_history').columnInfo());
  const latest = (await knex('maturity_history').max({ day: 'day' }))[0]?.day;
  if (latest === null || latest === undefined) return { rows: 0, ms: 0 };
  const numeric = typeof latest === 'number' || /^\d+$/.test(String(latest));
  const dayBefore = (d: number) =>
    numeric
      ? Number(latest) - d
      : new Date(Date.parse(`${latest}T00:00:00Z`) - d * 86_400_000)
          .toISOString()
          .slice(0, 10);
  await knex.transaction(async tx => {
    for (let d = 1; d < days; d++) {
      const bindings: Array<string | number> = [];
      const select = columns.map(c => {
        if (c === 'day') {
          bindings.push(dayBefore(d));
          // A bare parameter in INSERT ... SELECT has no type in PostgreSQL.
          return numeric ? 'CAST(? AS INTEGER)' : 'CAST(? AS VARCHAR(10))';
        }
        if (c === 'level' && d > days / 2) {
          return 'CASE WHEN level > 0 THEN level - 1 ELSE 0 END';
        }
        bindings.push(c);
        return '??';
      });
      bindings.push(numeric ? Number(latest) : latest);
      await tx.raw(
        `INSERT INTO maturity_history (${columns
          .map(() => '??')
          .join(', ')}) SELECT ${select.join(
          ', ',
        )} FROM maturity_history WHERE day = ?`,
        [...columns, ...bindings],
      );
    }
  });
  const [{ n }] = await knex('maturity_history').count({ n: '*' });
  return { rows: Number(n), ms: Date.now() - started };
}
