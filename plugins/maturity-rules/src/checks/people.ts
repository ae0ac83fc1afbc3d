import {
  Entity,
  parseEntityRef,
  RELATION_HAS_MEMBER,
} from '@backstage/catalog-model';
import { CheckEvidence } from '@cnmaturity/plugin-maturity-common';
import { CiPipeline, MaturityCheckOutcome, MaturitySignals } from '../model';
import { refOf } from '../entityRefs';
import {
  annotationEvidence,
  EvaluatorMap,
  fail,
  fileEvidence,
  pass,
  withRepository,
} from './evaluators';
import {
  annotationValue,
  firstAnnotation,
  resourceDependencies,
  specValue,
} from './entityFields';
import {
  deploysOf,
  lc,
  triggersNotInRepository,
  where,
} from './extractionHelpers';

const NO_CI = 'No CI pipeline found (GitHub Actions, GitLab CI, Jenkins, ...)';

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
  // Lower case, as the catalog compares refs case-insensitively.
  const ref = refOf(owner, 'Group', entity.metadata.namespace ?? 'default');
  return ref
    ? { ref }
    : { problem: `spec.owner "${owner}" is not a valid entity reference` };
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

/** Level 1, People: someone is named as owner (spec.owner is set). */
export function evaluateOwnerSet(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const owner = specValue(signals.entity, 'owner');
  if (typeof owner === 'string' && owner.trim() !== '') {
    return pass(`Owner set: ${owner.trim()}.`, [
      { type: 'catalog', label: 'spec.owner', value: owner.trim() },
    ]);
  }
  const evidence: CheckEvidence[] = [{ type: 'catalog', label: 'spec.owner' }];
  if (owner === undefined || owner === null || owner === '') {
    return fail(
      'No owner: spec.owner is not set; name the team that owns the service.',
      evidence,
    );
  }
  if (typeof owner === 'string') {
    return fail('No owner: spec.owner is blank.', evidence);
  }
  return fail(
    `No owner: spec.owner is not a string (${typeof owner}).`,
    evidence,
  );
}

/** Level 2, People: CI gives feedback before merge (runs on pull/merge requests). */
export function evaluateFastFeedback(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    if (extraction.ci.length === 0) {
      return fail(`${NO_CI}, so changes get no feedback before merge.`);
    }
    const onPr = extraction.ci.find(p => p.triggers?.pullRequest);
    if (onPr) {
      return pass(`CI runs on pull/merge requests (${onPr.file}).`, [
        fileEvidence({ file: onPr.file }, 'pull request trigger'),
      ]);
    }
    const message = `No CI pipeline runs on pull/merge requests (${extraction.ci
      .map(p => p.file)
      .join(', ')}), so changes are only checked after merge.`;
    return (
      triggersNotInRepository(extraction.ci, message) ??
      fail(
        message,
        extraction.ci.map(p => fileEvidence({ file: p.file })),
      )
    );
  });
}

/**
 * Whether a tool as recognised in CI ("helm upgrade", "docker/build-push-action")
 * is a list entry ("helm", "docker"): equal, or the entry is its first word.
 */
function toolMatches(used: string, entry: string): boolean {
  const e = lc(entry);
  if (!e) return false;
  return used === e || used.split(/[\s/@:]/)[0] === e;
}

/** Every tool a pipeline shows, with where it was seen. */
function toolsUsed(
  pipelines: CiPipeline[],
): Array<{ tool: string; file: string; line?: number }> {
  const seen = new Map<string, { tool: string; file: string; line?: number }>();
  const add = (tool: unknown, file: string, line?: number) => {
    const name = lc(tool);
    if (name && !seen.has(name)) seen.set(name, { tool: name, file, line });
  };
  for (const p of pipelines) {
    add(p.system, p.file);
    for (const tool of p.tools ?? []) add(tool, p.file);
    for (const deploy of p.deploys ?? [])
      add(deploy.tool, deploy.file, deploy.line);
  }
  return [...seen.values()];
}

/**
 * Level 2, People (supporting): teams use the organisation's standard CI/CD
 * tools. The deny-list always applies; with no allow-list configured nothing
 * else can be judged, so the check passes and says so.
 */
