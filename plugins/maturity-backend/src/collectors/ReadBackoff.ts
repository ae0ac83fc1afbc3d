/** How a repository whose reads keep failing is being spared. */
export interface BackoffState {
  /** Failed reads in a row. */
  failures: number;
  /** The last failure's reason. */
  reason: string;
  /** No scheduled read before this time. */
  until: Date;
}

/**
 * Spares repositories whose reads keep failing (a deleted repository, a
 * host answering 503, credentials that cannot see it): each one cost SCM
 * requests on every cycle for the same failure. After the second failure
 * in a row the next scheduled read waits an hour, then twice as long each
 * time, up to a day; a push or a refresh still reads at once, and a good
 * read ends it. Kept in memory: a restarted instance tries each once more.
 */
export class ReadBackoff {
  private readonly states = new Map<string, BackoffState>();

  constructor(
    private readonly options: {
      firstWaitMs?: number;
      maxWaitMs?: number;
      now?: () => number;
    } = {},
  ) {}

  /** Why and until when the repository is not to be read, if it is not. */
  waiting(url: string): BackoffState | undefined {
    const state = this.states.get(url);
    return state && state.until.getTime() > this.now() ? state : undefined;
  }

  failed(url: string, reason: string) {
    const failures = (this.states.get(url)?.failures ?? 0) + 1;
    const first = this.options.firstWaitMs ?? 3_600_000;
    const max = this.options.maxWaitMs ?? 24 * 3_600_000;
    // One failure may be a blip: the next cycle tries again.
    const waitMs =
      failures < 2 ? 0 : Math.min(first * 2 ** (failures - 2), max);
    this.states.set(url, {
      failures,
      reason,
      until: new Date(this.now() + waitMs),
    });
  }

  succeeded(url: string) {
    this.states.delete(url);
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }
}
