import { CheckEvidence } from '@cnmaturity/plugin-maturity-common';
import {
  CiPipeline,
  CiSystem,
  FoundScanner,
  MaturityCheckOutcome,
  MaturitySignals,
  ScannerKind,
} from '../model';
import {
  annotationEvidence,
  EvaluatorMap,
  fail,
  fileEvidence,
  pass,
  recentFactOutcome,
  unknown,
  withRepository,
} from './evaluators';
import {
  annotationsMatching,
  entityLinks,
  firstAnnotation,
} from './entityFields';
import {
  deploysOf,
  environmentDeploysWorkloads,
  lc,
  listing,
  renderedEvidence,
  scannersOf,
  toolName,
  triggersNotInRepository,
} from './extractionHelpers';

export const linkEvidence = (url: string): CheckEvidence => ({
  type: 'catalog',
  label: 'metadata.links',
  value: url,
});

const annotationFound = (a: { key: string; value: string }) =>
  annotationEvidence(a.key, a.value);

const CI_SYSTEM_NAMES: Record<CiSystem, string> = {
  'github-actions': 'GitHub Actions',
  'gitlab-ci': 'GitLab CI',
  jenkins: 'Jenkins',
  circleci: 'CircleCI',
  'azure-pipelines': 'Azure Pipelines',
  tekton: 'Tekton',
  'bitbucket-pipelines': 'Bitbucket Pipelines',
  drone: 'Drone',
  'cloud-build': 'Google Cloud Build',
};

const scannerEvidence = (s: FoundScanner) =>
  fileEvidence(s, `${s.tool}${s.blocking ? '' : ' (report only)'}`);

/** `production`, `prod`, `production-eu`, ... */
const isProduction = (environment: string | undefined) =>
  /^prod/.test(lc(environment));

const scanSummary = (s: FoundScanner) =>
  `${toolName(s.tool)} in ${s.file}${s.blocking ? '' : ' (report only)'}`;

// ---------------------------------------------------------------------------
// Level 1 (Build)
// ---------------------------------------------------------------------------

const SOURCE_ANNOTATIONS = [
  'backstage.io/source-location',
  'github.com/project-slug',
  'gitlab.com/project-slug',
  'gitlab.com/project-id',
  'bitbucket.org/project-slug',
  'dev.azure.com/project-repo',
];

/**
 * Level 1, Process: the code lives in source control. Catalog only: the
 * source location or a project slug annotation says where.
 */
export function evaluateSourceControl(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  // An explicit list: `sentry.io/project-slug` or `circleci.com/project-slug`
  // look alike but name no repository.
  const found = firstAnnotation(signals.entity, SOURCE_ANNOTATIONS);
  if (found) {
    return pass(`Source code is in ${found.value} (${found.key}).`, [
      annotationFound(found),
    ]);
  }
  // The collector found a repository another way (e.g. managed-by-location).
  if (signals.repository.status === 'ok') {
    return pass(`Source code is in ${signals.repository.url}.`, [
      { type: 'catalog', label: 'repository', value: signals.repository.url },
    ]);
  }
  return fail(
    'No source control location: set backstage.io/source-location or a project slug annotation such as github.com/project-slug or gitlab.com/project-slug.',
  );
}

// Annotations of the Backstage CI plugins; each names a pipeline outside the
// repository (Jenkins jobs, CircleCI projects, ...), which is enough at Level 1.
const CI_ANNOTATIONS = [
  'jenkins.io/job-full-name',
  'jenkins.io/github-folder',
  'circleci.com/project-slug',
  'buildkite.com/pipeline-slug',
  'dev.azure.com/build-definition',
  'gocd.org/pipelines',
];

function describePipelines(pipelines: CiPipeline[]): string {
  return listing(
    pipelines.map(
      p => `${p.file} (${CI_SYSTEM_NAMES[p.system] ?? String(p.system)})`,
    ),
  );
}

const KNOWN_CI = Object.keys(CI_SYSTEM_NAMES);
const NO_CI_CONFIG =
  'no GitHub Actions workflow, .gitlab-ci.yml, Jenkinsfile, .circleci/config.yml, azure-pipelines.yml, .tekton/, bitbucket-pipelines.yml, .drone.yml or cloudbuild.yaml';

/**
 * Level 1, Process: any CI pipeline, in the repository or named by a CI
 * plugin annotation. Level 2's process.ci-pipeline asks for the config file.
 */
