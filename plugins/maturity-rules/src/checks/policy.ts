import {
  HELM_INCLUDE,
  MaturityCheckOutcome,
  MaturitySignals,
  WorkloadFacts,
} from '../model';
import {
  annotationEvidence,
  EvaluatorMap,
  fail,
  fileEvidence,
  pass,
  unknown,
  withRepository,
} from './evaluators';
import { annotationsMatching, firstAnnotation } from './entityFields';
import {
  listing,
  renderedEvidence,
  scannersOf,
  toolName,
  workloadName,
} from './extractionHelpers';

/**
 * Level 1, Policy: attestation only. Which regulations apply is a judgement
 * no file shows; the generic attestation layer turns a valid attestation
 * into a pass.
 */
export function evaluateComplianceRequirements(
  _signals: MaturitySignals,
): MaturityCheckOutcome {
  return fail(
    'Not attested yet: confirm which compliance requirements (regulations, data protection, internal security baselines) apply to this service and link where they are written down.',
  );
}

const TECHDOCS_ANNOTATIONS = [
  'backstage.io/techdocs-ref',
  'backstage.io/techdocs-entity',
];

/**
 * Level 2, Policy: standards are written down: TechDocs (annotation, or
 * docs/ with mkdocs.yml) and a README. The README needs the repository, so
 * an unreadable repository reads unknown even with TechDocs.
 */
export function evaluateDocumentedStandards(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const techdocs = firstAnnotation(signals.entity, TECHDOCS_ANNOTATIONS);
  return withRepository(signals, extraction => {
    const { readme, mkdocs, docsDir } = extraction.docs;
    const evidence = [
      ...(techdocs ? [annotationEvidence(techdocs.key, techdocs.value)] : []),
      ...(mkdocs ? [fileEvidence({ file: mkdocs }, 'mkdocs')] : []),
      ...(readme ? [fileEvidence({ file: readme }, 'README')] : []),
    ];
    const hasDocs = Boolean(techdocs) || (docsDir && Boolean(mkdocs));
    const missing: string[] = [];
    if (!hasDocs) {
      if (docsDir) {
        missing.push(
          'docs/ has no mkdocs.yml and no backstage.io/techdocs-ref annotation is set',
        );
      } else if (mkdocs) {
        missing.push(
          `${mkdocs} exists but there is no docs/ folder and no backstage.io/techdocs-ref annotation`,
        );
      } else {
        missing.push(
          'no TechDocs: set backstage.io/techdocs-ref or add docs/ with mkdocs.yml',
        );
      }
    }
    if (!readme) missing.push('no README in the repository');
    if (missing.length > 0) {
      return fail(
        `Standards are not documented: ${listing(missing)}.`,
        evidence,
      );
    }
    const docs = techdocs
      ? `TechDocs (${techdocs.key}: ${techdocs.value})`
      : `TechDocs in docs/ with ${mkdocs}`;
    return pass(`Documented in ${docs} and ${readme}.`, evidence);
  });
}

const SCRAPE_OBJECTS = ['ServiceMonitor', 'PodMonitor'];
// Batch workloads finish before a scrape interval passes; they push metrics
// if at all, so only long-running workloads must be scraped.
const BATCH_KINDS = ['Job', 'CronJob'];

const annotationTrue = (w: WorkloadFacts, key: string) => {
  const value: unknown = w.annotations?.[key];
  return typeof value === 'string' && value.trim().toLowerCase() === 'true';
};

const isSet = (value: unknown) =>
  typeof value === 'string' ? value.trim() !== '' : typeof value === 'number';

/**
 * Level 2, Policy: resource use is measurable: every container requests cpu
 * and memory, and the workload's metrics are scraped.
 */
/** The named template a Helm workload takes pod annotations from, if any. */
function includedAnnotations(workload: WorkloadFacts): string | undefined {
  const key = Object.keys(workload.annotations ?? {}).find(k =>
    k.startsWith(`${HELM_INCLUDE}.`),
  );
  return key ? workload.annotations[key] : undefined;
}

