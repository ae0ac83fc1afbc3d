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
import { randomBytes } from 'node:crypto';
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

/** A silent root logger that keeps every line, with its plugin/task labels. */
export class CapturingLogger implements RootLoggerService {
  constructor(
    readonly entries: LogEntry[],
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

export interface Run {
  instance: string;
  scope: string;
  result: string;
  start: number;
  end: number;
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
    return new SharedPostgres(connectionString, prefix, admin, observer);
  }

  private constructor(
    private readonly connectionString: string,
    private readonly prefix: string,
    private readonly admin: Knex,
    /** Reads the plugin's database directly, as an operator would. */
    readonly observer: Knex,
  ) {}

  /** Starts one more backend instance on the shared database. */
  async startInstance(
    name: string,
    options: { maturity: JsonObject; entities: Entity[] },
  ): Promise<Instance> {
    const logs: LogEntry[] = [];
    const taskEvents: TaskEvent[] = [];
    const backend = await startTestBackend({
      features: [
        maturityPlugin,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: {
                client: 'pg',
                connection: this.connectionString,
                prefix: this.prefix,
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
        // The real services, not the in-memory mocks startTestBackend defaults to.
        databaseServiceFactory,
        schedulerServiceFactory,
        taskRunRecorder(taskEvents),
        catalogServiceMock.factory({ entities: options.entities }),
      ],
    });
    const instance = { name, backend, logs, taskEvents };
    this.instances.push(instance);
    return instance;
  }

  /** Stops every instance and drops the database. */
  async close() {
    await Promise.all(this.instances.map(i => i.backend.stop()));
    await this.observer.destroy();
    await this.admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [
      `${this.prefix}maturity`,
    ]);
    await this.admin.destroy();
  }
}
