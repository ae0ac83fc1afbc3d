import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { repositoryOf } from './repositoryKey';
import { Held, ScmRequestBudget } from './RequestBudget';

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
    const integration = this.options.integrations.github.byUrl(url);
    const base = integration?.config.apiBaseUrl;
    if (!integration || !base) return undefined;
    try {
      const { headers = {} } = await this.credentials.getCredentials({ url });
      const response = await this.fetch(
        `${base.replace(/\/+$/, '')}/rate_limit`,
        { headers },
      );
      if (!response.ok) return undefined;
      this.options.budget.observe(
        integration.config.host,
        'core',
        response.headers,
      );
      const body = (await response.json()) as {
        resources?: { core?: { reset?: number } };
      };
      const reset = body.resources?.core?.reset;
      return typeof reset === 'number' ? new Date(reset * 1000) : undefined;
    } catch (e) {
      this.options.logger.debug(
        `Maturity: could not ask ${base}/rate_limit: ${e}`,
      );
      return undefined;
    }
  }
}
