import { JsonObject } from '@backstage/types';
import { GeneratedOrganisation } from '../generator/generate';

/**
 * The metadata checks both tools have, with how far they really agree.
 * Only these are compared check by check; everything else our cycle does
 * (repositories, ~60 checks, levels, targets) Tech Insights does not.
 */
export const SHARED_CHECKS = [
  {
    id: 'owner set',
    maturity: 'people.owner-set',
    techInsights: {
      check: 'hasOwner',
      retriever: 'entityOwnershipFactRetriever',
    },
    differs: 'same rule',
  },
  {
    id: 'owner is a group',
    maturity: 'people.team-owner',
    techInsights: {
      check: 'hasGroupOwner',
      retriever: 'entityOwnershipFactRetriever',
    },
    differs:
      'ours resolves the owner to a Group entity with members; Tech Insights only sees that spec.owner does not start with "user:"',
  },
  {
    id: 'TechDocs',
    maturity: 'policy.documented-standards',
    techInsights: {
      check: 'hasAnnotationBackstageIoTechdocsRef',
      retriever: 'techdocsFactRetriever',
    },
    differs: 'ours also requires a README in the repository',
  },
] as const;

/** Tech Insights only: configured so its run has the metadata checks asked for. */
const TECH_INSIGHTS_ONLY = {
  check: 'hasDescription',
  retriever: 'entityMetadataFactRetriever',
};

const RETRIEVERS = [
  'entityOwnershipFactRetriever',
  'entityMetadataFactRetriever',
  'techdocsFactRetriever',
];

/**
 * Tech Insights' config: its built-in catalog retrievers (timed when the
 * driver triggers them; the cron is once a year) and json-rules-engine
 * checks, one per fact.
 */
export function techInsightsConfig(): JsonObject {
  const checks: JsonObject = {};
  for (const c of [
    ...SHARED_CHECKS.map(s => s.techInsights),
    TECH_INSIGHTS_ONLY,
  ]) {
    checks[c.check] = {
      type: 'json-rules-engine',
      name: c.check,
      description: `${c.check} is true`,
      factIds: [c.retriever],
      rule: {
        conditions: {
          all: [{ fact: c.check, operator: 'equal', value: true }],
        },
      },
    };
  }
  return {
    techInsights: {
      factRetrievers: Object.fromEntries(
        RETRIEVERS.map(id => [
          id,
          {
            cadence: '0 0 1 1 *',
            // The scheduler runs the task this long after startup (on a
            // catalog still being ingested) and takes no trigger before.
            initialDelay: { seconds: 1 },
            timeout: { hours: 1 },
            lifecycle: { maxItems: 1 },
          },
        ]),
      ),
      factChecker: { checks },
    },
  };
}

export const TECH_INSIGHTS_RETRIEVERS = RETRIEVERS;

/**
 * The services both tools are asked about one by one: up to `n`, spread
 * over the organisation, those the catalog accepts.
 */
export function sampleServices(
  organisation: GeneratedOrganisation,
  n = 200,
): string[] {
  const accepted = organisation.services.filter(
    s => s.broken !== 'missing-owner',
  );
  const step = Math.max(1, Math.floor(accepted.length / n));
  return accepted.filter((_, i) => i % step === 0).map(s => s.name);
}

/** Passes per shared check over the sample, keyed by SHARED_CHECKS id. */
export type SharedPasses = Record<string, number>;

/** One of the checks both tools have. */
export type SharedCheck = (typeof SHARED_CHECKS)[number];

/**
 * Asks a tool about each sampled service in turn, and counts, per shared
 * check, the services for which `passes` says the tool's answer passed it.
 */
export async function countSharedPasses<T>(
  sample: readonly string[],
  ask: (service: string) => Promise<T>,
  passes: (answer: T, check: SharedCheck) => boolean,
): Promise<SharedPasses> {
  const counts: SharedPasses = Object.fromEntries(
    SHARED_CHECKS.map(s => [s.id, 0]),
  );
  for (const service of sample) {
    const answer = await ask(service);
    for (const check of SHARED_CHECKS) {
      if (passes(answer, check)) counts[check.id]++;
    }
  }
  return counts;
}