export function evaluateCiExists(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const annotation = firstAnnotation(signals.entity, CI_ANNOTATIONS);
  if (annotation && signals.repository.status !== 'ok') {
    return pass(
      `A CI pipeline is linked: ${annotation.value} (${annotation.key}).`,
      [annotationFound(annotation)],
    );
  }
  return withRepository(signals, extraction => {
    const pipelines = extraction.ci;
    if (pipelines.length > 0) {
      return pass(`CI runs in ${describePipelines(pipelines)}.`, [
        ...pipelines.map(p => fileEvidence({ file: p.file }, p.system)),
        ...(annotation ? [annotationFound(annotation)] : []),
      ]);
    }
    if (annotation) {
      return pass(
        `A CI pipeline is linked: ${annotation.value} (${annotation.key}).`,
        [annotationFound(annotation)],
      );
    }
    return fail(
      `No CI pipeline: ${NO_CI_CONFIG} in the repository, and no CI annotation such as jenkins.io/job-full-name.`,
    );
  });
}

// ---------------------------------------------------------------------------
// Level 2 (Operate)
// ---------------------------------------------------------------------------

/** Level 2, Process: a CI config of a known system is in the repository. */
export function evaluateCiPipeline(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const pipelines = extraction.ci.filter(p => KNOWN_CI.includes(p.system));
    if (pipelines.length === 0) {
      return fail(`No CI configuration in the repository: ${NO_CI_CONFIG}.`);
    }
    return pass(
      `CI is configured in ${describePipelines(pipelines)}.`,
      pipelines.map(p => fileEvidence({ file: p.file }, p.system)),
    );
  });
}

// Builders that need no Dockerfile: the image comes from the build tool
// (Skaffold and Bazel may use Jib, ko, buildpacks or rules_oci; goreleaser `kos`).
const DOCKERFILE_FREE_BUILD =
  /\b(jib|ko|kos|pack|buildpacks?|skaffold|bazel image)\b/;

/** Level 2, Process: an image recipe (Dockerfile, Jib, ko, buildpacks) and CI builds it. */
export function evaluateContainerBuild(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const builds = extraction.ci.flatMap(p => p.imageBuilds ?? []);
    // A dev container or a test image nothing builds is not the service's recipe.
    const dockerfile = extraction.dockerfiles.find(d => !d.stray);
    const stray = extraction.dockerfiles.find(d => d.stray);
    const toolBuild = builds.find(b => DOCKERFILE_FREE_BUILD.test(lc(b.tool)));
    const recipe = dockerfile
      ? fileEvidence({ file: dockerfile.file }, 'Dockerfile')
      : undefined;
    if (builds.length > 0 && (dockerfile || toolBuild)) {
      const build = toolBuild ?? builds[0];
      return pass(
        dockerfile
          ? `CI builds the image from ${dockerfile.file} (${build.tool} in ${build.file}).`
          : `CI builds the image with ${build.tool} in ${build.file}.`,
        [...(recipe ? [recipe] : []), fileEvidence(build, build.tool)],
      );
    }
    if (dockerfile) {
      return fail(
        `${dockerfile.file} is in the repository, but no CI pipeline builds an image (docker build/buildx, kaniko, buildah, jib, ko or pack).`,
        recipe ? [recipe] : [],
      );
    }
    const strayNote = stray
      ? ` (${stray.file} is not one: nothing builds it)`
      : '';
    if (builds.length > 0) {
      return fail(
        `CI runs ${builds[0].tool} in ${builds[0].file}, but there is no Dockerfile or Containerfile in the repository${strayNote} (nor a Jib, ko or buildpacks build).`,
        [fileEvidence(builds[0], builds[0].tool)],
      );
    }
    return fail(
      `No container build: no Dockerfile or Containerfile${strayNote} (or Jib, ko, buildpacks build) in the repository and no CI step that builds an image.`,
      stray ? [fileEvidence({ file: stray.file }, 'not built')] : [],
    );
  });
}

const ARGOCD_ANNOTATIONS = ['argocd/app-name', 'argocd/app-selector'];

