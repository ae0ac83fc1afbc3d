import { LoggerService } from '@backstage/backend-plugin-api';
import { EventParams } from '@backstage/plugin-events-node';
import { MaturityStore } from '../database/MaturityStore';
import {
  parsePushEvent,
  readsPushedBranch,
  RepositoryPush,
} from './pushEvents';

/** What evaluating a batch of entities did. */
export interface RefsOutcome {
  records: readonly unknown[];
  skipped: number;
  failedRefs: readonly string[];
}

/**
 * Re-evaluates the entities whose repository was pushed to. Pushes that
 * arrive close together are evaluated as one batch, one batch at a time;
 * an entity whose inputs did not change (a cycle already read the new
 * commit) is not evaluated again. When a push changed a catalog-info file,
 * its entities are looked at once more after `catalogSettleMs`, once the
 * catalog has had time to take the change in.
 */
export class RepositoryPushHandler {
  private readonly queued = new Set<string>();
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private readonly followUps = new Set<NodeJS.Timeout>();

  constructor(
    private readonly options: {
      store: Pick<MaturityStore, 'entitiesOfRepository'>;
      evaluate: (refs: string[]) => Promise<RefsOutcome>;
      logger: LoggerService;
      /** How long pushes are collected before a batch runs. */
      batchMs?: number;
      /** How long after a catalog-info change the entities are looked at again. */
      catalogSettleMs?: number;
    },
  ) {}

  /** Handles one event of a push topic; never throws. */
  async onEvent(params: EventParams): Promise<void> {
    const { logger } = this.options;
    const push = parsePushEvent(params.topic, params.eventPayload);
    if ('ignored' in push) {
      logger.info(`Maturity: ignored a ${params.topic} event: ${push.ignored}`);
      return;
    }
    let refs: string[];
    try {
      refs = await this.refsOf(push);
    } catch (e) {
      logger.warn(
        `Maturity: could not look up the entities of ${push.repository}: ${e}`,
      );
      return;
    }
    if (refs.length === 0) {
      logger.info(
        `Maturity: ignored a push to ${push.repository} (${push.branch}): no evaluated entity reads that branch`,
      );
      return;
    }
    logger.info(
      `Maturity: push to ${push.repository} (${push.branch}), re-evaluating ${refs.length} entities`,
    );
    this.enqueue(refs);
    if (push.catalogFileChanged) {
      const timer = setTimeout(() => {
        this.followUps.delete(timer);
        this.enqueue(refs);
      }, this.options.catalogSettleMs ?? 120_000);
      timer.unref?.();
      this.followUps.add(timer);
    }
  }

  /** Resolves when everything queued so far has been evaluated. */
  async idle(): Promise<void> {
    while (this.timer || this.queued.size) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.flush();
      }
      await this.running;
    }
    await this.running;
  }

  /** Stops pending follow-ups and batches (shutdown). */
  close() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const t of this.followUps) clearTimeout(t);
    this.followUps.clear();
  }

  private async refsOf(push: RepositoryPush): Promise<string[]> {
    const entities = await this.options.store.entitiesOfRepository(
      push.repository,
    );
    return entities
      .filter(e => readsPushedBranch(e.url, push))
      .map(e => e.entityRef);
  }

  private enqueue(refs: string[]) {
    for (const ref of refs) this.queued.add(ref);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.options.batchMs ?? 1000);
      this.timer.unref?.();
    }
  }

  private flush() {
    this.running = this.running.then(async () => {
      const refs = [...this.queued];
      this.queued.clear();
      if (refs.length === 0) return;
      try {
        const outcome = await this.options.evaluate(refs);
        this.options.logger.info(
          `Maturity: after a push, ${outcome.records.length} evaluated, ${outcome.skipped} unchanged, ${outcome.failedRefs.length} failed`,
        );
      } catch (e) {
        // The next cycle evaluates them; nothing stored is lost.
        this.options.logger.warn(
          `Maturity: could not evaluate ${refs.length} entities after a push: ${e}`,
        );
      }
    });
  }
}
