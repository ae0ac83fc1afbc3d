import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Shard, shardKey, shardTaskId } from './shards';

const isConflict = (error: unknown) =>
  (error as { name?: string } | undefined)?.name === 'ConflictError';

/**
 * Runs the shard tasks of one backend instance, one shard at a time.
 *
 * Backstage's scheduler polls all of an instance's due tasks in one query
 * and claims every one it finds ready, so the instance that polls first
 * after the shards fall due takes all of them and the others stay idle:
 * shards alone bring no speed-up. An instance that is already running a
 * shard therefore gives a newly claimed one back: the run ends at once and
 * the task is triggered again, to be claimed by the next instance that
 * polls, most likely an idle one (this instance just polled). With one
 * instance, the shards simply run one after another.
 */
export class ShardRunner {
  private running = 0;
  private closed = false;

  constructor(
    private readonly options: {
      scheduler: Pick<SchedulerService, 'triggerTask'>;
      logger: LoggerService;
      evaluate: (shard: Shard) => Promise<void>;
      /** Waits between attempts to trigger a given-back shard again. */
      retryDelaysMs?: readonly number[];
    },
  ) {}

  /** The scheduler task's function for this shard. */
  async run(shard: Shard): Promise<void> {
    if (this.closed) return;
    if (this.running > 0 && shard.count > 1) {
      this.options.logger.debug(
        `Maturity shard ${shardKey(
          shard,
        )} given back: this instance is running another shard`,
      );
      // After this run has ended: a running task cannot be triggered.
      setTimeout(() => this.triggerAgain(shard), 0);
      return;
    }
    this.running++;
    try {
      await this.options.evaluate(shard);
    } finally {
      this.running--;
    }
  }

  /** No more shards are given back (the backend shuts down). */
  close() {
    this.closed = true;
  }

  private async triggerAgain(shard: Shard) {
    const id = shardTaskId(shard);
    const delays = this.options.retryDelaysMs ?? [50, 200, 500, 1000, 2000];
    for (let attempt = 0; !this.closed; attempt++) {
      try {
        await this.options.scheduler.triggerTask(id);
        return;
      } catch (error) {
        if (!isConflict(error)) {
          this.options.logger.warn(
            `Maturity shard ${shardKey(
              shard,
            )} could not be triggered again; it runs at its next scheduled time: ${error}`,
          );
          return;
        }
        // "Currently running": this run is still being released, or
        // another instance has claimed the shard since, which is the aim.
        if (attempt >= delays.length) return;
        await new Promise(r => setTimeout(r, delays[attempt]));
      }
    }
  }
}
