import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
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
} from '@cnmaturity/plugin-maturity-common';

/** What an owner sends to attest a check. @public */
export interface MaturityAttestationRequest {
  checkId: string;
  evidenceUrl: string;
  comment?: string;
  /** `YYYY-MM-DD`; defaults to the backend's maximum attestation age. */
  expiresOn?: string;
}

/**
 * Reads maturity results from the maturity backend.
 * @public
 */
export interface MaturityApi {
  /** The latest result, or undefined when the entity was not evaluated yet. */
  getEntityResult(
    ref: CompoundEntityRef,
  ): Promise<EntityMaturityResult | undefined>;
  /** One point per day, oldest first. */
  getEntityHistory(
    ref: CompoundEntityRef,
    days?: number,
  ): Promise<MaturityHistoryPoint[]>;
  /** Re-evaluates the entity now (needs `maturity.entity.refresh`). */
  refreshEntity(ref: CompoundEntityRef): Promise<EntityMaturityResult>;
  /** Attests a check (needs `maturity.entity.attest`). */
  attest(
    ref: CompoundEntityRef,
    request: MaturityAttestationRequest,
  ): Promise<{
    attestation: MaturityAttestation;
    result: EntityMaturityResult;
  }>;
  /** Totals, rollups and one page of rows. */
  getSummary(query: MaturitySummaryQuery): Promise<MaturitySummary>;
  /** Every row of the query as CSV. */
  getSummaryCsv(query: MaturitySummaryQuery): Promise<Blob>;
  /** Entities per level per day. */
  getTrend(
    filter: MaturitySummaryFilter,
    days?: number,
  ): Promise<MaturityTrendPoint[]>;
  /** The checks as configured on the backend. */
  getRubric(): Promise<{ checks: MaturityCheckDefinition[] }>;
  /**
   * How reading each SCM host stands: reads held back by the request
   * budget, until when, and what is still unread. Optional, so API
   * implementations written before it keep working.
   */
  getScmStatus?(): Promise<MaturityScmStatus>;
}

/** @public */
export const maturityApiRef = createApiRef<MaturityApi>({
  id: 'plugin.maturity.service',
});
