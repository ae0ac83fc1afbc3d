import { MaturityScmResourceStatus } from '@cnmaturity/plugin-maturity-common';
import { setTimeout as sleep } from 'node:timers/promises';

/** GitHub's separately limited resources: REST (`core`) and GraphQL points. */
export type ScmResource = 'core' | 'graphql';

/** Headers as fetch and node-fetch give them. */
export interface HeaderSource {
  get(name: string): string | null;
}

/** Why a request may not be made now, and until when. */
export interface Held {
  until: Date;
  reason: string;
}

/** What the budget knows of one resource of one host, for the status page. */
export type ResourceStatus = MaturityScmResourceStatus;

interface State {
  limit: number;
  remaining?: number;
  resetAt?: number;
  /** Spent requests (time, cost) in the last window, oldest first. */
  spent: Array<[number, number]>;
  spentTotal: number;
  /** Pacing tokens: may go below zero, which queues later callers. */
  tokens: number;
  tokensAt: number;
  heldUntil?: number;
  heldReason?: string;
}

const WINDOW_MS = 3_600_000;

/**
 * The plugin's share of an SCM host's API rate limit. Each request is
 * taken from it first: the plugin spends at most `share` of the limit per
 * hour (so the catalog and other plugins keep theirs), paced evenly over
 * the hour rather than in bursts, and nothing while the SCM says the limit
 * is used up. It learns the limit and the reset time from the rate-limit
 * headers of the responses it is shown.
 */
export class ScmRequestBudget {
  private readonly states = new Map<string, State>();
  private readonly share: number;
  private readonly defaultLimit: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<unknown>;
  /** Pacing burst: this part of the hourly allowance may be spent at once. */
  private readonly burst: number;

  constructor(
    options: {
      /** Share of the limit the plugin may spend, 0 < share <= 1 (default 0.5). */
      share?: number;
      /** Limit per hour assumed until the SCM reports one (default 5000). */
      defaultLimit?: number;
      now?: () => number;
      sleep?: (ms: number) => Promise<unknown>;
      burst?: number;
    } = {},
  ) {
    this.share = options.share ?? 0.5;
    this.defaultLimit = options.defaultLimit ?? 5000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleep;
    // A fifth of the hour's allowance may go at once: a small organisation's
    // first read is not paced at all, a large one's is spread over hours.
    this.burst = options.burst ?? 0.2;
  }

  /** Learns the limit, what is left and the reset from a response's headers. */
  observe(host: string, resource: ScmResource, headers: HeaderSource) {
    const remaining = headers.get('x-ratelimit-remaining');
    this.report(host, resource, {
      limit: Number(headers.get('x-ratelimit-limit')),
      remaining: remaining === null ? undefined : Number(remaining),
      reset: Number(headers.get('x-ratelimit-reset')),
    });
  }

  /**
   * Learns what the SCM reported: the limit per window, what is left for
   * everyone (the catalog's and other plugins' requests included) and the
   * reset (epoch seconds).
   */
  report(
    host: string,
    resource: ScmResource,
    figures: { limit: number; remaining?: number; reset?: number },
  ) {
    const { limit, remaining, reset } = figures;
    if (!Number.isFinite(limit) || limit <= 0) return;
    const s = this.state(host, resource);
    s.limit = limit;
    if (remaining !== undefined && Number.isFinite(remaining)) {
      s.remaining = remaining;
    }
    if (reset !== undefined && Number.isFinite(reset) && reset > 0) {
      s.resetAt = reset * 1000;
    }
    if (s.remaining === 0 && s.resetAt && s.resetAt > this.now()) {
      this.hold(s, s.resetAt, 'the SCM reports its rate limit used up');
    }
  }

  /**
   * The SCM refused a request for its rate limit (403 or 429): nothing more
   * until `resetAt`, or a minute when it did not say.
   */
  limited(host: string, resource: ScmResource, resetAt?: Date) {
    const s = this.state(host, resource);
    const now = this.now();
    let until = now + 60_000;
    if (resetAt && resetAt.getTime() > now) until = resetAt.getTime();
    else if (s.resetAt && s.resetAt > now) until = s.resetAt;
    s.remaining = 0;
    this.hold(s, until, 'the SCM refused a request: rate limit exceeded');
  }

