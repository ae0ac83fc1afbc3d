import {
  Entity,
  parseEntityRef,
  RELATION_HAS_MEMBER,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  MaturityCheckOutcome,
  MaturitySignals,
} from '@cnmaturity/plugin-maturity-node';
import { EvaluatorMap } from './evaluators';

/**
 * The full ref of the entity's owner, or an explanation of why there is none.
 * Owner refs default to kind Group, as the catalog itself resolves them.
 */
export function resolveOwnerRef(
  entity: Entity,
): { ref: string } | { problem: string } {
  const owner = entity.spec?.owner;
  if (owner === undefined || owner === null || owner === '') {
    return { problem: 'spec.owner is not set' };
  }
  if (typeof owner !== 'string') {
    return { problem: `spec.owner is not a string (${typeof owner})` };
  }
  try {
    const ref = parseEntityRef(owner, {
      defaultKind: 'Group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    });
    // Lower case, as the catalog compares refs case-insensitively.
    return { ref: stringifyEntityRef(ref).toLocaleLowerCase('en-US') };
  } catch (e) {
    return { problem: `spec.owner "${owner}" is not a valid entity reference` };
  }
}

function memberCount(group: Entity): number {
  return (group.relations ?? []).filter(r => r.type === RELATION_HAS_MEMBER)
    .length;
}

/** Level 2, People: spec.owner resolves to a Group entity that has members. */
export function evaluateTeamOwner(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const owner = resolveOwnerRef(signals.entity);
  if ('problem' in owner) {
    return {
      status: 'fail',
      message: `No owning team: ${owner.problem}.`,
      evidence: [
        {
          type: 'catalog',
          label: 'spec.owner',
          value:
            typeof signals.entity.spec?.owner === 'string'
              ? signals.entity.spec.owner
              : undefined,
        },
      ],
    };
  }
  const evidence = [
    {
      type: 'catalog' as const,
      label: 'spec.owner',
      value: owner.ref,
      ref: owner.ref,
    },
  ];
  if (parseEntityRef(owner.ref).kind.toLocaleLowerCase('en-US') !== 'group') {
    return {
      status: 'fail',
      message: `The owner ${owner.ref} is not a Group; a team (Group with members) should own the service.`,
      evidence,
    };
  }
  const group = signals.related.get(owner.ref);
  if (!group) {
    return {
      status: 'fail',
      message: `The owner ${owner.ref} does not exist in the catalog.`,
      evidence,
    };
  }
  const members = memberCount(group);
  if (members === 0) {
    return {
      status: 'fail',
      message: `The owning group ${owner.ref} has no members.`,
      evidence,
    };
  }
  return {
    status: 'pass',
    message: `Owned by ${owner.ref}, a group with ${members} member${
      members === 1 ? '' : 's'
    }.`,
    evidence,
  };
}

export const peopleEvaluators: EvaluatorMap = {
  'people.team-owner': evaluateTeamOwner,
};