/** Level 2, Process: deployments are triggered from source control. */
export function evaluateDeployFromScm(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const argocd = firstAnnotation(signals.entity, ARGOCD_ANNOTATIONS);
  if (argocd && signals.repository.status !== 'ok') {
    return pass(
      `Argo CD deploys the service from Git (${argocd.key}: ${argocd.value}).`,
      [annotationFound(argocd)],
    );
  }
  return withRepository(signals, extraction => {
    const deploys = deploysOf(extraction);
    const triggered = deploys.find(d => d.onDefaultBranch || d.onTags);
    if (triggered) {
      const when = triggered.onDefaultBranch
        ? 'on merge to the default branch'
        : 'on tags';
      return pass(
        `${triggered.tool} in ${triggered.file} deploys${
          triggered.environment ? ` to ${triggered.environment}` : ''
        } ${when}.`,
        [fileEvidence(triggered, triggered.tool)],
      );
    }
    const gitops = extraction.gitops[0];
    if (gitops) {
      return pass(
        `${toolName(gitops.tool)} deploys from Git: configured in ${
          gitops.file
        }.`,
        [fileEvidence(gitops, gitops.tool)],
      );
    }
    if (argocd) {
      return pass(
        `Argo CD deploys the service from Git (${argocd.key}: ${argocd.value}).`,
        [annotationFound(argocd)],
      );
    }
    const outside = triggersNotInRepository(
      deploys.map(d => d.pipeline),
      'No deploy is seen to run on merge or on tags',
    );
    if (outside) return outside;
    const manual = deploys[0];
    return fail(
      `Deployments are not triggered from source control: ${
        manual
          ? `the deploy in ${manual.file} runs only by hand`
          : 'no CI deploy job runs on merge to the default branch or on tags'
      }, there is no Argo CD, Flux or Config Sync config in the repository, and no argocd/app-name annotation.`,
      manual ? [fileEvidence(manual, manual.tool)] : [],
    );
  });
}

/** Level 2, Process: container images are scanned in CI (blocking or not). */
export function evaluateContainerScan(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const pushed = recentFactOutcome(
    signals,
    'container-scan',
    'The image is scanned outside this repository',
  );
  if (pushed) return pushed;
  return withRepository(signals, extraction => {
    const scans = scannersOf(extraction, ['container']);
    if (scans.length === 0) {
      return fail(
        'No container image scan in CI: no Trivy, Grype, Snyk container or Docker Scout step, and no pushed container-scan fact.',
      );
    }
    return pass(
      `${listing(
        scans.map(
          s =>
            `${toolName(s.tool)} scans the image in ${s.file}${
              s.blocking ? '' : ' (report only)'
            }`,
        ),
      )}.`,
      scans.map(scannerEvidence),
    );
  });
}

// conftest, kyverno apply and gator all test manifests against rules, so a
// policy run is a config scan too.
const CONFIG_SCAN_KINDS: ScannerKind[] = ['config', 'policy'];

/** Level 2, Process: IaC and manifests are scanned in CI (blocking or not). */
export function evaluateConfigScan(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const pushed = recentFactOutcome(
    signals,
    'config-scan',
    'The configuration is scanned outside this repository',
  );
  if (pushed) return pushed;
  return withRepository(signals, extraction => {
    const scans = scannersOf(extraction, CONFIG_SCAN_KINDS);
    if (scans.length === 0) {
      return fail(
        'No configuration scan in CI: no trivy config, Checkov, Kubescape, kube-linter, KICS, conftest, tfsec or hadolint step, and no pushed config-scan fact.',
      );
    }
    return pass(
      `${listing(
        scans.map(
          s =>
            `${toolName(s.tool)} scans the configuration in ${s.file}${
              s.blocking ? '' : ' (report only)'
            }`,
        ),
      )}.`,
      scans.map(scannerEvidence),
    );
  });
}

// Annotation keys of log tools and log links, e.g. `logs.example.com/query`,
// `grafana/loki-query`, `elastic.co/kibana-url`.
const LOG_ANNOTATION =
  /(^|[./_-])logs?([./_-]|$)|loki|kibana|logz\.io|papertrail/i;

/**
 * Level 2, Process: logs are aggregated. The catalog decides when it links
 * the logs; otherwise a log pipeline in the repository. Else attestation.
 */
