import {
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { MetricAttributes } from '@backstage/backend-plugin-api/alpha';
import { TestBackend } from '@backstage/backend-test-utils';
import { metricsServiceMock } from '@backstage/backend-test-utils/alpha';
import { JsonObject } from '@backstage/types';

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
