import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_ATTEST_PREFIX,
  ANNOTATION_EXEMPT_PREFIX,
  CheckResult,
  MaturityCheckDefinition,
  ParsedMaturityAnnotations,
} from '@cnmaturity/plugin-maturity-common';
import { OrgControl } from '../orgControls/readOrgControls';
import { OrgControlMatch } from '../orgControls/orgControlsFor';

type Declarations = Pick<
  ParsedMaturityAnnotations,
  'exemptions' | 'attestations'
> & {
  /** Org-wide controls covering the entity, by check id. */
  orgControls?: Record<string, OrgControlMatch>;
};

function orgControlPass(checkId: string, control: OrgControl): CheckResult {
  const { id, title, description, reviewed, evidence } = control;
  return {
    checkId,
    status: 'pass',
    message: `Satisfied by the org-wide control ${id}${
      title ? ` "${title}"` : ''
    } (reviewed ${reviewed}).${description ? ` ${description}` : ''}`,
    evidence: [
      { type: 'org-control', label: id, value: reviewed, ref: evidence },
    ],
  };
}

/**
 * What owners and the platform declare, applied on top of what the checks
 * found, the same way for every check: a check that does not apply to the
 * entity's type is not-applicable. For a check that does not pass on its own
 * evidence, the first that holds wins: a fresh org-wide control (from config,
 * for any check it lists), a fresh attestation (attestable checks only), a
 * valid exemption (with its reason). A lapsed control, an expired attestation
 * or exemption changes nothing, and the message says so.
 */
export function applyDeclarations(
  definitions: readonly MaturityCheckDefinition[],
  entity: Entity,
  results: readonly CheckResult[],
  declared: Declarations,
): CheckResult[] {
  const byId = new Map(definitions.map(d => [d.id, d]));
  const type = typeof entity.spec?.type === 'string' ? entity.spec.type : '';
  return results.map(result => {
    const def = byId.get(result.checkId);
    if (!def) return result;
    if (def.appliesTo && !def.appliesTo.includes(type)) {
      return {
        checkId: result.checkId,
        status: 'not-applicable',
        message: `Does not apply to entities of type "${
          type || 'unset'
        }" (applies to ${def.appliesTo.join(', ')}).`,
        evidence: [{ type: 'catalog', label: 'spec.type', value: type }],
      };
    }
    if (result.status === 'pass') return result;

    const org = declared.orgControls?.[def.id];
    if (org && !org.lapsed && result.status !== 'not-applicable') {
      return orgControlPass(def.id, org.control);
    }

    const attestation = Object.prototype.hasOwnProperty.call(
      declared.attestations,
      def.id,
    )
      ? declared.attestations[def.id]
      : undefined;
    const attestKey = `${ANNOTATION_ATTEST_PREFIX}${def.id}`;
    if (def.attestable && attestation && !attestation.expired) {
      return {
        checkId: def.id,
        status: 'pass',
        message: attestation.by
          ? `Attested by ${attestation.by} on ${attestation.date}${
              attestation.expiresOn
                ? `, valid through ${attestation.expiresOn}`
                : ''
            }.`
          : `Attested on ${attestation.date}.`,
        evidence: [
          {
            type: 'attestation',
            label: attestation.by ? `attested by ${attestation.by}` : attestKey,
            value: attestation.date,
            ref: attestation.url,
          },
        ],
      };
    }

    const exemption = Object.prototype.hasOwnProperty.call(
      declared.exemptions,
      def.id,
    )
      ? declared.exemptions[def.id]
      : undefined;
    const exemptKey = `${ANNOTATION_EXEMPT_PREFIX}${def.id}`;
    if (exemption && !exemption.expired) {
      return {
        checkId: def.id,
        status: 'exempt',
        message: `Exempt: ${exemption.reason}${
          exemption.until ? ` (until ${exemption.until})` : ''
        }`,
        evidence: [
          { type: 'annotation', label: exemptKey, value: exemption.reason },
        ],
      };
    }

    const lapsed: string[] = [];
    if (org?.lapsed) {
      lapsed.push(
        `the org control ${org.control.id} lapsed: last reviewed ${org.control.reviewed}, over ${org.maxAgeDays} days ago`,
      );
    }
    if (attestation?.expired && def.attestable) {
      lapsed.push(
        attestation.expiresOn
          ? `the attestation by ${attestation.by} lapsed after ${attestation.expiresOn}`
          : `the attestation of ${attestation.date} has expired`,
      );
    }
    if (exemption?.expired) {
      lapsed.push(`the exemption lapsed on ${exemption.until}`);
    }
    return lapsed.length
      ? { ...result, message: `${result.message} (${lapsed.join('; ')})` }
      : result;
  });
}
