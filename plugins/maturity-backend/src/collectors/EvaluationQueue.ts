import { setImmediate as nextTurn } from 'node:timers';

interface Queued<R> {
  onLoop: () => R;
  send: () => Promise<R | undefined>;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Evaluations shared between the workers and the event loop. A worker is
 * sent the next job whenever it has fewer than `depth` jobs of any kind (so
 * it never waits for the event loop, and extraction keeps it busy in a full
 * cycle), and the event loop takes one job per turn of its own, after the
 * I/O of that turn: whoever is free takes the next job. A fixed split would
 * leave one side idle: the worker in a full cycle is busy extracting, in a
 * cycle after a rubric change it has nothing else to do.
 */
export class EvaluationQueue<R> {
  private readonly queue: Queued<R>[] = [];
  private turnScheduled = false;

  constructor(
    /** Whether a worker has room for one more job now. */
    private readonly workerHasRoom: () => boolean,
  ) {}

  /**
   * `send` runs the job on a worker (undefined: it could not, run it here);
   * `onLoop` runs it on the event loop.
   */
  submit(send: () => Promise<R | undefined>, onLoop: () => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ send, onLoop, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.queue.length > 0 && this.workerHasRoom()) {
      const job = this.queue.shift()!;
      job
        .send()
        .then(result => result ?? job.onLoop())
        .then(job.resolve, job.reject)
        .finally(() => this.pump());
    }
    this.scheduleTurn();
  }

  private scheduleTurn() {
    if (this.turnScheduled || this.queue.length === 0) return;
    this.turnScheduled = true;
    nextTurn(() => {
      this.turnScheduled = false;
      const job = this.queue.shift();
      if (job) {
        try {
          job.resolve(job.onLoop());
        } catch (e) {
          job.reject(e);
        }
      }
      this.pump();
    });
  }
}
