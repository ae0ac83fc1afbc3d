import { CompoundEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  MaturityScmStatus,
  EntityMaturityResult,
  MaturityAttestation,
  MaturityCheckDefinition,
  MaturityHistoryPoint,
  MaturitySummary,
  MaturitySummaryFilter,
  MaturitySummaryQuery,
  MaturityTrendPoint,
  summaryQueryToParams,
} from '@cnmaturity/plugin-maturity-common';
import { MaturityApi, MaturityAttestationRequest } from './MaturityApi';

const entityPath = (ref: CompoundEntityRef) =>
  `/entities/${encodeURIComponent(ref.kind)}/${encodeURIComponent(
    ref.namespace,
  )}/${encodeURIComponent(ref.name)}`;

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
    const res = await this.fetch(entityPath(ref));
    if (res.status === 404) return undefined;
    return this.json(res);
  }

  async getEntityHistory(
    ref: CompoundEntityRef,
    days = 90,
  ): Promise<MaturityHistoryPoint[]> {
    const body = await this.json<{ history: MaturityHistoryPoint[] }>(
      await this.fetch(`${entityPath(ref)}/history?days=${days}`),
    );
    return body.history;
  }

  async refreshEntity(ref: CompoundEntityRef): Promise<EntityMaturityResult> {
    return this.json(
      await this.fetch(`${entityPath(ref)}/refresh`, { method: 'POST' }),
    );
  }

  async attest(
    ref: CompoundEntityRef,
    request: MaturityAttestationRequest,
  ): Promise<{
    attestation: MaturityAttestation;
    result: EntityMaturityResult;
  }> {
    return this.json(
      await this.fetch(`${entityPath(ref)}/attestations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      }),
    );
  }

  async getSummary(query: MaturitySummaryQuery): Promise<MaturitySummary> {
    return this.json(
      await this.fetch(`/summary?${summaryQueryToParams(query)}`),
    );
  }

  async getSummaryCsv(query: MaturitySummaryQuery): Promise<Blob> {
    const params = summaryQueryToParams({
      ...query,
      cursor: undefined,
      limit: undefined,
    });
    const res = await this.fetch(`/summary.csv?${params}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.blob();
  }

  async getTrend(
    filter: MaturitySummaryFilter,
    days = 90,
  ): Promise<MaturityTrendPoint[]> {
    // The trend follows the entity filters; text and target filters are
    // for the table only.
    const params = summaryQueryToParams({
      owner: filter.owner,
      system: filter.system,
      domain: filter.domain,
      kind: filter.kind,
      type: filter.type,
      lifecycle: filter.lifecycle,
      level: filter.level,
      stale: filter.stale,
    });
    params.set('days', String(days));
    const body = await this.json<{ trend: MaturityTrendPoint[] }>(
      await this.fetch(`/trend?${params}`),
    );
    return body.trend;
  }

  async getRubric(): Promise<{ checks: MaturityCheckDefinition[] }> {
    return this.json(await this.fetch('/rubric'));
  }

  async getScmStatus(): Promise<MaturityScmStatus> {
    return this.json(await this.fetch('/scm-status'));
  }

  private async fetch(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('maturity');
    return this.fetchApi.fetch(`${baseUrl}${path}`, init);
  }

  private async json<T>(res: Response): Promise<T> {
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }
}