export function evaluateConsolidatedTooling(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const used = toolsUsed(extraction.ci);
    const allowed = (signals.tools?.allowed ?? []).filter(t => lc(t) !== '');
    const denied = (signals.tools?.denied ?? []).filter(t => lc(t) !== '');
    const onDenyList = used.filter(u =>
      denied.some(d => toolMatches(u.tool, d)),
    );
    if (onDenyList.length > 0) {
      const first = onDenyList[0];
      return fail(
        `Uses ${onDenyList
          .map(u => u.tool)
          .join(
            ', ',
          )}, on the organisation's deny-list of tools being retired (first in ${where(
          first,
        )}).`,
        onDenyList.map(u => fileEvidence(u, u.tool)),
      );
    }
    if (allowed.length === 0) {
      return pass(
        'No tool allow-list is configured (maturity.tools.allowed), and no tool on the deny-list is used.',
      );
    }
    if (used.length === 0) {
      return fail(
        `${NO_CI}, so no CI/CD tools can be compared with the allow-list.`,
      );
    }
    const offList = used.filter(
      u => !allowed.some(a => toolMatches(u.tool, a)),
    );
    if (offList.length > 0) {
      return fail(
        `Not on the organisation's tool allow-list: ${offList
          .map(u => u.tool)
          .join(', ')} (first in ${where(offList[0])}).`,
        offList.map(u => fileEvidence(u, u.tool)),
      );
    }
    return pass(
      `All CI/CD tools are on the allow-list: ${used
        .map(u => u.tool)
        .join(', ')}.`,
      used.map(u => fileEvidence(u, u.tool)),
    );
  });
}

/**
 * Level 2, People: someone owns cluster security, shown by the service
 * depending on a Resource (its cluster) that has an owner. Otherwise the
 * owner attests (applied generically elsewhere).
 */
export function evaluateClusterSecurityOwner(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const resources = resourceDependencies(signals);
  const owned = resources.find(
    r => lc(r.entity ? specValue(r.entity, 'owner') : undefined) !== '',
  );
  if (owned?.entity) {
    const owner = String(specValue(owned.entity, 'owner')).trim();
    return pass(`The cluster ${owned.ref} is owned by ${owner}.`, [
      {
        type: 'catalog',
        label: 'spec.dependsOn',
        value: owned.ref,
        ref: owned.ref,
      },
      { type: 'catalog', label: `${owned.ref} spec.owner`, value: owner },
    ]);
  }
  if (resources.length === 0) {
    return fail(
      'No owner of cluster security shown: the service does not depend on a Resource (its cluster) in spec.dependsOn. Add the cluster as a Resource with an owner, or attest who owns cluster security.',
      [{ type: 'catalog', label: 'spec.dependsOn' }],
    );
  }
  const first = resources[0];
  return fail(
    first.entity
      ? `No owner of cluster security shown: the Resource ${first.ref} has no spec.owner.`
      : `No owner of cluster security shown: the Resource ${first.ref} is not in the catalog.`,
    resources.map(r => ({
      type: 'catalog' as const,
      label: 'spec.dependsOn',
      value: r.ref,
      ref: r.ref,
    })),
  );
}

/** Level 2, People: CI runs a test step. */
export function evaluateAutomatedTests(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    if (extraction.ci.length === 0) {
      return fail(`${NO_CI}, so no tests run automatically.`);
    }
    // A test of a running instance (e2e, a probe after a deploy) is a test too.
    const tests = extraction.ci.flatMap(p => [
      ...(p.tests ?? []),
      ...(p.smokeTests ?? []),
    ]);
    if (tests.length > 0) {
      return pass(
        `CI runs tests: ${tests[0].tool} (${where(tests[0])}).`,
        tests.map(t => fileEvidence(t, t.tool)),
      );
    }
    return fail(
      `No test step (npm test, go test, mvn verify, pytest, ...) found in CI (${extraction.ci
        .map(p => p.file)
        .join(', ')}).`,
      extraction.ci.map(p => fileEvidence({ file: p.file })),
    );
  });
}

const GITOPS_ANNOTATIONS = ['argocd/app-name', 'argocd/app-selector'];

/**
 * Level 2, People: merged changes deploy without a person: a CI deploy on
 * merge to the default branch or on tags, or GitOps. A deploy that waits for
 * a manual step does not count, since someone still has to push it.
 */
export function evaluateAutoDeploy(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const gitopsAnnotation = firstAnnotation(signals.entity, GITOPS_ANNOTATIONS);
  if (gitopsAnnotation) {
    return pass(
      `Deployed by Argo CD (${gitopsAnnotation.key}: ${gitopsAnnotation.value}).`,
      [annotationEvidence(gitopsAnnotation.key, gitopsAnnotation.value)],
    );
  }
  return withRepository(signals, extraction => {
    const deploys = deploysOf(extraction);
    const automatic = deploys.find(
      d => (d.onDefaultBranch || d.onTags) && !d.manualApproval,
    );
    if (automatic) {
      const when = automatic.onDefaultBranch
        ? 'on merge to the default branch'
        : 'on tags';
      return pass(
        `CI deploys ${when}: ${automatic.tool}${
          automatic.environment ? ` to ${automatic.environment}` : ''
        } (${where(automatic)}).`,
        [fileEvidence(automatic, automatic.tool)],
      );
    }
    if (extraction.gitops.length > 0) {
      const g = extraction.gitops[0];
      return pass(`GitOps (${g.tool}) deploys merged changes (${where(g)}).`, [
        fileEvidence(g, g.tool),
      ]);
    }
    const outside = triggersNotInRepository(
      deploys.map(d => d.pipeline),
      'No deploy is seen to run on merge or on tags',
    );
    if (outside) return outside;
    const manual = deploys.find(d => d.manualApproval);
    if (manual) {
      return fail(
        `The deploy in ${where(
          manual,
        )} waits for a manual step; no deploy runs on merge or on tags by itself.`,
        [fileEvidence(manual, manual.tool)],
      );
    }
    if (deploys.length > 0) {
      return fail(
        `The deploy in ${where(
          deploys[0],
        )} does not run on merge to the default branch or on tags.`,
        deploys.map(d => fileEvidence(d, d.tool)),
      );
    }
    return fail(
      'No automatic deploy: no CI deploy job on merge or tags, no GitOps config (Argo CD, Flux, Config Sync) and no argocd/app-name annotation.',
    );
  });
}

