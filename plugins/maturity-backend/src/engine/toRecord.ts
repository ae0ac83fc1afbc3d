import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CheckResult, computeLevel } from '@cnmaturity/plugin-maturity-common';
import { MaturityCheck } from '@cnmaturity/plugin-maturity-node';
import { EntityResultRecord } from '../database/MaturityStore';
import { resolveOwnerRef } from '../checks/people';

function optionalRef(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string,
): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace }),
    );
  } catch {
    return undefined;
  }
}

const optionalString = (v: unknown) =>
  typeof v === 'string' && v ? v : undefined;

/** The row to store for one evaluated entity: its results plus filter fields. */
export function toRecord(
  entity: Entity,
  checks: readonly MaturityCheck[],
  results: CheckResult[],
  evaluatedAt: Date,
): EntityResultRecord {
  const namespace = entity.metadata.namespace ?? 'default';
  const owner = resolveOwnerRef(entity);
  return {
    entityRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
    kind: entity.kind.toLocaleLowerCase('en-US'),
    namespace,
    name: entity.metadata.name,
    owner: 'ref' in owner ? owner.ref : undefined,
    system: optionalRef(entity.spec?.system, 'System', namespace),
    type: optionalString(entity.spec?.type),
    lifecycle: optionalString(entity.spec?.lifecycle),
    level: computeLevel(checks, results),
    evaluatedAt,
    checks: results,
  };
}