  /**
   * Takes `cost` requests, waiting for the pace up to `deadline`; returns
   * why not when they cannot be had by then. `urgent` requests (a push a
   * person waits for) skip the pace but not the share or a hold.
   */
  async take(
    host: string,
    resource: ScmResource,
    cost: number,
    options: { deadline?: number; urgent?: boolean } = {},
  ): Promise<Held | undefined> {
    const s = this.state(host, resource);
    const now = this.now();
    if (s.heldUntil && s.heldUntil > now) {
      return { until: new Date(s.heldUntil), reason: s.heldReason! };
    }
    if (
      s.remaining !== undefined &&
      s.remaining < cost &&
      s.resetAt &&
      s.resetAt > now
    ) {
      return {
        until: new Date(s.resetAt),
        reason: 'the SCM reports its rate limit used up',
      };
    }
    this.forgetOld(s, now);
    const allowance = this.allowance(s);
    if (s.spentTotal + cost > allowance) {
      // Our share of this hour is spent: free again as the oldest age out.
      let freed = s.spentTotal + cost - allowance;
      let until = now + WINDOW_MS;
      for (const [at, c] of s.spent) {
        freed -= c;
        if (freed <= 0) {
          until = at + WINDOW_MS;
          break;
        }
      }
      return {
        until: new Date(until),
        reason: `this plugin's share (${Math.round(
          this.share * 100,
        )}%) of the rate limit is spent`,
      };
    }
    if (!options.urgent) {
      this.refill(s, now);
      const rate = allowance / WINDOW_MS;
      const readyAt = now + Math.max(0, (cost - s.tokens) / rate);
      if (readyAt > (options.deadline ?? now)) {
        return {
          until: new Date(readyAt),
          reason: 'reads are paced over the hour to keep to the share',
        };
      }
      s.tokens -= cost;
      // Counted from when it is made (after the wait), or it would age out
      // of the hour too early and let more than the share through.
      this.spend(s, readyAt, cost);
      if (readyAt > now) await this.sleep(readyAt - now);
      return undefined;
    }
    this.spend(s, now, cost);
    return undefined;
  }

  /** What the budget knows of each resource of the host. */
  status(host: string): ResourceStatus[] {
    const now = this.now();
    const out: ResourceStatus[] = [];
    for (const resource of ['core', 'graphql'] as const) {
      const s = this.states.get(`${host} ${resource}`);
      if (!s) continue;
      this.forgetOld(s, now);
      const held = s.heldUntil && s.heldUntil > now;
      out.push({
        resource,
        limit: s.limit,
        ...(s.remaining !== undefined ? { remaining: s.remaining } : {}),
        ...(s.resetAt ? { resetAt: new Date(s.resetAt).toISOString() } : {}),
        allowance: this.allowance(s),
        spent: s.spentTotal,
        ...(held
          ? {
              heldUntil: new Date(s.heldUntil!).toISOString(),
              heldReason: s.heldReason,
            }
          : {}),
      });
    }
    return out;
  }

  /** Requests per hour the plugin may spend on the resource. */
  allowanceOf(host: string, resource: ScmResource): number {
    return this.allowance(this.state(host, resource));
  }

  private allowance(s: State) {
    return Math.max(1, Math.floor(s.limit * this.share));
  }

  private hold(s: State, until: number, reason: string) {
    if (!s.heldUntil || s.heldUntil < until) {
      s.heldUntil = until;
      s.heldReason = reason;
    }
  }

  private spend(s: State, at: number, cost: number) {
    s.spent.push([at, cost]);
    s.spentTotal += cost;
    if (s.remaining !== undefined)
      s.remaining = Math.max(0, s.remaining - cost);
  }

  private forgetOld(s: State, now: number) {
    while (s.spent.length && s.spent[0][0] <= now - WINDOW_MS) {
      s.spentTotal -= s.spent.shift()![1];
    }
  }

  private refill(s: State, now: number) {
    const allowance = this.allowance(s);
    const capacity = Math.max(1, allowance * this.burst);
    s.tokens = Math.min(
      capacity,
      s.tokens + ((now - s.tokensAt) * allowance) / WINDOW_MS,
    );
    s.tokensAt = now;
  }

  private state(host: string, resource: ScmResource): State {
    const key = `${host} ${resource}`;
    let s = this.states.get(key);
    if (!s) {
      const now = this.now();
      s = {
        limit: this.defaultLimit,
        spent: [],
        spentTotal: 0,
        tokens: 0,
        tokensAt: now,
      };
      // Starts with a full burst, so the first reads do not wait.
      s.tokens = Math.max(1, this.allowance(s) * this.burst);
      this.states.set(key, s);
    }
    return s;
  }
}
