import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import type { ServerInput } from '../server/server';
import { CompiledBackend } from './compileBackend';
import { CpuCgroup } from './cpuCgroup';
import { commandInCgroup, MemoryCgroup } from './memoryCgroup';

/** Tells apart the cgroups of backends started in the same millisecond. */
let cgroupSerial = 0;

/** Colour codes of the backend's log format. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

interface LineWaiter {
  pattern: RegExp;
  fail?: RegExp;
  resolve: (m: RegExpMatchArray) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Memory of a process, from /proc/<pid>/status (Linux). */
export interface ProcessMemory {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size (VmHWM) since start or the last reset, bytes. */
  peak: number;
}

/**
 * The backend under test in a child process: its log goes to a file and is
 * watched for lines (the maturity cycle line), and it answers requests over
 * IPC (reader counters, catalog status).
 */
export class BackendProcess {
  private readonly waiters = new Set<LineWaiter>();
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly pending = new Map<
    number,
    { resolve: (v: any) => void; reject: (e: Error) => void }
  >();
  private readonly notifications: Array<{ type: string; [k: string]: any }> =
    [];
  private readonly notificationWaiters = new Set<() => void>();
  private nextId = 1;
  private exited?: string;
  private readonly log: fs.WriteStream;
  private readonly tail: string[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly logFile: string,
    private readonly onNotification?: (m: any) => void,
    /** `cpuLimitCores`: the CPU cgroup the backend runs in. */
    readonly cpuCgroup?: CpuCgroup,
  ) {
    this.log = fs.createWriteStream(logFile);
    for (const stream of [child.stdout!, child.stderr!]) {
      readline.createInterface({ input: stream }).on('line', line => {
        this.log.write(`${line}\n`);
        const plain = line.replace(ANSI, '');
        this.tail.push(plain);
        if (this.tail.length > 40) this.tail.shift();
        for (const listener of this.lineListeners) listener(plain);
        for (const w of [...this.waiters]) {
          const failed = w.fail && plain.match(w.fail);
          const m = plain.match(w.pattern);
          if (failed || m) {
            this.waiters.delete(w);
            clearTimeout(w.timer);
            if (failed) w.reject(new Error(`Backend: ${plain}`));
            else w.resolve(m!);
          }
        }
      });
    }
    child.on('message', (message: any) => {
      if (message?.id !== undefined && this.pending.has(message.id)) {
        const p = this.pending.get(message.id)!;
        this.pending.delete(message.id);
        if (message.error) p.reject(new Error(message.error));
        else p.resolve(message.result);
        return;
      }
      if (message?.type) {
        this.notifications.push(message);
        this.onNotification?.(message);
        for (const wake of [...this.notificationWaiters]) wake();
      }
    });
    child.on('exit', (code, signal) => {
      this.exited = `the backend exited (code ${code}, signal ${signal})`;
      const error = new Error(
        `${this.exited}; last log lines:\n${this.tail.join('\n')}`,
      );
      for (const w of this.waiters) {
        clearTimeout(w.timer);
        w.reject(error);
      }
      this.waiters.clear();
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      for (const wake of [...this.notificationWaiters]) wake();
    });
  }