export function evaluateLogAggregation(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const link = entityLinks(signals.entity).find(l => lc(l.type) === 'logs');
  if (link) {
    return pass(
      `Logs are linked from the catalog: ${link.title ?? link.url}.`,
      [linkEvidence(link.url)],
    );
  }
  const annotation = annotationsMatching(signals.entity, key =>
    LOG_ANNOTATION.test(key),
  )[0];
  if (annotation) {
    return pass(`Logs are configured by the annotation ${annotation.key}.`, [
      annotationFound(annotation),
    ]);
  }
  return withRepository(signals, extraction => {
    const pipelines = extraction.observability.logPipelines;
    if (pipelines.length > 0) {
      return pass(
        `Logs are shipped by ${listing(
          pipelines.map(p => `${toolName(p.tool)} (${p.file})`),
        )}.`,
        pipelines.map(p => fileEvidence(p, p.tool)),
      );
    }
    return fail(
      'No log aggregation: no metadata.links entry of type logs, no log annotation, and no log pipeline (OpenTelemetry Collector, Fluent Bit) in the repository. Attest it if logs are collected elsewhere.',
    );
  });
}

// ---------------------------------------------------------------------------
// Level 3 (Scale)
// ---------------------------------------------------------------------------

/** Level 3, Process: code quality is measured by SonarQube/SonarCloud. */
export function evaluateCodeQuality(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const sonar = firstAnnotation(signals.entity, ['sonarqube.org/project-key']);
  if (sonar) {
    return pass(`SonarQube analyses the code (project ${sonar.value}).`, [
      annotationFound(sonar),
    ]);
  }
  return withRepository(signals, extraction => {
    const scan = scannersOf(extraction, ['sast']).find(s =>
      lc(s.tool).includes('sonar'),
    );
    if (scan) {
      return pass(`A SonarQube analysis runs in ${scan.file}.`, [
        scannerEvidence(scan),
      ]);
    }
    return fail(
      'Code quality is not measured: no sonarqube.org/project-key annotation and no SonarQube or SonarCloud scan in CI.',
    );
  });
}

/** Level 3, Process: scans run without a code change (schedule, Dependabot, Renovate). */
export function evaluateContinuousScanning(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const scheduled = extraction.ci.filter(
      p => p.triggers?.schedule && (p.scanners ?? []).length > 0,
    );
    const updates = extraction.dependencyUpdates;
    if (scheduled.length === 0 && updates.length === 0) {
      const unscheduled = extraction.ci.find(p => (p.scanners ?? []).length);
      return fail(
        `No continuous scanning: no scheduled pipeline runs a scanner${
          unscheduled
            ? ` (the scans in ${unscheduled.file} run only on changes)`
            : ''
        }, and neither Dependabot nor Renovate is configured.`,
      );
    }
    const found = [
      ...scheduled.map(
        p =>
          `${listing([
            ...new Set(p.scanners.map(s => toolName(s.tool))),
          ])} on a schedule in ${p.file}`,
      ),
      ...updates.map(u => `${toolName(u.tool)} (${u.file})`),
    ];
    return pass(`Scans run continuously: ${listing(found)}.`, [
      ...scheduled.flatMap(p => p.scanners.map(scannerEvidence)),
      ...updates.map(u => fileEvidence(u, u.tool)),
    ]);
  });
}

const ALERT_ANNOTATIONS = [
  'prometheus.io/alert',
  'grafana/alert-label-selector',
];

/** Level 3, Process: alert rules exist for the service. */
export function evaluateAlerting(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const annotation = firstAnnotation(signals.entity, ALERT_ANNOTATIONS);
  if (annotation) {
    return pass(
      `Alerts are configured (${annotation.key}: ${annotation.value}).`,
      [annotationFound(annotation)],
    );
  }
  return withRepository(signals, extraction => {
    const rules = [
      ...extraction.observability.alertRules,
      ...extraction.kubernetesObjects.filter(o => o.kind === 'PrometheusRule'),
    ];
    // One file can hold both a rule file and a PrometheusRule object.
    const files = [...new Set(rules.map(r => r.file))];
    if (files.length > 0) {
      return pass(
        `Alert rules are defined in ${listing(files)}.`,
        rules.map(r => fileEvidence(r, 'alert rules')),
      );
    }
    return fail(
      'No alerting: no alert rules or PrometheusRule in the repository, and no prometheus.io/alert or grafana/alert-label-selector annotation.',
    );
  });
}

// ---------------------------------------------------------------------------
// Level 4 (Improve)
// ---------------------------------------------------------------------------

/**
 * Level 4, Process: release cadence from pushed DORA facts. Without them the
 * check says it cannot decide; it never reads the repository because deploy
 * frequency is not visible in files.
 */
