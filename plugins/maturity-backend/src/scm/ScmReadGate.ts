import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { repositoryOf } from './repositoryKey';
import { Held, ScmRequestBudget } from './RequestBudget';

/** How often each host's real limits are asked for. */
const LEARN_EVERY_MS = 5 * 60_000;

type RateLimits = Partial<
  Record<
    'core' | 'graphql',
    { limit?: number; remaining?: number; reset?: number }
  >
>;

/** When a read may wait for the pace, and whether a person is waiting. */
export interface ReadTiming {
  /** Epoch ms until which a read may wait for its turn. */
  deadline?: number;
  /** A push or a refresh: not paced, still within the share. */
  urgent?: boolean;
}

/**
 * Puts the reads of GitHub repositories through the request budget: what a
 * `readTree` costs there (the head lookup, the branch when the URL names
 * none, the tarball), and, when GitHub refuses one for its rate limit,
 * when the limit resets (asked of `/rate_limit`, which costs nothing).
 * Other SCMs are not budgeted: their readers do not spend a request to
 * learn that nothing changed in the same way.
 */
export class ScmReadGate {
  private readonly credentials: GithubCredentialsProvider;
  private readonly fetch: typeof fetch;
  private readonly learnedAt = new Map<string, number>();

  constructor(
    private readonly options: {
      integrations: ScmIntegrationRegistry;
      budget: ScmRequestBudget;
      logger: LoggerService;
      credentials?: GithubCredentialsProvider;
      fetch?: typeof fetch;
    },
  ) {
    this.credentials =
      options.credentials ??
      DefaultGithubCredentialsProvider.fromIntegrations(options.integrations);
    this.fetch = options.fetch ?? fetch;
  }

  /** The budgeted host of a URL: a GitHub integration's. */
  hostOf(url: string): string | undefined {
    try {
      return this.options.integrations.github.byUrl(url)?.config.host;
    } catch {
      return undefined;
    }
  }

  /** Takes what one `readTree` of the URL costs; why not, when it may not. */
  async beforeTree(url: string, timing: ReadTiming): Promise<Held | undefined> {
    const host = this.hostOf(url);
    if (!host) return undefined;
    // The commit status, the tarball, and the repository when no branch is named.
    const cost = repositoryOf(url)?.ref ? 2 : 3;
    return this.options.budget.take(host, 'core', cost, timing);
  }

  /** Takes what one `readUrl` costs (shared CI files). */
  async beforeFile(url: string): Promise<Held | undefined> {
    const host = this.hostOf(url);
    if (!host) return undefined;
    return this.options.budget.take(host, 'core', 1, { urgent: true });
  }

  /**
   * After a failed read: when GitHub refused it for its rate limit, holds
   * the host's reads until the limit resets, and says until when.
   */
  async afterFailure(url: string, error: unknown): Promise<Held | undefined> {
    const host = this.hostOf(url);
    const message = error instanceof Error ? error.message : String(error);
    if (!host || !/rate limit|\b429\b/i.test(message)) return undefined;
    const reset = await this.resetOf(url);
    this.options.budget.limited(host, 'core', reset);
    return {
      until: reset ?? new Date(Date.now() + 60_000),
      reason: 'the SCM refused a read: rate limit exceeded',
    };
  }

  /** When the core limit resets, from `/rate_limit` (free of charge). */
  private async resetOf(url: string): Promise<Date | undefined> {
    const reset = (await this.rateLimits(url))?.core?.reset;
    return typeof reset === 'number' ? new Date(reset * 1000) : undefined;
  }

  /**
   * Learns each GitHub host's real limits and what is left of them for
   * everyone (the catalog and other plugins spend from the same limit),
   * from `/rate_limit`, which costs nothing; at most every few minutes per
   * host. Never throws.
   */
  async learnLimits(urls: readonly string[]): Promise<void> {
    const byHost = new Map<string, string>();
    for (const url of urls) {
      const host = this.hostOf(url);
      if (host && !byHost.has(host)) byHost.set(host, url);
    }
    const now = Date.now();
    await Promise.all(
      [...byHost].map(async ([host, url]) => {
        if (now - (this.learnedAt.get(host) ?? 0) < LEARN_EVERY_MS) return;
        this.learnedAt.set(host, now);
        await this.rateLimits(url);
      }),
    );
  }

  /** GET `/rate_limit` with the URL's credentials; the budget learns from it. */
  private async rateLimits(url: string): Promise<RateLimits | undefined> {
    const integration = this.options.integrations.github.byUrl(url);
    const base = integration?.config.apiBaseUrl;
    if (!integration || !base) return undefined;
    const host = integration.config.host;
    try {
      const { headers = {} } = await this.credentials.getCredentials({ url });
      const response = await this.fetch(
        `${base.replace(/\/+$/, '')}/rate_limit`,
        { headers },
      );
      if (!response.ok) return undefined;
      const body = (await response.json()) as { resources?: RateLimits };
      const resources = body.resources ?? {};
      for (const resource of ['core', 'graphql'] as const) {
        const r = resources[resource];
        if (r && typeof r.limit === 'number') {
          // The budget ignores figures that are not finite numbers.
          this.options.budget.report(host, resource, {
            limit: r.limit,
            remaining: r.remaining,
            reset: r.reset,
          });
        }
      }
      return resources;
    } catch (e) {
      this.options.logger.debug(
        `Maturity: could not ask ${base}/rate_limit: ${e}`,
      );
      return undefined;
    }
  }
}