export function evaluateResourceMetrics(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const entityScrape =
    firstAnnotation(signals.entity, ['prometheus.io/rule']) ??
    annotationsMatching(signals.entity, key => key.startsWith('grafana/'))[0];
  return withRepository(signals, extraction => {
    const workloads = extraction.workloads;
    if (workloads.length === 0) {
      return fail(
        'No Kubernetes workloads (Deployment, StatefulSet, DaemonSet, Job, CronJob, Rollout) in the repository, so resource requests and scraping cannot be shown.',
      );
    }
    for (const workload of workloads) {
      for (const container of workload.containers ?? []) {
        const missing = [
          isSet(container.requests?.cpu) ? undefined : 'cpu',
          isSet(container.requests?.memory) ? undefined : 'memory',
        ].filter((m): m is string => Boolean(m));
        if (missing.length > 0) {
          return fail(
            `Container "${container.name}" of ${workloadName(workload)} in ${
              workload.file
            } sets no ${listing(missing)} request${
              missing.length > 1 ? 's' : ''
            }.`,
            [
              fileEvidence(
                workload,
                `${container.name}: no ${missing.join('/')} request`,
              ),
            ],
          );
        }
      }
    }
    const requests = `Every container requests cpu and memory (${
      workloads.length
    } workload${workloads.length === 1 ? '' : 's'})`;
    const monitor = extraction.kubernetesObjects.find(o =>
      SCRAPE_OBJECTS.includes(o.kind),
    );
    if (monitor) {
      return pass(
        `${requests}, and a ${monitor.kind} in ${monitor.file}${
          monitor.valuesFile ? ` with ${monitor.valuesFile}` : ''
        } scrapes the metrics.`,
        renderedEvidence(monitor, monitor.kind),
      );
    }
    if (entityScrape) {
      return pass(
        `${requests}, and metrics are wired up by the annotation ${entityScrape.key}.`,
        [annotationEvidence(entityScrape.key, entityScrape.value)],
      );
    }
    const longRunning = workloads.filter(w => !BATCH_KINDS.includes(w.kind));
    const mustScrape = longRunning.length > 0 ? longRunning : workloads;
    // The service's own pods carry the annotation; a cache or database
    // beside them in the repository (a redis Deployment) need not.
    const scraped = mustScrape.filter(w =>
      annotationTrue(w, 'prometheus.io/scrape'),
    );
    // Annotations a named template adds (`include "x.podAnnotations"`) are
    // not evaluated: they may hold the scrape annotation.
    const included = mustScrape
      .map(w => ({ w, name: includedAnnotations(w) }))
      .find(i => i.name);
    if (scraped.length === 0 && included) {
      return unknown(
        `${requests}; whether metrics are scraped is not known: the pod annotations of ${workloadName(
          included.w,
        )} in ${included.w.file} come from the named template ${
          included.name
        }, which is not evaluated.`,
        [fileEvidence(included.w, `include "${included.name}"`)],
      );
    }
    if (scraped.length === 0) {
      const unscraped = mustScrape[0];
      return fail(
        `Metrics are not scraped: ${workloadName(unscraped)} in ${
          unscraped.file
        } has no prometheus.io/scrape: "true" pod annotation, nor has any other workload, and there is no ServiceMonitor or PodMonitor in the repository nor a prometheus.io/rule or grafana/* annotation.`,
        [fileEvidence(unscraped, workloadName(unscraped))],
      );
    }
    return pass(
      `${requests}, and ${listing(
        scraped.map(w => `${workloadName(w)} (${w.file})`),
      )} ${
        scraped.length === 1 ? 'is' : 'are'
      } scraped via prometheus.io/scrape.`,
      scraped.map(w => fileEvidence(w, 'prometheus.io/scrape: "true"')),
    );
  });
}

const AUDIT_TOOLS = /conftest|kyverno|kubescape|polaris/;