export function evaluateReleaseCadence(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  // Delivery metrics (DORA) are pushed from CI as a `dora` fact; nothing in a
  // repository shows how often a service really ships.
  const dora = signals.facts.find(f => f.source === 'dora');
  if (!dora) {
    return {
      status: 'unknown',
      message:
        'No delivery metrics have been pushed for this service yet (POST /api/maturity/facts)',
      evidence: [],
    };
  }
  const perWeek = Number(dora.values.deploymentsPerWeek);
  const evidence = [
    {
      type: 'fact' as const,
      label: 'dora.deploymentsPerWeek',
      value: String(dora.values.deploymentsPerWeek),
      ref: dora.timestamp,
    },
  ];
  const ageDays =
    (signals.now.getTime() - new Date(dora.timestamp).getTime()) / 86_400_000;
  if (!(ageDays <= 30)) {
    return fail(
      `The delivery metrics are from ${dora.timestamp}, more than 30 days ago; push current ones from CI.`,
      evidence,
    );
  }
  if (!(perWeek >= 1)) {
    return fail(
      `The service deploys ${
        Number.isFinite(perWeek) ? perWeek : 'an unknown number of times'
      } per week; a regular cadence is at least weekly.`,
      evidence,
    );
  }
  return pass(
    `Deploys ${perWeek} times per week (delivery metrics of ${dora.timestamp.slice(
      0,
      10,
    )}).`,
    evidence,
  );
}

/** Level 4, Process: a person or an automated analysis approves production changes. */
export function evaluateProductionApprovalGate(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const production = deploysOf(extraction).filter(d =>
      isProduction(d.environment),
    );
    const approved = production.find(d => d.manualApproval);
    if (approved) {
      return pass(
        `The production deploy in ${approved.file} waits for a manual approval.`,
        [fileEvidence(approved, approved.tool)],
      );
    }
    // Environment protection rules live in GitHub/GitLab settings, not in
    // files; a deploy bound to a production environment is taken as gated.
    const bound = production.find(
      d =>
        d.pipeline.system === 'github-actions' ||
        d.pipeline.system === 'gitlab-ci',
    );
    if (bound) {
      const host = bound.pipeline.system === 'gitlab-ci' ? 'GitLab' : 'GitHub';
      return pass(
        `The production deploy in ${bound.file} runs in the ${host} environment "${bound.environment}"; its approval rules are set in ${host} and are not visible in the repository.`,
        [fileEvidence(bound, `environment: ${bound.environment}`)],
      );
    }
    // Argo Rollouts gates by analysis only with an AnalysisTemplate; a
    // Flagger Canary always carries its analysis.
    const analysis = extraction.kubernetesObjects.find(o =>
      ['AnalysisTemplate', 'ClusterAnalysisTemplate'].includes(o.kind),
    );
    const rollouts = extraction.progressiveDelivery.find(
      p => p.tool === 'argo-rollouts',
    );
    const flagger = extraction.progressiveDelivery.find(
      p => p.tool === 'flagger',
    );
    if (rollouts && analysis) {
      return pass(
        `Argo Rollouts promotes to production only after the analysis in ${analysis.file}.`,
        [
          fileEvidence(rollouts, rollouts.tool),
          fileEvidence(analysis, analysis.kind),
        ],
      );
    }
    if (flagger) {
      return pass(
        `Flagger promotes to production only after its canary analysis (${flagger.file}).`,
        [fileEvidence(flagger, flagger.tool)],
      );
    }
    const ungated = production[0];
    return fail(
      `No approval gate before production: ${
        ungated
          ? `the production deploy in ${ungated.file} needs no approval`
          : 'no production deploy is visible in CI'
      }, and there is no progressive delivery with automated analysis (Argo Rollouts with an AnalysisTemplate, or Flagger).`,
      ungated ? [fileEvidence(ungated, ungated.tool)] : [],
    );
  });
}

