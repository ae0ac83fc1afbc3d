import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  MaturityFact,
  MaturitySignals,
  RepoExtraction,
  RepositorySignal,
} from '../model';

/** An extraction with nothing found; tests add what they need. */
export function emptyExtraction(
  overrides: Partial<RepoExtraction> = {},
): RepoExtraction {
  return {
    version: 1,
    files: [],
    ci: [],
    dockerfiles: [],
    workloads: [],
    kubernetesObjects: [],
    kustomize: [],
    helmCharts: [],
    environments: [],
    policies: [],
    observability: {
      openTelemetry: [],
      slos: [],
      logPipelines: [],
      alertRules: [],
    },
    dependencyUpdates: [],
    docs: { docsDir: false, adrs: [] },
    infrastructureAsCode: [],
    gitops: [],
    progressiveDelivery: [],
    serviceMesh: [],
    notes: [],
    ...overrides,
  };
}

/** Signals for one entity; the repository defaults to "no source location". */
export function signalsFor(
  entity: Entity,
  options: {
    related?: Entity[];
    repository?: RepositorySignal;
    extraction?: Partial<RepoExtraction>;
    now?: Date;
    tools?: MaturitySignals['tools'];
    facts?: MaturityFact[];
  } = {},
): MaturitySignals {
  let repository: RepositorySignal = options.repository ?? {
    status: 'unavailable',
    reason: 'The entity has no source location',
  };
  if (options.extraction) {
    repository = {
      status: 'ok',
      url: 'https://example.com/repo',
      extraction: emptyExtraction(options.extraction),
    };
  }
  return {
    entity,
    related: new Map(
      (options.related ?? []).map(e => [
        stringifyEntityRef(e).toLocaleLowerCase('en-US'),
        e,
      ]),
    ),
    repository,
    facts: options.facts ?? [],
    tools: options.tools ?? { allowed: [], denied: [] },
    now: options.now ?? new Date('2026-11-25T12:00:00Z'),
  };
}
