import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { MetricAttributes } from '@backstage/backend-plugin-api/alpha';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { metricsServiceMock } from '@backstage/backend-test-utils/alpha';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import { knex as createKnex, Knex } from 'knex';
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { maturityPlugin } from '../plugin';

const CONNECTION_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/*
 * Helpers for tests that run several real backend instances of the plugin
 * on one database: a logger that keeps every line, and the scheduler's own
 * accounting of task runs.
 */

export interface LogEntry {
  at: number;
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: JsonObject;
}

/** Where a CapturingLogger puts its lines: an array, or a child's IPC channel. */
export interface LogSink {
  push(entry: LogEntry): unknown;
}

/** A silent root logger that keeps every line, with its plugin/task labels. */
export class CapturingLogger implements RootLoggerService {
  constructor(
    readonly entries: LogSink,
    private readonly meta: JsonObject = {},
  ) {}
  error(message: string, meta?: Error | JsonObject) {
    this.log('error', message, meta);
  }
  warn(message: string, meta?: Error | JsonObject) {
    this.log('warn', message, meta);
  }
  info(message: string, meta?: Error | JsonObject) {
    this.log('info', message, meta);
  }
  debug(message: string, meta?: Error | JsonObject) {
    this.log('debug', message, meta);
  }
  child(meta: JsonObject): LoggerService {
    return new CapturingLogger(this.entries, { ...this.meta, ...meta });
  }
  private log(
    level: LogEntry['level'],
    message: string,
    meta?: Error | JsonObject,
  ) {
    this.entries.push({
      at: Date.now(),
      level,
      message: String(message),
      meta: {
        ...this.meta,
        ...(meta instanceof Error ? { error: String(meta) } : meta),
      },
    });
  }
}

/** One call of the scheduler's run counter, `backend_tasks.task.runs.count`. */
export interface TaskEvent {
  at: number;
  taskId: string;
  scope: string;
  result: string;
}

/**
 * A metrics service that keeps the real scheduler's own accounting of task
 * runs: it counts `result: started` as a run begins and `completed` or
 * `failed` as it ends, labelled with the task id and scope. This does not
 * depend on what the plugin logs or how it evaluates.
 */
export function taskRunRecorder(events: TaskEvent[]) {
  return metricsServiceMock.mock({
    createCounter: (name: string) => ({
      add: (_value: number, attributes?: MetricAttributes) => {
        if (name !== 'backend_tasks.task.runs.count' || !attributes) return;
        events.push({
          at: Date.now(),
          taskId: String(attributes.taskId),
          scope: String(attributes.scope),
          result: String(attributes.result),
        });
      },
    }),
  }).factory;
}

export interface Instance {
  name: string;
  backend: TestBackend;
  logs: LogEntry[];
  taskEvents: TaskEvent[];
}

/** An instance in a process of its own, see instanceProcess.ts. */
export interface ChildInstance {
  name: string;
  /** What it logged so far, as the lines arrive. */
  logs: LogEntry[];
  /**
   * SIGKILL: no shutdown hook runs and no scheduler lock is released, as
   * when a pod is killed. Resolves once the process is gone.
   */
  kill(): Promise<void>;
}

/** What an instance of the plugin is started with. */
export interface InstanceOptions {
  maturity: JsonObject;
  entities: Entity[];
  /** More root config, e.g. `integrations`. */
  config?: JsonObject;
}

/** The shared PostgreSQL server and the test file's database prefix. */
export interface InstanceDatabase {
  connection: string;
  prefix: string;
}

/** What forkInstance and instanceProcess.ts tell each other over IPC. */
export type ToChild = {
  type: 'start';
  database: InstanceDatabase;
  options: InstanceOptions;
};
export type FromChild =
  | { type: 'log'; entry: LogEntry }
  | { type: 'started' }
  | { type: 'failed'; error: string };

/**
 * The features of one instance, in this process or a child: the plugin
 * with the real database and scheduler services (not the in-memory mocks
 * startTestBackend defaults to) on the shared database, a catalog of the
 * given entities, and a root logger into `logs`.
 */
export function instanceFeatures(
  database: InstanceDatabase,
  options: InstanceOptions,
  logs: LogSink,
) {
  return [
    maturityPlugin,
    mockServices.rootConfig.factory({
      data: {
        ...options.config,
        backend: {
          database: {
            client: 'pg',
            connection: database.connection,
            prefix: database.prefix,
          },
        },
        maturity: options.maturity,
      },
    }),
    createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => new CapturingLogger(logs),
    }),
    databaseServiceFactory,
    schedulerServiceFactory,
    catalogServiceMock.factory({ entities: options.entities }),
  ];
}

export interface Run {
  instance: string;
  scope: string;
  result: string;
  start: number;
  end: number;
}

/**
 * Polls `probe` every 100 ms until it gives a value; past `timeoutMs` fails
 * with what was awaited and, if given, the instances' recent log lines.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  options: { timeoutMs?: number; diagnostics?: () => string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const more = options.diagnostics?.();
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${
          more ? `\n${more}` : ''
        }`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

/** The scheduler's table of tasks and their locks, as an operator sees it. */
export const TASKS_TABLE = 'backstage_backend_tasks__tasks';

