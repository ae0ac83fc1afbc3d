import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CheckResult,
  computeAreaLevels,
  computeLevel,
  computeScorePercent,
  MaturityAttestation,
  nextLevelSteps,
  parseMaturityAnnotations,
  ParsedMaturityAnnotations,
  resolveTarget,
} from '@cnmaturity/plugin-maturity-common';
import { MaturityCheck, MaturitySignals } from '../model';
import { resolveOwnerRef } from '../checks/people';
import { refOf } from '../entityRefs';
import { EntityResultRecord } from './result';
import { orgControlsFor } from '../orgControls/orgControlsFor';
import { OrgControl } from '../orgControls/readOrgControls';
import { applyDeclarations } from './applyDeclarations';
import { applyCatalogView, CatalogView } from './catalogView';
import { evaluateChecks } from './evaluateChecks';

const optionalString = (v: unknown) =>
  typeof v === 'string' && v ? v : undefined;

/**
 * The entities whose targets and declarations the entity inherits, nearest
 * first: itself, its System, that System's Domain, its owner Group.
 */
export function inheritanceChain(
  entity: Entity,
  related: ReadonlyMap<string, Entity>,
): Entity[] {
  const namespace = entity.metadata.namespace ?? 'default';
  const chain = [entity];
  const systemRef = refOf(entity.spec?.system, 'System', namespace);
  const system = systemRef ? related.get(systemRef) : undefined;
  if (system) {
    chain.push(system);
    const domainRef = refOf(
      system.spec?.domain,
      'Domain',
      system.metadata.namespace ?? 'default',
    );
    const domain = domainRef ? related.get(domainRef) : undefined;
    if (domain) chain.push(domain);
  }
  const owner = resolveOwnerRef(entity);
  const group = 'ref' in owner ? related.get(owner.ref) : undefined;
  if (group) chain.push(group);
  return chain;
}

/**
 * Declarations merged along the chain: the nearest entity wins per check.
 * An attestation made in the portal counts as the entity's own and wins over
 * an annotation when it is newer.
 */
function mergeDeclarations(
  parsed: ParsedMaturityAnnotations[],
  stored: readonly MaturityAttestation[],
  today: string,
) {
  const exemptions: ParsedMaturityAnnotations['exemptions'] =
    Object.create(null);
  const attestations: ParsedMaturityAnnotations['attestations'] =
    Object.create(null);
  for (const p of [...parsed].reverse()) {
    Object.assign(exemptions, p.exemptions);
    Object.assign(attestations, p.attestations);
  }
  for (const a of stored) {
    const date = a.attestedAt.slice(0, 10);
    const own = parsed[0]?.attestations[a.checkId];
    if (own && !own.expired && own.date > date) continue;
    attestations[a.checkId] = {
      date,
      url: a.evidenceUrl,
      by: a.attestedBy,
      expiresOn: a.expiresOn,
      expired: a.expiresOn < today,
    };
  }
  return { exemptions, attestations };
}

/**
 * Evaluates one entity from its signals: checks, then what owners and the
 * platform's org-wide controls declared, then level, area levels, score,
 * next steps and target. Pure.
 */
export function evaluateEntity(
  checks: readonly MaturityCheck[],
  signals: MaturitySignals,
  options: {
    attestationMaxAgeDays?: number;
    /** Attestations made in the portal, the newest per check. */
    attestations?: readonly MaturityAttestation[];
    /** Org-wide controls from config, see orgControlsFor. */
    orgControls?: readonly OrgControl[];
    /** Default 365. */
    orgControlReviewMaxAgeDays?: number;
    /** How much of the catalog is in view; `complete` in the backend. */
    catalogView?: CatalogView;
    /** Results of some checks computed elsewhere, see evaluateChecks. */
    precomputed?: ReadonlyMap<string, CheckResult>;
  } = {},
): EntityResultRecord {
  const { entity, related, now } = signals;
  const knownCheckIds = new Set(checks.map(c => c.id));
  const chain = inheritanceChain(entity, related);
  const parsed = chain.map(e =>
    parseMaturityAnnotations(e.metadata.annotations, {
      now,
      knownCheckIds,
      attestationMaxAgeDays: options.attestationMaxAgeDays,
    }),
  );
  const declared = applyDeclarations(
    checks,
    entity,
    evaluateChecks(checks, signals, options.precomputed),
    {
      ...mergeDeclarations(
        parsed,
        options.attestations ?? [],
        now.toISOString().slice(0, 10),
      ),
      orgControls: orgControlsFor(entity, options.orgControls ?? [], {
        now,
        reviewMaxAgeDays: options.orgControlReviewMaxAgeDays ?? 365,
      }),
    },
  );
  const { results, catalogDecided } = applyCatalogView(
    checks,
    signals,
    declared,
    options.catalogView ?? 'complete',
  );
  const level = computeLevel(checks, results);
  const target = resolveTarget(
    chain.map((e, i) => ({
      ref: stringifyEntityRef(e).toLocaleLowerCase('en-US'),
      targetLevel: parsed[i].targetLevel,
      targetDate: parsed[i].targetDate,
    })),
    level,
    now,
  );
  const namespace = entity.metadata.namespace ?? 'default';
  const owner = resolveOwnerRef(entity);
  const systemRef = refOf(entity.spec?.system, 'System', namespace);
  const system = systemRef ? related.get(systemRef) : undefined;
  return {
    entityRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    kind: entity.kind.toLocaleLowerCase('en-US'),
    namespace,
    name: entity.metadata.name,
    title: optionalString(entity.metadata.title),
    owner: 'ref' in owner ? owner.ref : undefined,
    system: systemRef,
    domain: system
      ? refOf(
          system.spec?.domain,
          'Domain',
          system.metadata.namespace ?? 'default',
        )
      : undefined,
    type: optionalString(entity.spec?.type),
    lifecycle: optionalString(entity.spec?.lifecycle),
    level,
    targetLevel: target?.level,
    targetDate: target?.date,
    evaluatedAt: now,
    checks: results,
    ...(catalogDecided.length ? { catalogDecided } : {}),
    ...(signals.repository.status === 'ok' && signals.repository.stale
      ? {
          staleReason: `${signals.repository.stale.reason}; showing the repository as last read on ${signals.repository.stale.since}`,
        }
      : {}),
    details: {
      areaLevels: computeAreaLevels(checks, results),
      scorePercent: computeScorePercent(checks, results),
      ...(target ? { target } : {}),
      ...(level < 5 ? { next: nextLevelSteps(checks, results, level) } : {}),
      messages: parsed[0].messages,
    },
  };
}