/** Level 4, Process: vulnerable dependencies are fixed by a bot. */
export function evaluateAutomatedRemediation(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const updates = extraction.dependencyUpdates;
    const security = updates.find(u => u.securityUpdates);
    if (security) {
      return pass(
        `${toolName(security.tool)} opens security updates (${security.file}).`,
        [fileEvidence(security, security.tool)],
      );
    }
    const shared = updates.find(u => u.sharedPresets?.length);
    if (shared) {
      return unknown(
        `${toolName(shared.tool)} in ${shared.file} extends ${
          shared.sharedPresets![0]
        }, a preset kept elsewhere that is not read; it may turn security updates on. Set vulnerabilityAlerts in ${
          shared.file
        } to decide it here.`,
        [fileEvidence(shared, shared.tool)],
      );
    }
    if (updates.length > 0) {
      return fail(
        `${toolName(updates[0].tool)} is configured in ${
          updates[0].file
        }, but security updates are not enabled (Dependabot security updates or Renovate vulnerabilityAlerts).`,
        [fileEvidence(updates[0], updates[0].tool)],
      );
    }
    return fail(
      'No automated remediation: neither Dependabot nor Renovate is configured with security updates.',
    );
  });
}

const ON_CALL_ANNOTATIONS = [
  'pagerduty.com/integration-key',
  'pagerduty.com/service-id',
  'opsgenie.com/component-selector',
  'opsgenie.com/team',
];

/**
 * Level 4, Process: someone is on call and alerts reach them. The catalog
 * decides the on-call part; alerting may need the repository.
 */
export function evaluateOnCall(signals: MaturitySignals): MaturityCheckOutcome {
  const onCall = firstAnnotation(signals.entity, ON_CALL_ANNOTATIONS);
  if (!onCall) {
    return fail(
      'No on-call rotation: set pagerduty.com/integration-key, pagerduty.com/service-id, opsgenie.com/component-selector or opsgenie.com/team.',
    );
  }
  const service = onCall.key.startsWith('pagerduty') ? 'PagerDuty' : 'Opsgenie';
  const alerting = evaluateAlerting(signals);
  const evidence = [annotationFound(onCall), ...alerting.evidence];
  if (alerting.status === 'pass') {
    return pass(
      `${service} is on call (${onCall.key}) and alerts are set up.`,
      evidence,
    );
  }
  if (alerting.status === 'fail') {
    return fail(
      `${service} is on call (${onCall.key}), but nothing alerts it: no alert rules or PrometheusRule in the repository, and no prometheus.io/alert or grafana/alert-label-selector annotation.`,
      evidence,
    );
  }
  return {
    status: 'unknown',
    message: `${service} is on call (${onCall.key}), but whether alerts reach it is unknown. ${alerting.message}`,
    evidence,
  };
}

const AUTOSCALERS = ['HorizontalPodAutoscaler', 'ScaledObject'];

/** Level 4, Process: the workload scales itself (HPA, KEDA). */
export function evaluateAutoscaling(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const scalers = extraction.kubernetesObjects.filter(o =>
      AUTOSCALERS.includes(o.kind),
    );
    if (scalers.length === 0) {
      return fail(
        'No autoscaling: no HorizontalPodAutoscaler or KEDA ScaledObject in the manifests.',
      );
    }
    return pass(
      `Scales automatically: ${listing(
        scalers.map(
          s =>
            `${s.kind}${s.name ? ` ${s.name}` : ''} in ${s.file}${
              s.valuesFile ? ` with ${s.valuesFile}` : ''
            }`,
        ),
      )}.`,
      scalers.flatMap(s => renderedEvidence(s, s.kind)),
    );
  });
}

// ---------------------------------------------------------------------------
// Level 5 (Adapt)
// ---------------------------------------------------------------------------

/** Level 5, Process: every merge to the default branch reaches production unattended. */
export function evaluateContinuousDeployment(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const production = deploysOf(extraction).filter(d =>
      isProduction(d.environment),
    );
    const continuous = production.find(
      d => d.onDefaultBranch && !d.manualApproval,
    );
    if (continuous) {
      return pass(
        `Every merge to the default branch deploys to ${continuous.environment} (${continuous.file}) without a manual step.`,
        [fileEvidence(continuous, continuous.tool)],
      );
    }
    // Approximation of GitOps auto-sync: the sync policy lives in the
    // Application/Kustomization, which the extraction does not carry.
    const gitops = extraction.gitops[0];
    // An overlay that only adds configuration (a namespace, a ConfigMap)
    // syncs no service to production.
    const environment =
      extraction.environments.find(
        e => isProduction(e.name) && environmentDeploysWorkloads(extraction, e),
      ) ?? production.map(d => ({ ...d, name: d.environment ?? '' }))[0];
    if (gitops && environment) {
      return pass(
        `${toolName(gitops.tool)} syncs ${environment.name} from Git (${
          gitops.file
        }, ${environment.file}).`,
        [
          fileEvidence(gitops, gitops.tool),
          fileEvidence(environment, environment.name),
        ],
      );
    }
    const manual = production.find(d => d.manualApproval);
    const tagsOnly = production.find(d => !d.onDefaultBranch);
    let reason: string;
    if (manual) {
      reason = `the production deploy in ${manual.file} needs a manual step`;
    } else if (tagsOnly) {
      reason = `the production deploy in ${tagsOnly.file} does not run on merge to the default branch`;
    } else if (gitops) {
      reason = `${toolName(gitops.tool)} is configured in ${
        gitops.file
      }, but no production environment is visible`;
    } else {
      reason =
        'no production deploy runs on merge to the default branch, and no GitOps config syncs a production environment';
    }
    const culprit = manual ?? tagsOnly;
    return fail(
      `No continuous deployment: ${reason}.`,
      culprit ? [fileEvidence(culprit, culprit.tool)] : [],
    );
  });
}