  static start(options: {
    input: ServerInput;
    compiled: CompiledBackend;
    logFile: string;
    /** V8 heap limit in MiB (--max-old-space-size); Node's own by default. */
    heapLimitMiB?: number;
    /** Runs the backend in a memory cgroup of this size, as a container. */
    memoryLimitMiB?: number;
    /** Runs the backend in a CPU cgroup of this many cores, as a container. */
    cpuLimitCores?: number;
    onNotification?: (m: any) => void;
  }): BackendProcess {
    const { compiled, heapLimitMiB, memoryLimitMiB, cpuLimitCores } = options;
    const argv = [
      process.execPath,
      '--require',
      compiled.preload,
      ...(heapLimitMiB ? [`--max-old-space-size=${heapLimitMiB}`] : []),
      // Diagnostics, e.g. --trace-gc
      ...(process.env.BENCH_BACKEND_NODE_ARGS?.split(/\s+/).filter(Boolean) ??
        []),
      compiled.server,
    ];
    const name = `cnm-bench-${process.pid}-${Date.now()}-${cgroupSerial++}`;
    const memory = memoryLimitMiB
      ? MemoryCgroup.create(memoryLimitMiB, name)
      : undefined;
    let cpu: CpuCgroup | undefined;
    try {
      cpu = cpuLimitCores
        ? CpuCgroup.create(cpuLimitCores, `${name}-cpu`, {
            // One cgroup per process in v2: the memory one takes the limit.
            into: memory?.version === 2 ? memory.dir : undefined,
          })
        : undefined;
    } catch (e) {
      memory?.remove();
      throw e;
    }
    const procsFiles = [
      ...new Set([memory?.procsFile, cpu?.procsFile].filter(f => !!f)),
    ] as string[];
    const { command, args } = procsFiles.length
      ? commandInCgroup(procsFiles, argv)
      : { command: argv[0], args: argv.slice(1) };
    // spawn with an IPC channel, as fork does, so a shell can come first.
    const child = spawn(command, args, {
      env: {
        ...process.env,
        ...compiled.env,
        CNM_BENCH_SERVER: JSON.stringify(options.input),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    child.once('exit', () => {
      cpu?.remove();
      memory?.remove();
    });
    return new BackendProcess(
      child,
      options.logFile,
      options.onNotification,
      cpu,
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Waits for a notification of this type (the first not yet consumed). */
  async waitForNotification(type: string, timeoutMs: number): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.notifications.findIndex(n => n.type === type);
      if (index >= 0) return this.notifications.splice(index, 1)[0];
      if (this.exited) {
        throw new Error(
          `${this.exited}; last log lines:\n${this.tail.join('\n')}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`Timed out after ${timeoutMs} ms waiting for ${type}`);
      }
      await new Promise<void>(resolve => {
        const timer = setTimeout(done, Math.min(left, 1000));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.notificationWaiters.add(done);
      }).finally(() => this.notificationWaiters.clear());
    }
  }

  /** Asks the backend over IPC. */
  request<T = any>(
    type: string,
    timeoutMs = 30_000,
    payload: Record<string, unknown> = {},
  ): Promise<T> {
    if (this.exited) return Promise.reject(new Error(this.exited));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`No answer to ${type} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: v => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: e => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ ...payload, id, type });
    });
  }

  /**
   * The next log line matching `pattern` (call before causing it); rejects
   * on a line matching `fail`, on timeout, or when the backend exits.
   */
  waitForLine(
    pattern: RegExp,
    timeoutMs: number,
    fail?: RegExp,
  ): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const waiter: LineWaiter = {
        pattern,
        fail,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(
            new Error(`Timed out after ${timeoutMs} ms waiting for ${pattern}`),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Calls `listener` with every log line from now on (colours removed); returns the unsubscribe. */
  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    return () => this.lineListeners.delete(listener);
  }

  /** Why the backend exited, once it has; undefined while it runs. */
  get exitReason(): string | undefined {
    return this.exited
      ? `${this.exited}; last log lines:\n${this.tail.join('\n')}`
      : undefined;
  }

  /**
   * Counts the log lines matching `pattern` from now on; `stop` ends the
   * count and returns it.
   */
  countLines(pattern: RegExp): { count(): number; stop(): number } {
    let n = 0;
    const listener = (line: string) => {
      if (pattern.test(line)) n++;
    };
    this.lineListeners.add(listener);
    return {
      count: () => n,
      stop: () => {
        this.lineListeners.delete(listener);
        return n;
      },
    };
  }

  /** RSS and peak RSS of the backend process. */
  memory(): ProcessMemory {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0) *
      1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  }

  /**
   * CPU time the process used since it started, all its threads (user +
   * system, from /proc/<pid>/stat), in milliseconds; undefined off Linux.
   */
  cpuMs(): number | undefined {
    try {
      const stat = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      // Fields after the command name, which may hold spaces: ") S ppid ...".
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux).
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return undefined;
    }
  }

  /**
   * Resets the peak RSS to the current RSS (`echo 5 > /proc/pid/clear_refs`),
   * so the next peak covers only what follows. False when not supported.
   */
  resetPeak(): boolean {
    try {
      fs.writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  async stop(graceMs = 30_000): Promise<void> {
    if (!this.exited) {
      const exited = new Promise<void>(resolve =>
        this.child.once('exit', () => resolve()),
      );
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    if (!this.log.writableEnded) {
      await new Promise<void>(resolve => this.log.end(() => resolve()));
    }
  }
}
