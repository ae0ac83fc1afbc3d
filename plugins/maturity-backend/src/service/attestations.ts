import { InputError } from '@backstage/errors';
import { MaturityCheckDefinition } from '@cnmaturity/plugin-maturity-common';
import { z } from 'zod';
import { inputErrorFromZod } from './zodError';

const DAY_MS = 24 * 60 * 60 * 1000;

const httpUrl = z
  .string()
  .max(2000)
  .refine(v => {
    try {
      const url = new URL(v);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const bodySchema = z
  .object({
    checkId: z.string().min(1).max(127),
    evidenceUrl: httpUrl,
    comment: z.string().max(1000).optional(),
    expiresOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date, YYYY-MM-DD')
      .refine(
        v => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)),
        'must be a date',
      )
      .optional(),
  })
  .strict();

export interface ParsedAttestation {
  checkId: string;
  evidenceUrl: string;
  comment?: string;
  expiresOn: string;
}

/**
 * Validates a `POST .../attestations` body: the check must exist and be
 * one that people attest; the expiry is in the future and no later than the
 * maximum attestation age, which is also its default.
 */
export function parseAttestationBody(
  body: unknown,
  checks: readonly MaturityCheckDefinition[],
  options: { now: Date; maxAgeDays: number },
): ParsedAttestation {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) throw inputErrorFromZod('attestation', parsed.error);
  const { checkId, evidenceUrl, comment, expiresOn } = parsed.data;
  const check = checks.find(c => c.id === checkId);
  if (!check) {
    throw new InputError(
      `Invalid attestation: checkId: no check "${checkId}" in the rubric`,
    );
  }
  if (!check.attestable) {
    throw new InputError(
      `Invalid attestation: checkId: "${checkId}" is decided from evidence and cannot be attested`,
    );
  }
  const today = options.now.toISOString().slice(0, 10);
  const latest = new Date(options.now.getTime() + options.maxAgeDays * DAY_MS)
    .toISOString()
    .slice(0, 10);
  if (expiresOn !== undefined && expiresOn < today) {
    throw new InputError(
      `Invalid attestation: expiresOn: ${expiresOn} is in the past`,
    );
  }
  if (expiresOn !== undefined && expiresOn > latest) {
    throw new InputError(
      `Invalid attestation: expiresOn: at most ${options.maxAgeDays} days ahead (${latest})`,
    );
  }
  return {
    checkId,
    evidenceUrl,
    ...(comment?.trim() ? { comment: comment.trim() } : {}),
    expiresOn: expiresOn ?? latest,
  };
}
