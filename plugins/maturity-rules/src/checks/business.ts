import { MaturityCheckOutcome, MaturitySignals, WorkloadFacts } from '../model';
import {
  annotationEvidence,
  EvaluatorMap,
  fail,
  fileEvidence,
  pass,
  withRepository,
} from './evaluators';
import { annotationValue, firstAnnotation, linksOfType } from './entityFields';
import { where } from './extractionHelpers';

/** Level 1, Business outcomes: attestation only. */
export function evaluateKpisDefined(): MaturityCheckOutcome {
  return fail(
    'Not attested yet: confirm the business KPIs the service is measured by, with a link to where they are defined.',
  );
}

/** Level 2, Business outcomes: attestation only, with a link to the report. */
export function evaluateKpisReported(): MaturityCheckOutcome {
  return fail(
    'Not attested yet: confirm that the service KPIs are reported, with a link to the KPI report.',
  );
}

const RATIONALE_ANNOTATIONS = [
  'backstage.io/adr-location',
  'backstage.io/techdocs-ref',
];

/**
 * Level 2, Business outcomes: the reasons for moving to cloud native are
 * written down: ADRs or TechDocs in the catalog, or ADR files in the
 * repository. Otherwise the owner may attest (applied elsewhere).
 */
export function evaluateMigrationRationale(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const found = firstAnnotation(signals.entity, RATIONALE_ANNOTATIONS);
  if (found) {
    return pass(
      found.key === 'backstage.io/adr-location'
        ? `Decisions recorded as ADRs (${found.key}: ${found.value}).`
        : `Decisions documented in TechDocs (${found.key}: ${found.value}).`,
      [annotationEvidence(found.key, found.value)],
    );
  }
  return withRepository(signals, extraction => {
    const adrs = extraction.docs?.adrs ?? [];
    if (adrs.length > 0) {
      return pass(
        `Decisions recorded in ${adrs.length} ADR${
          adrs.length === 1 ? '' : 's'
        } in the repository (${adrs[0]}).`,
        adrs.map(file => fileEvidence({ file }, 'ADR')),
      );
    }
    return fail(
      'No recorded rationale: no ADRs (backstage.io/adr-location or ADR files) and no TechDocs (backstage.io/techdocs-ref); attest with a link if the rationale is written down elsewhere.',
    );
  });
}

/** Level 2, Business outcomes (supporting): the service started on a golden path. */
export function evaluateGoldenPath(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const template = annotationValue(
    signals.entity,
    'backstage.io/source-template',
  );
  if (template) {
    return pass(`Created from the software template ${template}.`, [
      annotationEvidence('backstage.io/source-template', template),
    ]);
  }
  return fail(
    'Not created from a software template: backstage.io/source-template is not set.',
  );
}

/**
 * The label or annotation on a workload that attributes its cost, if any:
 * cost-center/cost-centre/team (with or without a domain prefix), or any
 * kubecost.com/ or opencost key.
 */
function costLabel(
  workload: WorkloadFacts,
): { key: string; value: string } | undefined {
  const entries = [
    ...Object.entries(workload.labels ?? {}),
    ...Object.entries(workload.annotations ?? {}),
  ];
  for (const [key, value] of entries) {
    const k = key.toLocaleLowerCase('en-US');
    const name = k.split('/').pop() ?? k;
    if (
      [
        'cost-center',
        'cost-centre',
        'costcenter',
        'cost_center',
        'team',
      ].includes(name) ||
      k.startsWith('kubecost.com/') ||
      k.includes('opencost')
    ) {
      return { key, value: String(value) };
    }
  }
  return undefined;
}

/**
 * Level 5, Business outcomes: cost is attributed to the service: a cost
 * link in the catalog, or every workload carries a cost label that OpenCost
 * or Kubecost can group by.
 */
export function evaluateCostAllocation(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const link = linksOfType(signals.entity, 'cost')[0];
  if (link) {
    return pass(`Cost report linked: ${link.title ?? link.url}.`, [
      {
        type: 'catalog',
        label: 'metadata.links',
        value: link.url,
        ref: link.url,
      },
    ]);
  }
  return withRepository(signals, extraction => {
    const workloads = extraction.workloads;
    if (workloads.length === 0) {
      return fail(
        'No cost allocation: no metadata.links entry of type cost, and no Kubernetes workloads in the repository to carry cost labels.',
      );
    }
    const unlabelled = workloads.filter(w => !costLabel(w));
    if (unlabelled.length > 0) {
      const first = unlabelled[0];
      const rest = unlabelled.length - 1;
      const more =
        rest > 0 ? ` (and ${rest} more workload${rest === 1 ? '' : 's'})` : '';
      return fail(
        `${first.name ? `${first.kind} ${first.name}` : first.kind} (${where(
          first,
        )}) has no cost label (cost-center, team, kubecost.com/*, opencost)${more}.`,
        unlabelled.map(w => fileEvidence(w, w.name ?? w.kind)),
      );
    }
    const firstLabel = costLabel(workloads[0])!;
    return pass(
      `Every workload carries a cost label (${firstLabel.key}=${
        firstLabel.value
      } in ${where(workloads[0])}).`,
      workloads.map(w => {
        const label = costLabel(w)!;
        return fileEvidence(w, `${label.key}=${label.value}`);
      }),
    );
  });
}

export const businessEvaluators: EvaluatorMap = {
  'business.kpis-defined': evaluateKpisDefined,
  'business.kpis-reported': evaluateKpisReported,
  'business.migration-rationale': evaluateMigrationRationale,
  'business.golden-path': evaluateGoldenPath,
  'business.cost-allocation': evaluateCostAllocation,
};
