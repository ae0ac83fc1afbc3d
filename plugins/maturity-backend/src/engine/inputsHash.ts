import { Entity } from '@backstage/catalog-model';
import {
  MaturityAttestation,
  MaturityCheckDefinition,
} from '@cnmaturity/plugin-maturity-common';
import {
  MaturityFact,
  RepositorySignal,
} from '@cnmaturity/plugin-maturity-rules';
import { createHash } from 'node:crypto';

/** Bumped when the engine changes how results are computed. */
const ENGINE_VERSION = 1;

const sha256 = (text: string) =>
  createHash('sha256').update(text).digest('hex');

/**
 * A fingerprint of the rubric as configured: the static description of every
 * check and the settings the evaluation reads. A change re-evaluates all.
 */
export function rubricHash(
  checks: readonly MaturityCheckDefinition[],
  settings: unknown,
): string {
  const definitions = checks.map(c => ({
    id: c.id,
    area: c.area,
    level: c.level,
    kind: c.kind,
    weight: c.weight,
    appliesTo: c.appliesTo,
    attestable: c.attestable,
    signal: c.signal,
    rule: c.rule,
  }));
  return sha256(JSON.stringify([ENGINE_VERSION, definitions, settings]));
}

function repositoryVersion(repository: RepositorySignal): unknown {
  if (repository.status === 'unavailable') {
    return ['unavailable', repository.url, repository.reason];
  }
  return [
    repository.url,
    // Without an etag from the SCM the content itself is the version.
    repository.etag ?? sha256(JSON.stringify(repository.extraction)),
    repository.stale?.reason,
  ];
}

/** What one entity's result is computed from. */
export interface EntityInputs {
  entity: Entity;
  related: ReadonlyArray<[string, Entity | undefined]>;
  repository: RepositorySignal;
  facts: readonly MaturityFact[];
  attestations: readonly MaturityAttestation[];
  rubric: string;
  day: string;
}

/**
 * Everything one entity's result is computed from, as one hash: the entity
 * and the related entities it follows (by catalog etag), the repository
 * version, the latest facts and attestations, the rubric, and the day (dates
 * move targets to overdue and age attestations, and the history wants one
 * row per day). The same hash means the same result, so the entity is
 * skipped.
 */
export function inputsHash(inputs: EntityInputs): string {
  const etagOf = (e: Entity | undefined) =>
    e ? e.metadata.etag ?? sha256(JSON.stringify(e)) : null;
  return sha256(
    JSON.stringify([
      etagOf(inputs.entity),
      inputs.related.map(([ref, e]) => [ref, etagOf(e)]),
      repositoryVersion(inputs.repository),
      inputs.facts,
      inputs.attestations,
      inputs.rubric,
      inputs.day,
    ]),
  );
}

/**
 * The inputs hash from the key fields of the entities alone (see
 * ENTITY_KEY_FIELDS), which is the hash of the whole entities as long as
 * the catalog gave each one an etag. Undefined when one has none: only the
 * whole entity tells then.
 */
export function keyInputsHash(inputs: EntityInputs): string | undefined {
  const versioned = (e: Entity | undefined) => !e || !!e.metadata.etag;
  return versioned(inputs.entity) &&
    inputs.related.every(([, e]) => versioned(e))
    ? inputsHash(inputs)
    : undefined;
}
