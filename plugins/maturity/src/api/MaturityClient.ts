import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EntityMaturityResult,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import { MaturityApi } from './MaturityApi';

/**
 * Talks to `/api/maturity` with the signed-in user's token.
 * @public
 */
export class MaturityClient implements MaturityApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getEntityResult(
    ref: CompoundEntityRef,
  ): Promise<EntityMaturityResult | undefined> {
    const path = `/entities/${encodeURIComponent(
      ref.kind,
    )}/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`;
    return this.request<EntityMaturityResult>(path, { notFound: 'undefined' });
  }

  async getRubric(): Promise<{ checks: MaturityCheckDefinition[] }> {
    return (await this.request<{ checks: MaturityCheckDefinition[] }>(
      '/rubric',
    ))!;
  }

  private async request<T>(
    path: string,
    options: { notFound?: 'undefined' } = {},
  ): Promise<T | undefined> {
    const baseUrl = await this.discoveryApi.getBaseUrl('maturity');
    const res = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (res.status === 404 && options.notFound === 'undefined') {
      return undefined;
    }
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return (await res.json()) as T;
  }
}
