import { Entity } from '@backstage/catalog-model';
import {
  CiDeploy,
  CiPipeline,
  ContainerFacts,
  FoundScanner,
  MaturityCheckOutcome,
  MaturitySignals,
  RepoExtraction,
  WorkloadFacts,
} from '../model';
import { component } from './entities';
import { signalsFor } from './signals';

// ---------------------------------------------------------------------------
// Builders shared by the check tests. Each returns something that passes the
// checks that read it; tests override what they are about.
// ---------------------------------------------------------------------------

/** The CI file the builders put steps in. */
export const CI = '.github/workflows/ci.yml';

/** The message of a repository check when the entity has no source location. */
export const UNKNOWN =
  'The repository could not be read: The entity has no source location.';

/** A GitHub Actions pipeline on pull requests and pushes, with no steps. */
export function pipeline(overrides: Partial<CiPipeline> = {}): CiPipeline {
  return {
    system: 'github-actions',
    file: CI,
    triggers: {
      pullRequest: true,
      pushDefaultBranch: true,
      tags: false,
      schedule: false,
      manual: false,
    },
    tests: [],
    smokeTests: [],
    imageBuilds: [],
    deploys: [],
    scanners: [],
    actions: { total: 0, pinnedBySha: 0 },
    tools: [],
    shared: [],
    ...overrides,
  };
}

/** A deploy to production on merge to the default branch, no approval. */
export function deploy(overrides: Partial<CiDeploy> = {}): CiDeploy {
  return {
    file: '.github/workflows/deploy.yml',
    line: 30,
    tool: 'kubectl apply',
    environment: 'production',
    onDefaultBranch: true,
    onTags: false,
    manualApproval: false,
    ...overrides,
  };
}

/** A blocking scanner step in the CI file. */
export function scanner(overrides: Partial<FoundScanner> = {}): FoundScanner {
  return {
    file: CI,
    line: 20,
    tool: 'gitleaks',
    kind: 'secret',
    blocking: true,
    ...overrides,
  };
}

/** A container with requests and probes. */
export function container(
  overrides: Partial<ContainerFacts> = {},
): ContainerFacts {
  return {
    name: 'app',
    requests: { cpu: '100m', memory: '128Mi' },
    limits: {},
    readinessProbe: true,
    livenessProbe: true,
    securityContext: {},
    ...overrides,
  };
}

/** A Deployment manifest without containers. */
export function workload(
  overrides: Partial<WorkloadFacts> = {},
): WorkloadFacts {
  return {
    file: 'deploy/base/deployment.yaml',
    line: 1,
    kind: 'Deployment',
    name: 'checkout',
    source: 'manifest',
    containers: [],
    annotations: {},
    labels: {},
    ...overrides,
  };
}

/** The checkout service, owned by payments-team. */
export const service = (
  spec: Record<string, unknown> = {},
  metadata: Partial<Entity['metadata']> = {},
) => component('checkout', { owner: 'payments-team', ...spec }, metadata);

/** A component named svc with the given annotations, of any type. */
export const annotatedComponent = (
  annotations: Record<string, unknown> = {},
  extra = {},
) =>
  component('svc', {}, { annotations, ...extra } as Partial<
    Entity['metadata']
  >);

/** Builds signals with a readable repository for `defaultEntity()` or another. */
export const repoFor =
  (defaultEntity: () => Entity) =>
  (extraction: Partial<RepoExtraction>, entity = defaultEntity()) =>
    signalsFor(entity, { extraction });

/** A Component with whatever metadata and spec, for "never throws" tests. */
export const hostileComponent = (
  metadata: Record<string, unknown>,
  spec?: unknown,
): Entity =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata,
    ...(spec !== undefined ? { spec } : {}),
  } as Entity);

/** A table case: name, signals, expected status and message. */
export type Case = [
  string,
  MaturitySignals,
  MaturityCheckOutcome['status'],
  string,
];
