import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/** Which entity refs (lower case) the caller may read; `all` skips the filter. */
export type Visibility = 'all' | ReadonlySet<string>;

const CACHE_MS = 30_000;
const CACHE_ENTRIES = 200;

/**
 * Decides which evaluated entities a caller may see in the summary and the
 * CSV, by the catalog's own read permission. When the policy allows or
 * denies outright, that is one permission call. When it is conditional
 * (e.g. "only entities you own"), the catalog is asked, with the caller's
 * credentials, which entities it returns; that list is kept for 30 seconds
 * per caller so paging through a large result stays fast.
 */
export class CatalogVisibility {
  private readonly cache = new Map<
    string,
    { at: number; refs: ReadonlySet<string> }
  >();

  constructor(
    private readonly options: {
      permissions: PermissionsService;
      catalog: CatalogService;
      kinds: string[];
    },
  ) {}

  async forCaller(credentials: BackstageCredentials): Promise<Visibility> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission: catalogEntityReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.ALLOW) return 'all';
    if (decision.result === AuthorizeResult.DENY) return new Set();

    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
      subject?: string;
    };
    const key = `${principal.type}:${
      principal.userEntityRef ?? principal.subject ?? ''
    }`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.refs;

    const refs = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: 1000 }
          : {
              filter: { kind: this.options.kinds },
              fields: ['kind', 'metadata.namespace', 'metadata.name'],
              limit: 1000,
            },
        { credentials },
      );
      for (const e of page.items) {
        refs.add(stringifyEntityRef(e).toLocaleLowerCase('en-US'));
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    if (this.cache.size >= CACHE_ENTRIES) this.cache.clear();
    this.cache.set(key, { at: Date.now(), refs });
    return refs;
  }
}