/** `[shard, evaluated, unchanged]` of each shard cycle (of 2) an instance finished. */
export function shardCycles(logs: LogEntry[]): Array<[number, number, number]> {
  return logs.flatMap(e => {
    const m = e.message.match(
      /^Maturity cycle \(shard (\d+) of 2\): (\d+) evaluated, (\d+) unchanged/,
    );
    return m ? [[Number(m[1]), Number(m[2]), Number(m[3])]] : [];
  });
}

/** The finished runs of a scheduler task on one instance. */
export function runsOf(instance: Instance, taskId: string): Run[] {
  const runs: Run[] = [];
  let started: TaskEvent | undefined;
  for (const event of instance.taskEvents) {
    if (event.taskId !== taskId) continue;
    if (event.result === 'started') {
      started = event;
    } else if (started) {
      runs.push({
        instance: instance.name,
        scope: event.scope,
        result: event.result,
        start: started.at,
        end: event.at,
      });
      started = undefined;
    }
  }
  return runs;
}

/**
 * A PostgreSQL database of one test file's own, shared by the backend
 * instances it starts (the real database and scheduler services), and
 * dropped at the end.
 */
export class SharedPostgres {
  readonly instances: Instance[] = [];
  private readonly children: ChildProcess[] = [];

  static async create(label: string): Promise<SharedPostgres> {
    const connectionString = process.env[CONNECTION_ENV];
    if (!connectionString) {
      throw new Error(
        `${CONNECTION_ENV} is not set: this test needs a PostgreSQL server shared by two backend instances and must not be skipped`,
      );
    }
    // A unique prefix gives the file its own plugin database, `<prefix>maturity`.
    const prefix = `maturity_${label}_${randomBytes(4).toString('hex')}_`;
    const admin = createKnex({ client: 'pg', connection: connectionString });
    await admin.raw('CREATE DATABASE ??', [`${prefix}maturity`]);
    const url = new URL(connectionString);
    url.pathname = `/${prefix}maturity`;
    const observer = createKnex({ client: 'pg', connection: url.toString() });
    return new SharedPostgres(
      { connection: connectionString, prefix },
      admin,
      observer,
    );
  }

  private constructor(
    private readonly database: InstanceDatabase,
    private readonly admin: Knex,
    /** Reads the plugin's database directly, as an operator would. */
    readonly observer: Knex,
  ) {}

  /** Starts one more backend instance on the shared database. */
  async startInstance(
    name: string,
    options: InstanceOptions & {
      /**
       * Runs the scheduler's janitor, which frees the locks of runs past
       * their timeout, e.g. of a killed instance. Backstage starts it with
       * a plugin's first task (then once a minute), except when NODE_ENV is
       * `test`, as under jest.
       */
      janitor?: boolean;
    },
  ): Promise<Instance> {
    const logs: LogEntry[] = [];
    const taskEvents: TaskEvent[] = [];
    const nodeEnv = process.env.NODE_ENV;
    if (options.janitor) process.env.NODE_ENV = 'production';
    let backend: TestBackend;
    try {
      backend = await startTestBackend({
        features: [
          ...instanceFeatures(this.database, options, logs),
          taskRunRecorder(taskEvents),
        ],
      });
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    const instance = { name, backend, logs, taskEvents };
    this.instances.push(instance);
    return instance;
  }

  /**
   * Starts one more instance on the shared database in a child process,
   * which a test can kill outright; see instanceProcess.ts.
   */
  async forkInstance(
    name: string,
    options: InstanceOptions,
  ): Promise<ChildInstance> {
    const logs: LogEntry[] = [];
    const child = fork(join(__dirname, 'instanceProcess.ts'), [], {
      // The Backstage CLI's TypeScript hook, not jest's options.
      execArgv: [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ],
      // As deployed, not the `test` jest sets.
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.children.push(child);
    const exited = new Promise<void>(resolve => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    const started = new Promise<void>((resolve, reject) => {
      child.on('message', (message: FromChild) => {
        if (message.type === 'log') logs.push(message.entry);
        else if (message.type === 'started') resolve();
        else if (message.type === 'failed') {
          reject(
            new Error(`Instance ${name} failed to start: ${message.error}`),
          );
        }
      });
      child.once('exit', (code, signal) =>
        reject(new Error(`Instance ${name} exited (${code ?? signal})`)),
      );
    });
    const start: ToChild = { type: 'start', database: this.database, options };
    child.send(start);
    await started;
    return {
      name,
      logs,
      kill: async () => {
        child.kill('SIGKILL');
        await exited;
      },
    };
  }

  /** Stops every instance and drops the database. */
  async close() {
    for (const child of this.children) child.kill('SIGKILL');
    await Promise.all(this.instances.map(i => i.backend.stop()));
    await this.observer.destroy();
    await this.admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [
      `${this.database.prefix}maturity`,
    ]);
    await this.admin.destroy();
  }
}