/** Level 2, People: attestation only. */
export function evaluateK8sFundamentals(): MaturityCheckOutcome {
  return fail(
    'Not attested yet: confirm that the team has Kubernetes fundamentals training (for example a Kubernetes fundamentals course), with a link as evidence.',
  );
}

/** Level 2, People (informational): attestation only, never gates a level. */
export function evaluateCertifications(): MaturityCheckOutcome {
  return fail(
    'Not attested yet: confirm which team members hold CNCF certifications (CKA, CKAD, CKS), with a link as evidence.',
  );
}

/**
 * Level 3, People: every merge is delivered to an environment without a
 * person (a CI deploy on merge to the default branch), or GitOps reconciles
 * it. A deploy to production on every merge goes further than delivery, so
 * it counts too.
 */
export function evaluateContinuousDelivery(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const deploys = deploysOf(extraction);
    const onMerge = deploys.find(d => d.onDefaultBranch && !d.manualApproval);
    if (onMerge) {
      return pass(
        `Every merge deploys${
          onMerge.environment ? ` to ${onMerge.environment}` : ''
        }: ${onMerge.tool} (${where(onMerge)}).`,
        [fileEvidence(onMerge, onMerge.tool)],
      );
    }
    if (extraction.gitops.length > 0) {
      const g = extraction.gitops[0];
      return pass(`GitOps (${g.tool}) delivers every merge (${where(g)}).`, [
        fileEvidence(g, g.tool),
      ]);
    }
    const outside = triggersNotInRepository(
      deploys.map(d => d.pipeline),
      'No deploy is seen to run on every merge',
    );
    if (outside) return outside;
    if (deploys.length > 0) {
      const first = deploys[0];
      return fail(
        `Merges are not delivered continuously: the deploy in ${where(first)} ${
          first.manualApproval
            ? 'waits for a manual step'
            : 'does not run on merge to the default branch'
        }, and no GitOps config is present.`,
        deploys.map(d => fileEvidence(d, d.tool)),
      );
    }
    return fail(
      'Merges are not delivered continuously: no CI deploy on merge to the default branch and no GitOps config (Argo CD, Flux, Config Sync).',
    );
  });
}

/**
 * Level 4, People: teams serve themselves, shown by the service coming from
 * a software template and carrying TechDocs.
 */
export function evaluateSelfService(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const template = annotationValue(
    signals.entity,
    'backstage.io/source-template',
  );
  const techdocs = annotationValue(signals.entity, 'backstage.io/techdocs-ref');
  const evidence = [
    ...(template
      ? [annotationEvidence('backstage.io/source-template', template)]
      : []),
    ...(techdocs
      ? [annotationEvidence('backstage.io/techdocs-ref', techdocs)]
      : []),
  ];
  if (template && techdocs) {
    return pass(
      `Created from the template ${template} and documented in TechDocs.`,
      evidence,
    );
  }
  const missing = [
    ...(template
      ? []
      : ['backstage.io/source-template (created from a software template)']),
    ...(techdocs ? [] : ['backstage.io/techdocs-ref (TechDocs)']),
  ];
  return fail(
    `Self-service not shown: missing ${missing.join(' and ')}.`,
    evidence,
  );
}

export const peopleEvaluators: EvaluatorMap = {
  'people.owner-set': evaluateOwnerSet,
  'people.team-owner': evaluateTeamOwner,
  'people.fast-feedback': evaluateFastFeedback,
  'people.consolidated-tooling': evaluateConsolidatedTooling,
  'people.cluster-security-owner': evaluateClusterSecurityOwner,
  'people.automated-tests': evaluateAutomatedTests,
  'people.auto-deploy': evaluateAutoDeploy,
  'people.k8s-fundamentals': evaluateK8sFundamentals,
  'people.certifications': evaluateCertifications,
  'people.continuous-delivery': evaluateContinuousDelivery,
  'people.self-service': evaluateSelfService,
};
