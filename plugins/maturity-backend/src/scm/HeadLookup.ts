import { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';

/** Learns the head commits of many repositories at once, where the SCM can. */
export interface HeadLookup {
  /**
   * The commit each URL's read would be tagged with (its etag), for the URLs
   * the SCM answered, or null when it says there is no such repository;
   * URLs it cannot answer for are left out (read them as usual).
   */
  heads(urls: readonly string[]): Promise<Map<string, string | null>>;
}

/**
 * Sends each URL to the head lookup of its host's integration type
 * (`github`, `gitlab`, ...), all types at once. URLs of a host no
 * integration knows, or of a type without a lookup, are left out, to be
 * read as usual; so is every URL of a lookup that throws.
 */
export class HeadLookupByIntegration implements HeadLookup {
  constructor(
    private readonly options: {
      integrations: ScmIntegrationRegistry;
      /** The lookup per integration type, e.g. `{ github, gitlab }`. */
      lookups: Readonly<Record<string, HeadLookup | undefined>>;
      logger: LoggerService;
    },
  ) {}

  async heads(urls: readonly string[]): Promise<Map<string, string | null>> {
    const { integrations, lookups, logger } = this.options;
    const byType = new Map<string, string[]>();
    for (const url of new Set(urls)) {
      let type: string | undefined;
      try {
        type = integrations.byUrl(url)?.type;
      } catch {
        continue; // not a URL
      }
      if (!type || !lookups[type]) continue;
      const list = byType.get(type) ?? [];
      list.push(url);
      byType.set(type, list);
    }
    const out = new Map<string, string | null>();
    await Promise.all(
      [...byType].map(async ([type, list]) => {
        try {
          for (const [url, sha] of await lookups[type]!.heads(list)) {
            out.set(url, sha);
          }
        } catch (e) {
          logger.warn(
            `Maturity: ${type} head lookup of ${list.length} repositories failed, reading them as usual: ${e}`,
          );
        }
      }),
    );
    return out;
  }
}