/**
 * Level 2, Policy: policies are audited in CI. Report-only is enough at
 * this level (blocking counts too). Else a dated audit attestation, applied
 * by the generic attestation layer.
 */
export function evaluateInitialAudit(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const audits = scannersOf(extraction, ['policy', 'config']).filter(s =>
      AUDIT_TOOLS.test(s.tool.toLocaleLowerCase('en-US')),
    );
    if (audits.length === 0) {
      return fail(
        'No policy audit in CI: no conftest, Kyverno, Kubescape or Polaris run. A dated audit attestation also counts.',
      );
    }
    return pass(
      `Policies are audited in CI: ${listing(
        audits.map(
          a =>
            `${toolName(a.tool)} in ${a.file} (${
              a.blocking ? 'blocking' : 'report only'
            })`,
        ),
      )}.`,
      audits.map(a => fileEvidence(a, a.tool)),
    );
  });
}

/**
 * Level 3, Policy: policies are code and enforced: policy files in the
 * repository and a CI step that fails the pipeline on a violation.
 */
export function evaluatePolicyAsCodeInCi(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const policies = extraction.policies;
    const runs = scannersOf(extraction, ['policy']);
    const blocking = runs.find(r => r.blocking);
    const evidence = [
      ...policies.map(p => fileEvidence({ file: p.file }, p.engine)),
      ...runs.map(r =>
        fileEvidence(r, `${r.tool}${r.blocking ? '' : ' (report only)'}`),
      ),
    ];
    const missing: string[] = [];
    if (policies.length === 0) {
      missing.push(
        'no policy files (Rego, Kyverno or Gatekeeper) in the repository',
      );
    }
    if (!blocking) {
      missing.push(
        runs.length > 0
          ? `${toolName(runs[0].tool)} in ${
              runs[0].file
            } is report only and cannot fail the pipeline`
          : 'no policy check in CI (conftest, kyverno apply/test, gator) that fails the pipeline',
      );
    }
    if (missing.length > 0 || !blocking) {
      return fail(
        `Policies are not enforced in CI: ${listing(missing)}.`,
        evidence,
      );
    }
    const engines = [...new Set(policies.map(p => p.engine))].map(
      e =>
        ({ rego: 'Rego', kyverno: 'Kyverno', gatekeeper: 'Gatekeeper' }[e] ??
        e),
    );
    return pass(
      `${listing(engines)} policies (${policies.length} file${
        policies.length === 1 ? '' : 's'
      }) are enforced by ${toolName(blocking.tool)} in ${blocking.file}.`,
      evidence,
    );
  });
}

/** Level 4, Policy: service level objectives are declared as OpenSLO or Sloth. */
export function evaluateSloDefined(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const slos = extraction.observability.slos;
    const declared = slos.filter(
      s => s.format === 'openslo' || s.format === 'sloth',
    );
    if (declared.length > 0) {
      return pass(
        `SLOs are defined in ${listing(
          declared.map(
            s => `${s.file} (${s.format === 'openslo' ? 'OpenSLO' : 'Sloth'})`,
          ),
        )}.`,
        declared.map(s => fileEvidence(s, s.format)),
      );
    }
    const other = slos[0];
    return fail(
      other
        ? `No SLO in a recognised format: ${other.file} looks like an SLO but is neither OpenSLO nor Sloth.`
        : 'No SLO defined: no OpenSLO or Sloth file in the repository.',
      other ? [fileEvidence(other, other.format)] : [],
    );
  });
}

export const policyEvaluators: EvaluatorMap = {
  'policy.compliance-requirements': evaluateComplianceRequirements,
  'policy.documented-standards': evaluateDocumentedStandards,
  'policy.resource-metrics': evaluateResourceMetrics,
  'policy.initial-audit': evaluateInitialAudit,
  'policy.policy-as-code-in-ci': evaluatePolicyAsCodeInCi,
  'policy.slo-defined': evaluateSloDefined,
};