const SUPPLY_CHAIN: Array<{ kind: ScannerKind; missing: string }> = [
  { kind: 'sbom', missing: 'no SBOM (Syft, CycloneDX)' },
  { kind: 'signing', missing: 'no image signing (cosign, Notation)' },
  { kind: 'provenance', missing: 'no build provenance (SLSA generator)' },
];

/** Level 5, Process: SBOM, signing, provenance, and GitHub Actions pinned by SHA. */
export function evaluateSupplyChain(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const missing: string[] = [];
    const found: string[] = [];
    const evidence: CheckEvidence[] = [];
    for (const { kind, missing: text } of SUPPLY_CHAIN) {
      const scan = scannersOf(extraction, [kind])[0];
      if (scan) {
        found.push(
          `${kind === 'sbom' ? 'SBOM' : kind} by ${scanSummary(scan)}`,
        );
        evidence.push(scannerEvidence(scan));
      } else {
        missing.push(text);
      }
    }
    const actions = extraction.ci
      .filter(p => p.system === 'github-actions')
      .reduce(
        (sum, p) => ({
          total: sum.total + (p.actions?.total ?? 0),
          pinned: sum.pinned + (p.actions?.pinnedBySha ?? 0),
        }),
        { total: 0, pinned: 0 },
      );
    if (actions.total > 0) {
      const unpinned = actions.total - actions.pinned;
      if (unpinned > 0) {
        missing.push(
          `${unpinned} of ${actions.total} GitHub Actions not pinned by commit SHA`,
        );
      } else {
        found.push(`all ${actions.total} GitHub Actions pinned by commit SHA`);
      }
    }
    if (missing.length > 0) {
      return fail(`Supply chain incomplete: ${listing(missing)}.`, evidence);
    }
    return pass(`Supply chain secured: ${listing(found)}.`, evidence);
  });
}

/**
 * Level 5, Process: attestation only. No file shows who can reach
 * production; the generic attestation layer turns a valid attestation into
 * a pass.
 */
export function evaluateNoHumanProdAccess(
  _signals: MaturitySignals,
): MaturityCheckOutcome {
  return fail(
    'Not attested yet: confirm that no person has standing access to change production by hand; changes reach production only through the pipeline, and break-glass access is audited.',
  );
}

export const processEvaluators: EvaluatorMap = {
  'process.source-control': evaluateSourceControl,
  'process.ci-exists': evaluateCiExists,
  'process.ci-pipeline': evaluateCiPipeline,
  'process.container-build': evaluateContainerBuild,
  'process.deploy-from-scm': evaluateDeployFromScm,
  'process.container-scan': evaluateContainerScan,
  'process.config-scan': evaluateConfigScan,
  'process.log-aggregation': evaluateLogAggregation,
  'process.code-quality': evaluateCodeQuality,
  'process.continuous-scanning': evaluateContinuousScanning,
  'process.alerting': evaluateAlerting,
  'process.release-cadence': evaluateReleaseCadence,
  'process.production-approval-gate': evaluateProductionApprovalGate,
  'process.automated-remediation': evaluateAutomatedRemediation,
  'process.on-call': evaluateOnCall,
  'process.autoscaling': evaluateAutoscaling,
  'process.continuous-deployment': evaluateContinuousDeployment,
  'process.supply-chain': evaluateSupplyChain,
  'process.no-human-prod-access': evaluateNoHumanProdAccess,
};
