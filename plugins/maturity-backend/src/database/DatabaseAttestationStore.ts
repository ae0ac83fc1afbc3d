import { DatabaseService } from '@backstage/backend-plugin-api';
import { MaturityAttestation } from '@cnmaturity/plugin-maturity-common';
import { Knex } from 'knex';

/** Where owners' attestations live. */
export interface AttestationStore {
  addAttestation(attestation: MaturityAttestation): Promise<void>;
  /** The newest attestation per check for each entity ref (lower case). */
  latestAttestations(
    entityRefs: string[],
  ): Promise<Map<string, MaturityAttestation[]>>;
}

/** A row of `maturity_attestations`. */
interface RawAttestationRow {
  id: number;
  entity_ref: string;
  check_id: string;
  attested_by: string;
  attested_at: Date | string | number;
  expires_on: string;
  evidence_url: string;
  comment: string | null;
}

/**
 * Knex-backed attestation store. Every attestation is kept, so who attested
 * what and when stays auditable; the checks read the newest per check.
 * Migrations are run by DatabaseMaturityStore, which the plugin creates first.
 */
export class DatabaseAttestationStore implements AttestationStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseAttestationStore> {
    return new DatabaseAttestationStore(await options.database.getClient());
  }

  private constructor(private readonly db: Knex) {}

  async addAttestation(a: MaturityAttestation): Promise<void> {
    await this.db('maturity_attestations').insert({
      entity_ref: a.entityRef,
      check_id: a.checkId,
      attested_by: a.attestedBy,
      attested_at: new Date(a.attestedAt),
      expires_on: a.expiresOn,
      evidence_url: a.evidenceUrl,
      comment: a.comment ?? null,
    });
  }

  async latestAttestations(
    entityRefs: string[],
  ): Promise<Map<string, MaturityAttestation[]>> {
    const out = new Map<string, MaturityAttestation[]>();
    const seen = new Set<string>();
    for (let i = 0; i < entityRefs.length; i += 500) {
      const rows = await this.db<RawAttestationRow>('maturity_attestations')
        .whereIn('entity_ref', entityRefs.slice(i, i + 500))
        .orderBy([
          { column: 'entity_ref' },
          { column: 'check_id' },
          { column: 'attested_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ]);
      for (const row of rows) {
        const key = `${row.entity_ref}\0${row.check_id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const list = out.get(row.entity_ref) ?? [];
        list.push({
          entityRef: row.entity_ref,
          checkId: row.check_id,
          attestedBy: row.attested_by,
          attestedAt: new Date(row.attested_at).toISOString(),
          expiresOn: row.expires_on,
          evidenceUrl: row.evidence_url,
          ...(row.comment ? { comment: row.comment } : {}),
        });
        out.set(row.entity_ref, list);
      }
    }
    return out;
  }
}
