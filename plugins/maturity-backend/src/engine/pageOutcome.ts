import { LoggerService } from '@backstage/backend-plugin-api';
import { MaturityCheck } from '@cnmaturity/plugin-maturity-rules';
import { utcDay } from '../database/days';
import { StoredResultRecord } from '../database/MaturityStore';
import { EntityInputs } from './inputsHash';

/** An entity whose inputs changed (or could not be told from its key fields). */
export interface ChangedEntity {
  ref: string;
  inputs: Pick<EntityInputs, 'repository' | 'facts' | 'attestations'>;
  /** The hash stored with its last result; null: cleared, undefined: no result. */
  storedHash: string | null | undefined;
}

/** A page evaluated, to be stored. */
export interface PageOutcome {
  records: StoredResultRecord[];
  skipped: number;
  /** Not evaluated: their stored results are kept, marked stale. */
  failedRefs: string[];
  /** Why, for the stale mark and the error of evaluateOne. */
  lastError: string;
  /**
   * Not evaluated because the SCM request budget held their repository
   * read back: stored results are kept, marked stale with `heldReason`.
   */
  heldRefs?: string[];
  heldReason?: string;
}

/**
 * A page whose repositories were read. Fetched whole, its changed entities
 * are evaluated already; fetched by their key fields, they are still to be
 * fetched whole and evaluated.
 */
export interface ReadPage extends PageOutcome {
  changed: ChangedEntity[];
}

export const errorMessage = (e: unknown) =>
  e instanceof Error ? e.message : String(e);

/**
 * One page's evaluation under way: its clock and checks, and the entities
 * skipped or failed so far (carried over from the page's read).
 */
export class PageTally {
  readonly now = new Date();
  readonly day = utcDay(this.now);
  skipped: number;
  private readonly failedRefs: string[];
  private lastError: string;
  private readonly heldRefs: string[];
  private heldReason?: string;

  constructor(
    readonly checks: readonly MaturityCheck[],
    private readonly logger: LoggerService,
    from?: Omit<PageOutcome, 'records'>,
  ) {
    this.skipped = from?.skipped ?? 0;
    this.failedRefs = [...(from?.failedRefs ?? [])];
    this.lastError = from?.lastError ?? '';
    this.heldRefs = [...(from?.heldRefs ?? [])];
    this.heldReason = from?.heldReason;
  }

  /** Held back by the request budget: not a failure, so not logged per entity. */
  hold(ref: string, reason: string) {
    this.heldRefs.push(ref);
    this.heldReason = reason;
  }

  /** One malformed entity must not stop the rest of the page. */
  fail(ref: string, e: unknown) {
    this.lastError = `the evaluation failed: ${errorMessage(e)}`;
    this.failedRefs.push(ref);
    this.logger
      .child({ entity: ref })
      .warn(`Could not evaluate entity: ${errorMessage(e)}`);
  }

  outcome(records: StoredResultRecord[]): PageOutcome {
    const { skipped, failedRefs, lastError, heldRefs, heldReason } = this;
    return {
      records,
      skipped,
      failedRefs,
      lastError,
      ...(heldRefs.length ? { heldRefs, heldReason } : {}),
    };
  }
}
