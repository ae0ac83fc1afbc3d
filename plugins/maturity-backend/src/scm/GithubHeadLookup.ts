import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { HeadLookup } from './HeadLookup';
import { repositoryOf } from './repositoryKey';
import { ScmRequestBudget } from './RequestBudget';

/** Repositories per GraphQL query: GitHub's node limit for one query. */
const BATCH = 100;

interface Wanted {
  url: string;
  owner: string;
  name: string;
  /** The branch or tag the URL names; the default branch when undefined. */
  ref?: string;
}

interface Batch {
  host: string;
  endpoint: string;
  headers: Record<string, string>;
  wanted: Wanted[];
}

/** GitHub's GraphQL endpoint for an integration's REST base URL. */
export function graphqlEndpoint(apiBaseUrl: string): string {
  const base = apiBaseUrl.replace(/\/+$/, '');
  // GitHub Enterprise Server: https://host/api/v3 -> https://host/api/graphql
  return base.endsWith('/api/v3')
    ? `${base.slice(0, -'/v3'.length)}/graphql`
    : `${base}/graphql`;
}

/** One query for the heads of up to 100 repositories, with variables. */
export function headsQuery(wanted: readonly Wanted[]): {
  query: string;
  variables: Record<string, string>;
} {
  const params: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  wanted.forEach((w, i) => {
    params.push(`$o${i}:String!`, `$n${i}:String!`);
    variables[`o${i}`] = w.owner;
    variables[`n${i}`] = w.name;
    let selection = 'defaultBranchRef{target{oid}}';
    if (w.ref) {
      params.push(`$e${i}:String!`);
      variables[`e${i}`] = w.ref;
      selection = `head:object(expression:$e${i}){...on Commit{oid}}`;
    }
    fields.push(`r${i}:repository(owner:$o${i},name:$n${i}){${selection}}`);
  });
  return {
    query: `query(${params.join(
      ',',
    )}){rateLimit{limit cost remaining resetAt} ${fields.join(' ')}}`,
    variables,
  };
}

type Json = Record<string, any>;

/**
 * Head commits of GitHub repositories, 100 per GraphQL query, with the
 * credentials Backstage's GitHub integration gives for each repository (a
 * token or a GitHub App installation). GitHub's reader uses the head commit
 * as the etag of `readTree`, so an unchanged repository is known without a
 * request of its own. Queries are taken from the request budget; a refused
 * or failed query leaves its URLs out, to be read as usual.
 */
export class GithubHeadLookup implements HeadLookup {
  private readonly credentials: GithubCredentialsProvider;
  private readonly fetch: typeof fetch;

  constructor(
    private readonly options: {
      integrations: ScmIntegrationRegistry;
      logger: LoggerService;
      budget?: ScmRequestBudget;
      credentials?: GithubCredentialsProvider;
      fetch?: typeof fetch;
    },
  ) {
    this.credentials =
      options.credentials ??
      DefaultGithubCredentialsProvider.fromIntegrations(options.integrations);
    this.fetch = options.fetch ?? fetch;
  }

  async heads(urls: readonly string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    let batches: Batch[];
    try {
      batches = await this.batches(urls);
    } catch (e) {
      this.options.logger.warn(`Maturity: no GitHub head lookup: ${e}`);
      return out;
    }
    await Promise.all(batches.map(b => this.query(b, out)));
    return out;
  }

  /** The URLs that are GitHub repositories, grouped by endpoint and credentials. */
  private async batches(urls: readonly string[]): Promise<Batch[]> {
    const groups = new Map<string, Batch>();
    for (const url of new Set(urls)) {
      const integration = this.options.integrations.github.byUrl(url);
      const repository = repositoryOf(url);
      if (!integration?.config.apiBaseUrl || !repository) continue;
      const [owner, name, ...rest] = repository.path.split('/');
      if (!owner || !name || rest.length) continue;
      const { headers = {} } = await this.credentials.getCredentials({
        url: `https://${integration.config.host}/${owner}/${name}`,
      });
      const endpoint = graphqlEndpoint(integration.config.apiBaseUrl);
      const key = `${endpoint} ${JSON.stringify(headers)}`;
      let group = groups.get(key);
      if (!group) {
        group = {
          host: integration.config.host,
          endpoint,
          headers,
          wanted: [],
        };
        groups.set(key, group);
      }
      group.wanted.push({
        url,
        owner,
        name,
        ...(repository.ref ? { ref: repository.ref } : {}),
      });
    }
    return [...groups.values()].flatMap(g =>
      Array.from({ length: Math.ceil(g.wanted.length / BATCH) }, (_, i) => ({
        ...g,
        wanted: g.wanted.slice(i * BATCH, (i + 1) * BATCH),
      })),
    );
  }

  private async query(batch: Batch, out: Map<string, string | null>) {
    const { budget, logger } = this.options;
    const held = await budget?.take(batch.host, 'graphql', 1, {
      deadline: Date.now() + 10_000,
    });
    if (held) return;
    let body: Json;
    try {
      const response = await this.fetch(batch.endpoint, {
        method: 'POST',
        headers: { ...batch.headers, 'content-type': 'application/json' },
        body: JSON.stringify(headsQuery(batch.wanted)),
      });
      budget?.observe(batch.host, 'graphql', response.headers);
      if (response.status === 403 || response.status === 429) {
        budget?.limited(batch.host, 'graphql', resetOf(response.headers));
        throw new Error(`${response.status} rate limited`);
      }
      if (!response.ok) throw new Error(`${response.status}`);
      body = (await response.json()) as Json;
    } catch (e) {
      logger.warn(
        `Maturity: head lookup of ${batch.wanted.length} repositories on ${batch.host} failed, reading them as usual: ${e}`,
      );
      return;
    }
    const errors: Json[] = Array.isArray(body?.errors) ? body.errors : [];
    if (errors.some(e => e?.type === 'RATE_LIMITED')) {
      const resetAt = body?.data?.rateLimit?.resetAt;
      budget?.limited(
        batch.host,
        'graphql',
        resetAt ? new Date(resetAt) : undefined,
      );
      logger.warn(
        `Maturity: head lookup of ${batch.wanted.length} repositories on ${batch.host} was rate limited, reading the unanswered as usual`,
      );
    }
    const data: Json = body?.data ?? {};
    const missing = new Set(
      errors
        .filter(e => e?.type === 'NOT_FOUND' && Array.isArray(e.path))
        .map(e => String(e.path[0])),
    );
    batch.wanted.forEach((w, i) => {
      const repo = data[`r${i}`];
      const oid = w.ref ? repo?.head?.oid : repo?.defaultBranchRef?.target?.oid;
      if (typeof oid === 'string' && oid) out.set(w.url, oid);
      else if (repo === null && missing.has(`r${i}`)) out.set(w.url, null);
    });
  }
}

/** The reset time of a rate-limited response: x-ratelimit-reset or retry-after. */
export function resetOf(headers: {
  get(name: string): string | null;
}): Date | undefined {
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return new Date(reset * 1000);
  const retryAfter = Number(headers.get('retry-after') || NaN);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) {
    return new Date(Date.now() + retryAfter * 1000);
  }
  return undefined;
}
