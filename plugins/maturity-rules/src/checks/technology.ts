import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CheckEvidence } from '@cnmaturity/plugin-maturity-common';
import {
  ContainerFacts,
  DockerfileFacts,
  FileLocation,
  MaturityCheckOutcome,
  MaturitySignals,
  RepoExtraction,
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
import {
  firstAnnotation,
  linksOfType,
  resourceDependencies,
  specValue,
} from './entityFields';
import {
  containersOf,
  deploysOf,
  filesOf,
  lc,
  renderedEvidence,
  renderedWhere,
  scannersOf,
  where,
  workloadName,
} from './extractionHelpers';
import { imageTagKind, isOfficialImage } from './imageTags';

const NO_WORKLOADS =
  'No Kubernetes workloads (Deployment, StatefulSet, ...) found in the repository';

/**
 * Containers that break `problemsOf`, as a fail naming the first offender,
 * or undefined when every container is fine.
 */
function firstContainerProblem(
  containers: Array<{ workload: WorkloadFacts; container: ContainerFacts }>,
  problemsOf: (c: ContainerFacts) => string[],
  blocks: Array<keyof NonNullable<ContainerFacts['fromValues']>> = [],
): MaturityCheckOutcome | undefined {
  const offenders = containers
    .map(c => ({ ...c, problems: problemsOf(c.container) }))
    .filter(c => c.problems.length > 0);
  if (offenders.length === 0) return undefined;
  // A Helm chart's values file that set the block at fault, to cite beside the template.
  const valuesAt = (c: ContainerFacts) => {
    const block = blocks.find(b => c.fromValues?.[b]);
    return block && { block, at: c.fromValues![block]! };
  };
  const first = offenders[0];
  const firstValues = valuesAt(first.container);
  const rest = offenders.length - 1;
  const more =
    rest > 0 ? ` (and ${rest} more container${rest === 1 ? '' : 's'})` : '';
  return fail(
    `Container ${first.container.name} in ${workloadName(
      first.workload,
    )} (${renderedWhere(first.workload)}) ${first.problems.join(', ')}${
      firstValues ? ` (${firstValues.block} from ${where(firstValues.at)})` : ''
    }${more}.`,
    offenders.flatMap(o => {
      const label = `${o.container.name}: ${o.problems.join(', ')}`;
      const values = valuesAt(o.container);
      return [
        fileEvidence(o.workload, label),
        ...(values ? [fileEvidence(values.at, label)] : []),
      ];
    }),
  );
}

/** The final stage's base image: the runtime image. */
const runtimeBase = (dockerfile: DockerfileFacts) =>
  dockerfile.baseImages?.[dockerfile.baseImages.length - 1];

/** `golang:1.22`, `gcr.io/distroless/static@sha256:..`, with the stage it comes through. */
function baseImageLabel(dockerfile: DockerfileFacts): string {
  const runtime = runtimeBase(dockerfile);
  if (!runtime) return '';
  const ref = runtime.digest
    ? `${runtime.image}${runtime.tag ? `:${runtime.tag}` : ''}@${
        runtime.digest
      }`
    : `${runtime.image}${runtime.tag ? `:${runtime.tag}` : ''}`;
  return runtime.fromStage ? `${ref} (stage ${runtime.fromStage})` : ref;
}

/**
 * What is wrong with a Dockerfile's runtime base image (the final stage's, an
 * earlier stage followed to its image), or undefined when it is pinned by a
 * version tag or digest. `scratch` needs no tag; an ARG without a default
 * cannot be judged from the file, except `latest-${ARCH}`, which is latest.
 */
function runtimeBaseProblem(dockerfile: DockerfileFacts): string | undefined {
  const runtime = runtimeBase(dockerfile);
  if (!runtime) return `${dockerfile.file} has no FROM instruction`;
  const image = runtime.image ?? '';
  const tag = runtime.tag ?? '';
  const label = `the runtime base image ${baseImageLabel(
    dockerfile,
  )} in ${where(runtime)}`;
  if (/^latest(?:$|[-_.$])/i.test(tag) && !runtime.digest) {
    return `${label} uses the latest tag`;
  }
  if (
    lc(image) === 'scratch' ||
    image.includes('$') ||
    tag.includes('$') ||
    runtime.digest
  ) {
    return undefined;
  }
  return tag ? undefined : `${label} has no version tag`;
}

/** The last part of an image's name, without registry, tag or digest. */
const imageName = (ref: string) =>
  ref
    .split('@')[0]
    .replace(/:[^/]*$/, '')
    .split('/')
    .pop() ?? '';

// Objects that deploy images named elsewhere (a remote chart, another repository).
const REMOTE_IMAGE_KINDS = ['HelmRelease', 'Application', 'ApplicationSet'];

/** Why a stray Dockerfile is not the service's image, for messages. */
const strayReason = (dockerfile: DockerfileFacts) =>
  /(?:^|\/)\.devcontainer\//.test(dockerfile.file)
    ? 'a dev container'
    : 'no CI, compose or skaffold file refers to it';

/**
 * Level 1, Technology: the service ships as a container image with a version
 * tag. An image the manifests run, or one CI builds, carries a version,
 * commit or ref, not only `latest`. A Dockerfile alone ships nothing, and the
 * base image's pin is technology.container-hygiene's question.
 */
export function evaluateContainerImage(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const builds = extraction.ci.flatMap(p => p.imageBuilds ?? []);
    const pushed = builds.flatMap(b =>
      (b.tags ?? []).map(ref => ({
        ref,
        at: b as FileLocation,
        kind: imageTagKind(ref),
        how: `${b.tool} tags`,
      })),
    );
    // Official images (postgres, redis) run beside the service, not as it.
    const run = containersOf(extraction)
      .map(c => ({ ref: c.container.image ?? '', at: c.workload }))
      .filter(i => i.ref && !isOfficialImage(i.ref))
      .map(i => ({
        ...i,
        kind: imageTagKind(i.ref),
        how: 'the manifests run',
      }));
    // Where images are named like what the repository builds, those decide.
    const built = new Set([
      ...extraction.dockerfiles
        .filter(d => !d.stray && d.file.includes('/'))
        .map(d => d.file.split('/').slice(-2)[0]),
      ...pushed.map(p => imageName(p.ref)),
    ]);
    const own = run.filter(i => built.has(imageName(i.ref)));
    const shipped = own.length > 0 ? own : run;
    const runVersioned = shipped.find(i => i.kind === 'version');
    if (runVersioned) {
      return pass(
        `The manifests run ${runVersioned.ref} (${where(
          runVersioned.at,
        )}), an image with a version tag.`,
        [fileEvidence(runVersioned.at, runVersioned.ref)],
      );
    }
    const pushedVersioned = pushed.find(i => i.kind === 'version');
    if (pushedVersioned) {
      return pass(
        `CI builds the image with a version tag: ${pushedVersioned.how} ${
          pushedVersioned.ref
        } (${where(pushedVersioned.at)}).`,
        [fileEvidence(pushedVersioned.at, pushedVersioned.ref)],
      );
    }
    // A build whose tags are not visible, or a templated image, may be versioned.
    const hidden = [
      ...builds
        .filter(b => !b.tags?.length)
        .map(b => ({
          at: b as FileLocation,
          what: `${b.tool} builds an image`,
        })),
      ...[...shipped, ...pushed]
        .filter(i => i.kind === 'unknown')
        .map(i => ({ at: i.at, what: `${i.how} ${i.ref}` })),
    ];
    if (hidden.length > 0) {
      return unknown(
        `Which tag the image ships with is not visible: ${
          hidden[0].what
        } (${where(
          hidden[0].at,
        )}), and no image in the repository carries a version tag.`,
        hidden.slice(0, 3).map(h => fileEvidence(h.at)),
      );
    }
    const floating = [...shipped, ...pushed];
    if (floating.length > 0) {
      const f = floating[0];
      return fail(
        `No image with a version tag: ${f.how} ${f.ref} (${where(
          f.at,
        )}), which has none${
          floating.length > 1 ? ` (and ${floating.length - 1} more)` : ''
        }; tag each image with its version or commit.`,
        floating.slice(0, 3).map(i => fileEvidence(i.at, i.ref)),
      );
    }
    const remote = extraction.kubernetesObjects.find(o =>
      REMOTE_IMAGE_KINDS.includes(o.kind),
    );
    if (remote) {
      return unknown(
        `No image is named in the repository; the images come from what ${
          remote.kind
        }${remote.name ? ` ${remote.name}` : ''} (${where(
          remote,
        )}) deploys, which is not read.`,
        [fileEvidence(remote, remote.kind)],
      );
    }
    const recipe = extraction.dockerfiles.find(d => !d.stray);
    if (recipe) {
      return fail(
        `${recipe.file} is in the repository, but no CI step builds the image with a tag and no manifest runs it, so it does not ship as a versioned image.`,
        [fileEvidence({ file: recipe.file })],
      );
    }
    const stray = extraction.dockerfiles[0];
    return fail(
      stray
        ? `The service does not ship as a container image: nothing builds ${
            stray.file
          } (${strayReason(
            stray,
          )}), no CI step builds an image and no manifest runs one.`
        : 'The service does not ship as a container image: no CI step builds one and no manifest runs one.',
      stray ? [fileEvidence({ file: stray.file })] : [],
    );
  });
}

/**
 * Level 1, Technology: infrastructure is code, in the repository (Terraform,
 * OpenTofu, Pulumi, Crossplane, CloudFormation) or as a Resource in the
 * catalog the service depends on. The catalog alone can decide a pass.
 */
export function evaluateInfrastructureAsCode(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const resource = resourceDependencies(signals).find(r => r.entity);
  if (resource) {
    return pass(
      `Infrastructure is described in the catalog: the service depends on ${resource.ref}.`,
      [
        {
          type: 'catalog',
          label: 'spec.dependsOn',
          value: resource.ref,
          ref: resource.ref,
        },
      ],
    );
  }
  return withRepository(signals, extraction => {
    const iac = extraction.infrastructureAsCode;
    if (iac.length > 0) {
      return pass(
        `Infrastructure as code: ${[...new Set(iac.map(i => i.tool))].join(
          ', ',
        )} (${where(iac[0])}).`,
        iac.map(i => fileEvidence(i, i.tool)),
      );
    }
    return fail(
      'No infrastructure as code (Terraform, OpenTofu, Pulumi, Crossplane, CloudFormation) in the repository, and the service depends on no Resource in the catalog.',
    );
  });
}

/**
 * Level 1, Technology: CI tests a running instance: a probe or test after a
 * deploy or after starting the service (kind, compose up), `helm test`, or
 * an e2e suite (Playwright, Cypress, k6, newman). A unit-test run starts
 * nothing, so it is not a smoke test.
 */
export function evaluateSmokeTests(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    if (extraction.ci.length === 0) {
      return fail('No CI pipeline found, so no smoke tests run.');
    }
    const smoke = extraction.ci.flatMap(p => p.smokeTests ?? []);
    if (smoke.length > 0) {
      return pass(
        `CI tests a running instance: ${smoke[0].tool} (${where(smoke[0])}).`,
        smoke.map(t => fileEvidence(t, t.tool)),
      );
    }
    const tests = extraction.ci.flatMap(p => p.tests ?? []);
    const nothing = `No test of a running instance in CI (${extraction.ci
      .map(p => p.file)
      .join(
        ', ',
      )}): nothing probes or tests the service after a deploy, compose up or kind cluster, and no helm test, Playwright, Cypress, k6 or newman run`;
    if (tests.length > 0) {
      return fail(
        `${nothing}. ${tests[0].tool} (${where(
          tests[0],
        )}) runs tests without starting the service.`,
        tests.slice(0, 3).map(t => fileEvidence(t, t.tool)),
      );
    }
    return fail(`${nothing}.`);
  });
}

const MONITORING_ANNOTATIONS = [
  'grafana/dashboard-selector',
  'grafana/overview-dashboard',
  'prometheus.io/rule',
];

/**
 * Level 2, Technology: the service is monitored. A Grafana or Prometheus
 * annotation decides without the repository; otherwise a ServiceMonitor or
 * PodMonitor in the repository.
 */
export function evaluateMonitoring(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const found = firstAnnotation(signals.entity, MONITORING_ANNOTATIONS);
  if (found) {
    return pass(`Monitored: ${found.key} is set.`, [
      annotationEvidence(found.key, found.value),
    ]);
  }
  return withRepository(signals, extraction => {
    const monitor = extraction.kubernetesObjects.find(
      o => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor',
    );
    if (monitor) {
      return pass(
        `Monitored: ${monitor.kind}${
          monitor.name ? ` ${monitor.name}` : ''
        } (${renderedWhere(monitor)}).`,
        renderedEvidence(monitor, monitor.kind),
      );
    }
    return fail(
      'No monitoring found: no grafana/dashboard-selector, grafana/overview-dashboard or prometheus.io/rule annotation and no ServiceMonitor or PodMonitor in the repository.',
    );
  });
}

const KUBERNETES_ANNOTATIONS = [
  'backstage.io/kubernetes-id',
  'backstage.io/kubernetes-label-selector',
];

/** Level 2, Technology: runs in production on Kubernetes, as the catalog says. */
export function evaluateInProduction(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const lifecycle = specValue(signals.entity, 'lifecycle');
  const lifecycleEvidence: CheckEvidence = {
    type: 'catalog',
    label: 'spec.lifecycle',
    ...(typeof lifecycle === 'string' ? { value: lifecycle } : {}),
  };
  if (lifecycle !== 'production') {
    return fail(
      typeof lifecycle === 'string' && lifecycle.trim() !== ''
        ? `Not in production: spec.lifecycle is ${lifecycle}.`
        : 'Not in production: spec.lifecycle is not set to production.',
      [lifecycleEvidence],
    );
  }
  const kubernetes = firstAnnotation(signals.entity, KUBERNETES_ANNOTATIONS);
  if (!kubernetes) {
    return fail(
      'In production, but no backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector annotation links it to its workloads on Kubernetes.',
      [lifecycleEvidence],
    );
  }
  return pass(
    `In production on Kubernetes (${kubernetes.key}: ${kubernetes.value}).`,
    [lifecycleEvidence, annotationEvidence(kubernetes.key, kubernetes.value)],
  );
}

/**
 * Level 2, Technology: every container sets CPU and memory requests and a
 * memory limit. A CPU limit is not required, since it causes throttling.
 */
export function evaluateRequestsLimits(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const containers = containersOf(extraction);
    if (containers.length === 0) {
      return fail(`${NO_WORKLOADS} to check for resource requests and limits.`);
    }
    const problem = firstContainerProblem(
      containers,
      c =>
        [
          c.requests?.cpu ? '' : 'requests.cpu',
          c.requests?.memory ? '' : 'requests.memory',
          c.limits?.memory ? '' : 'limits.memory',
        ]
          .filter(Boolean)
          .map((missing, i) => (i === 0 ? `does not set ${missing}` : missing)),
      ['resources'],
    );
    if (problem) return problem;
    return pass(
      `CPU and memory requests and a memory limit on every container (${filesOf(
        extraction.workloads,
      )}).`,
      extraction.workloads.map(w => fileEvidence(w, workloadName(w))),
    );
  });
}

// distroless `:nonroot` (and `:debug-nonroot`, `:nonroot-amd64`) run as uid 65532.
const NONROOT_TAG = /(?:^|-)nonroot(?:$|-)/;

/**
 * What a Dockerfile does that lets the container run as root or drift, each
 * with where it shows. The final stage's user decides: a non-zero uid or a
 * name other than root is non-root, as is a distroless `:nonroot` base.
 */
function dockerfileProblems(
  dockerfile: DockerfileFacts,
): Array<{ text: string; at: FileLocation }> {
  const problems: Array<{ text: string; at: FileLocation }> = [];
  const user = dockerfile.user?.value?.trim();
  const userName = lc(user?.split(':')[0]);
  if (!dockerfile.user || !user) {
    if (!NONROOT_TAG.test(runtimeBase(dockerfile)?.tag ?? '')) {
      problems.push({
        text: `${dockerfile.file} has no USER in its final stage, so the container runs as root`,
        at: { file: dockerfile.file },
      });
    }
  } else if (userName === 'root' || /^0+$/.test(userName)) {
    problems.push({
      text: `${where(dockerfile.user)} sets USER ${user}`,
      at: dockerfile.user,
    });
  }
  const base = runtimeBaseProblem(dockerfile);
  if (base) {
    problems.push({
      text: base,
      at: runtimeBase(dockerfile) ?? { file: dockerfile.file },
    });
  }
  return problems;
}

/**
 * Level 2, Technology: containers do not run as root and cannot escalate.
 * runAsUser set to a non-zero id counts as non-root, like runAsNonRoot.
 * Manifests and Dockerfiles are each checked when present.
 */
export function evaluateContainerHygiene(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const containers = containersOf(extraction);
    // A dev container or an unused test image is not what runs.
    const dockerfiles = extraction.dockerfiles.filter(d => !d.stray);
    if (containers.length === 0 && dockerfiles.length === 0) {
      return fail(
        'No Kubernetes workloads or Dockerfiles found to check how containers run.',
      );
    }
    const problem = firstContainerProblem(
      containers,
      c => {
        const sc = c.securityContext ?? {};
        const nonRoot =
          sc.runAsNonRoot === true ||
          (typeof sc.runAsUser === 'number' && sc.runAsUser > 0);
        return [
          ...(nonRoot ? [] : ['does not set runAsNonRoot: true']),
          ...(sc.allowPrivilegeEscalation === false
            ? []
            : ['does not set allowPrivilegeEscalation: false']),
          ...(sc.privileged === true ? ['runs privileged'] : []),
        ];
      },
      ['securityContext'],
    );
    if (problem) return problem;
    for (const dockerfile of dockerfiles) {
      const problems = dockerfileProblems(dockerfile);
      if (problems.length > 0) {
        return fail(
          `Container hygiene: ${problems.map(p => p.text).join('; ')}.`,
          problems.map(p => fileEvidence(p.at)),
        );
      }
    }
    const checked = [
      ...(containers.length > 0
        ? ['containers run as non-root without privilege escalation']
        : []),
      ...(dockerfiles.length > 0
        ? ['Dockerfiles run as a non-root user on a pinned base image']
        : []),
    ];
    const files = [...extraction.workloads, ...dockerfiles];
    return pass(
      `All ${checked.join('; all ')} (${filesOf(files)}).`,
      files.map(f => fileEvidence({ file: f.file })),
    );
  });
}

/** Level 2, Technology (supporting): readiness and liveness probes on every container. */
export function evaluateHealthProbes(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    // Jobs run to completion; nothing routes traffic to them or restarts them on a probe.
    const containers = containersOf(extraction).filter(
      c => !['Job', 'CronJob'].includes(c.workload.kind),
    );
    if (containers.length === 0) {
      return fail(`${NO_WORKLOADS} to check for health probes.`);
    }
    const problem = firstContainerProblem(
      containers,
      c => {
        const missing = [
          ...(c.readinessProbe ? [] : ['readiness']),
          ...(c.livenessProbe ? [] : ['liveness']),
        ];
        return missing.length > 0
          ? [`has no ${missing.join(' or ')} probe`]
          : [];
      },
      ['readinessProbe', 'livenessProbe'],
    );
    if (problem) return problem;
    return pass(
      `Readiness and liveness probes on every container (${filesOf(
        containers.map(c => c.workload),
      )}).`,
      [...new Set(containers.map(c => c.workload))].map(w =>
        fileEvidence(w, workloadName(w)),
      ),
    );
  });
}

/**
 * The provided APIs, resolved: each entry of spec.providesApis with its
 * catalog entity and definition, or why it is not usable.
 */
function providedApis(signals: MaturitySignals): Array<{
  ref: string;
  definition?: string;
  problem?: string;
}> {
  const raw = specValue(signals.entity, 'providesApis');
  if (!Array.isArray(raw)) return [];
  const namespace =
    typeof signals.entity?.metadata?.namespace === 'string'
      ? signals.entity.metadata.namespace
      : 'default';
  return raw.map(item => {
    if (typeof item !== 'string' || item.trim() === '') {
      return { ref: String(item), problem: 'is not an API reference' };
    }
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(item, {
          defaultKind: 'API',
          defaultNamespace: namespace,
        }),
      ).toLocaleLowerCase('en-US');
    } catch {
      return { ref: item, problem: 'is not a valid entity reference' };
    }
    const api = signals.related.get(ref);
    if (!api) return { ref, problem: 'is not in the catalog' };
    const definition = specValue(api, 'definition');
    if (typeof definition !== 'string' || definition.trim() === '') {
      return { ref, problem: 'has no definition' };
    }
    return { ref, definition };
  });
}

/** Level 2, Technology: the service exposes APIs, each with a definition. */
export function evaluateApiExposed(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const apis = providedApis(signals);
  const evidence: CheckEvidence[] = apis.map(a => ({
    type: 'catalog',
    label: 'spec.providesApis',
    value: a.ref,
    ...(a.problem ? {} : { ref: a.ref }),
  }));
  if (apis.length === 0) {
    return fail(
      'No API exposed: spec.providesApis is empty; register the API the service provides, with its definition.',
      [{ type: 'catalog', label: 'spec.providesApis' }],
    );
  }
  const broken = apis.filter(a => a.problem);
  if (broken.length > 0) {
    return fail(
      `Provided APIs without a usable definition: ${broken
        .map(a => `${a.ref} ${a.problem}`)
        .join('; ')}.`,
      evidence,
    );
  }
  return pass(
    `Provides ${apis.length} API${apis.length === 1 ? '' : 's'} with ${
      apis.length === 1 ? 'a definition' : 'definitions'
    }: ${apis.map(a => a.ref).join(', ')}.`,
    evidence,
  );
}

/** Level 2, Technology: deployments are declared (manifests, kustomize or Helm). */
export function evaluateDeclarativeDeploy(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const found = [
      ...extraction.kustomize.map(k => ({
        file: k.file,
        what: 'kustomization',
      })),
      ...extraction.helmCharts.map(h => ({ file: h.file, what: 'Helm chart' })),
      ...extraction.workloads.map(w => ({
        file: w.file,
        line: w.line,
        what: 'Kubernetes manifest',
      })),
      ...extraction.kubernetesObjects.map(o => ({
        file: o.file,
        line: o.line,
        what: 'Kubernetes manifest',
      })),
    ];
    if (found.length === 0) {
      return fail(
        'No declarative deployment: no Kubernetes manifests, kustomization.yaml or Chart.yaml found in the repository.',
      );
    }
    return pass(
      `Deployed declaratively: ${found[0].what} (${found[0].file}).`,
      [
        ...new Map(
          found.map(f => [f.file, fileEvidence({ file: f.file }, f.what)]),
        ).values(),
      ],
    );
  });
}

/** A Secret committed with a name that says SOPS encrypted it, or a repo using SOPS. */
function sopsManaged(extraction: RepoExtraction, file: string): boolean {
  return (
    /\.(sops|enc)\.[^/]*$/i.test(file) ||
    extraction.files.some(f => f === '.sops.yaml' || f.endsWith('/.sops.yaml'))
  );
}

/**
 * Level 2, Technology: secrets stay out of the repository: a secret scanner
 * runs in CI and no plain Secret with data is committed. SealedSecret,
 * ExternalSecret and SOPS-encrypted files are fine.
 */
export function evaluateSecretsHygiene(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const committed = extraction.kubernetesObjects.filter(
      o =>
        o.kind === 'Secret' &&
        o.hasSecretData &&
        !sopsManaged(extraction, o.file),
    );
    if (committed.length > 0) {
      const first = committed[0];
      return fail(
        `A Secret${
          first.name ? ` (${first.name})` : ''
        } with data is committed in ${renderedWhere(
          first,
        )}; use SealedSecret, ExternalSecret or SOPS.`,
        committed.flatMap(o => renderedEvidence(o, o.name ?? 'Secret')),
      );
    }
    const scanner = scannersOf(extraction, ['secret'])[0];
    if (!scanner) {
      return fail(
        'No secret scanning (gitleaks, trufflehog, detect-secrets) runs in CI.',
      );
    }
    return pass(
      `Secret scanning in CI (${scanner.tool}, ${where(
        scanner,
      )}) and no Secret with data committed.`,
      [fileEvidence(scanner, scanner.tool)],
    );
  });
}

/**
 * Level 2, Technology: traffic is encrypted and APIs authenticate: TLS on an
 * Ingress or Gateway, mesh mTLS, or securitySchemes in a provided OpenAPI
 * definition. The API definition alone can decide a pass; otherwise the
 * owner may attest (applied elsewhere).
 */
export function evaluateEncryptionAuth(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const secured = providedApis(signals).find(
    a => a.definition && /\bsecuritySchemes\b/.test(a.definition),
  );
  if (secured) {
    return pass(
      `The provided API ${secured.ref} declares securitySchemes for authentication.`,
      [
        {
          type: 'catalog',
          label: 'spec.definition',
          value: 'securitySchemes',
          ref: secured.ref,
        },
      ],
    );
  }
  return withRepository(signals, extraction => {
    const entrypoints = extraction.kubernetesObjects.filter(
      o => o.kind === 'Ingress' || o.kind === 'Gateway',
    );
    const tls = entrypoints.find(o => o.tls);
    if (tls) {
      return pass(
        `TLS on ${tls.kind}${tls.name ? ` ${tls.name}` : ''} (${renderedWhere(
          tls,
        )}).`,
        renderedEvidence(tls, `${tls.kind} TLS`),
      );
    }
    const strict = extraction.kubernetesObjects.find(
      o => o.kind === 'PeerAuthentication' && lc(o.mtlsMode) === 'strict',
    );
    if (strict) {
      return pass(
        `Mesh mTLS is STRICT (PeerAuthentication, ${renderedWhere(strict)}).`,
        renderedEvidence(strict, 'mTLS STRICT'),
      );
    }
    const mesh = extraction.serviceMesh[0];
    if (mesh) {
      return pass(
        `The ${
          mesh.tool
        } service mesh encrypts traffic between services with mTLS (${where(
          mesh,
        )}).`,
        [fileEvidence(mesh, mesh.tool)],
      );
    }
    const plain = entrypoints[0];
    return fail(
      plain
        ? `${plain.kind}${plain.name ? ` ${plain.name}` : ''} (${where(
            plain,
          )}) has no TLS, and no mesh mTLS or securitySchemes in a provided API was found; attest if encryption and authentication are handled elsewhere.`
        : 'No TLS on an Ingress or Gateway, no mesh mTLS and no securitySchemes in a provided API found; attest if encryption and authentication are handled elsewhere.',
      plain ? [fileEvidence(plain, plain.kind)] : [],
    );
  });
}

const PRE_PRODUCTION = new Set([
  'staging',
  'stage',
  'stg',
  'dev',
  'development',
  'test',
  'testing',
  'qa',
  'uat',
  'preprod',
]);

/** Whether a name or path names a pre-production environment. */
const namesPreProduction = (value: unknown) =>
  lc(value)
    .split(/[^a-z0-9]+/)
    .some(part => PRE_PRODUCTION.has(part));

/**
 * Level 2, Technology: changes are validated before production: a config
 * scan runs against a staging/dev/test environment, or CI deploys to one.
 */
export function evaluateStagingValidation(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const environments = extraction.environments.filter(e =>
      namesPreProduction(e.name),
    );
    const scanners = scannersOf(extraction, ['config', 'policy']).filter(
      s => s.target,
    );
    for (const env of environments) {
      const scan = scanners.find(s =>
        lc(s.target)
          .split(/[^a-z0-9]+/)
          .includes(lc(env.name)),
      );
      if (scan) {
        return pass(
          `The ${env.name} environment (${where(env)}) is validated by ${
            scan.tool
          } (${where(scan)}).`,
          [fileEvidence(env, env.name), fileEvidence(scan, scan.tool)],
        );
      }
    }
    const deploy = deploysOf(extraction).find(d =>
      namesPreProduction(d.environment),
    );
    if (deploy) {
      return pass(
        `CI deploys to ${deploy.environment} before production (${where(
          deploy,
        )}).`,
        [fileEvidence(deploy, deploy.environment)],
      );
    }
    if (environments.length === 0) {
      return fail(
        'No staging, dev or test environment found (kustomize overlay, Helm values file or CI environment).',
      );
    }
    const env = environments[0];
    return fail(
      `The ${env.name} environment (${where(
        env,
      )}) is not validated: no config scan targets it and CI does not deploy to it.`,
      [fileEvidence(env, env.name)],
    );
  });
}

/** Level 3, Technology: deployments are packaged with Helm or reconciled by GitOps. */
export function evaluateHelmOrGitops(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const gitops = extraction.gitops[0];
    if (gitops) {
      return pass(`GitOps with ${gitops.tool} (${where(gitops)}).`, [
        fileEvidence(gitops, gitops.tool),
      ]);
    }
    const chart = extraction.helmCharts[0];
    if (chart) {
      return pass(
        `Helm chart${chart.name ? ` ${chart.name}` : ''} (${chart.file}).`,
        [fileEvidence({ file: chart.file }, chart.name)],
      );
    }
    return fail(
      'No Helm chart (Chart.yaml) or GitOps config (Argo CD, Flux, Config Sync) found in the repository.',
    );
  });
}

const DASHBOARD_ANNOTATIONS = [
  'grafana/dashboard-selector',
  'grafana/overview-dashboard',
];

const DASHBOARD_FORMATS = {
  'grafana-json': 'Grafana dashboard JSON',
  'grafana-operator': 'GrafanaDashboard',
  configmap: 'ConfigMap labelled grafana_dashboard',
};

/**
 * Level 3, Technology: the service has dashboards, linked from the catalog
 * or committed as code (Grafana JSON, GrafanaDashboard, grafana_dashboard
 * ConfigMaps). Jsonnet sources are not read: only rendered JSON counts.
 */
export function evaluateDashboards(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  const found = firstAnnotation(signals.entity, DASHBOARD_ANNOTATIONS);
  if (found) {
    return pass(`Grafana dashboards linked (${found.key}).`, [
      annotationEvidence(found.key, found.value),
    ]);
  }
  const link = linksOfType(signals.entity, 'dashboard')[0];
  if (link) {
    return pass(`Dashboard linked: ${link.title ?? link.url}.`, [
      {
        type: 'catalog',
        label: 'metadata.links',
        value: link.url,
        ref: link.url,
      },
    ]);
  }
  return withRepository(signals, extraction => {
    const dashboards = extraction.observability?.dashboards ?? [];
    if (dashboards.length > 0) {
      const first = dashboards[0];
      return pass(
        `Dashboards as code: ${DASHBOARD_FORMATS[first.format]} (${where(
          first,
        )}${
          dashboards.length > 1 ? ` and ${dashboards.length - 1} more` : ''
        }).`,
        dashboards
          .slice(0, 10)
          .map(d => fileEvidence(d, DASHBOARD_FORMATS[d.format])),
      );
    }
    // A dashboard-named JSON over the size limit was not read: it may be one.
    const skipped = extraction.notes.find(
      n =>
        /(?:^|\/)(?:grafana|dashboards?)\/.*\.json$|dashboard[^/]*\.json$/i.test(
          n.file,
        ) && n.message.startsWith('Skipped'),
    );
    if (skipped) {
      return {
        status: 'unknown',
        message: `No dashboard linked or found as code, but ${skipped.file} was not read (${skipped.message}).`,
        evidence: [fileEvidence({ file: skipped.file })],
      };
    }
    return fail(
      'No dashboard: set grafana/dashboard-selector or grafana/overview-dashboard, add a metadata.links entry of type dashboard, or commit dashboards as code (Grafana JSON, GrafanaDashboard, ConfigMap labelled grafana_dashboard).',
    );
  });
}

const SECRET_MANAGER_KINDS = new Set([
  'ExternalSecret',
  'ClusterExternalSecret',
  'SealedSecret',
  'VaultStaticSecret',
  'VaultDynamicSecret',
  'VaultAuth',
]);

/** Level 3, Technology: secrets come from a secret manager. */
export function evaluateSecretsManager(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const object = extraction.kubernetesObjects.find(o =>
      SECRET_MANAGER_KINDS.has(o.kind),
    );
    if (object) {
      return pass(
        `Secrets from a secret manager: ${object.kind}${
          object.name ? ` ${object.name}` : ''
        } (${where(object)}).`,
        [fileEvidence(object, object.kind)],
      );
    }
    const vault = extraction.workloads.find(w =>
      Object.keys(w.annotations ?? {}).some(k =>
        k.startsWith('vault.hashicorp.com/'),
      ),
    );
    if (vault) {
      return pass(
        `Secrets injected by Vault into ${workloadName(vault)} (${where(
          vault,
        )}).`,
        [fileEvidence(vault, 'vault.hashicorp.com/*')],
      );
    }
    return fail(
      'No secret manager: no ExternalSecret, SealedSecret or Vault integration found in the repository.',
    );
  });
}

/** Level 3, Technology: requests are traced with OpenTelemetry. */
export function evaluateTracing(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const otel = extraction.observability?.openTelemetry ?? [];
    if (otel.length > 0) {
      // An SDK the service depends on says most about the service itself.
      const first = otel.find(o => o.dependency) ?? otel[0];
      return pass(
        first.dependency
          ? `Traced with OpenTelemetry: depends on ${first.dependency} (${where(
              first,
            )}).`
          : `Traced with OpenTelemetry (${where(first)}).`,
        otel.map(o => fileEvidence(o, o.dependency ?? 'OpenTelemetry')),
      );
    }
    return fail(
      'No tracing: no OpenTelemetry SDK as a direct dependency of a service (go.mod, package.json, requirements, pyproject.toml, pom.xml, build.gradle, *.csproj), no instrumentation annotation or OTLP endpoint in the manifests, and no collector configuration found in the repository.',
    );
  });
}

/** Level 4, Technology: the service runs in a service mesh. */
export function evaluateServiceMesh(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const mesh = extraction.serviceMesh[0];
    if (mesh) {
      return pass(`Runs in the ${mesh.tool} service mesh (${where(mesh)}).`, [
        fileEvidence(mesh, mesh.tool),
      ]);
    }
    const peer = extraction.kubernetesObjects.find(
      o => o.kind === 'PeerAuthentication',
    );
    if (peer) {
      return pass(
        `Runs in a service mesh (PeerAuthentication, ${renderedWhere(peer)}).`,
        renderedEvidence(peer, 'PeerAuthentication'),
      );
    }
    return fail(
      'No service mesh (Istio, Linkerd, Cilium, Consul) configuration found in the repository.',
    );
  });
}

// CI deploys with these tools push to the cluster instead of letting a
// GitOps controller pull the desired state.
const IMPERATIVE_DEPLOY = /^(kubectl|helm|helmfile|oc|skaffold)\b/;

/** Level 5, Technology: all deployment goes through GitOps. */
export function evaluateFullGitops(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const gitops = extraction.gitops[0];
    if (!gitops) {
      return fail(
        'No GitOps controller config (Argo CD, Flux, Config Sync) found.',
      );
    }
    const imperative = deploysOf(extraction).find(d =>
      IMPERATIVE_DEPLOY.test(lc(d.tool)),
    );
    if (imperative) {
      return fail(
        `CI still deploys imperatively with ${imperative.tool} (${where(
          imperative,
        )}) beside ${gitops.tool}.`,
        [
          fileEvidence(imperative, imperative.tool),
          fileEvidence(gitops, gitops.tool),
        ],
      );
    }
    return pass(
      `Every deploy goes through ${gitops.tool} (${where(
        gitops,
      )}); CI does not deploy imperatively.`,
      [fileEvidence(gitops, gitops.tool)],
    );
  });
}

/** Level 5, Technology: releases roll out progressively (canary, blue-green). */
export function evaluateProgressiveDelivery(
  signals: MaturitySignals,
): MaturityCheckOutcome {
  return withRepository(signals, extraction => {
    const found = extraction.progressiveDelivery[0];
    if (found) {
      return pass(
        `Progressive delivery with ${found.tool} (${where(found)}).`,
        [fileEvidence(found, found.tool)],
      );
    }
    // The objects themselves, in case the tool was not recognised by name.
    const object =
      extraction.workloads.find(w => w.kind === 'Rollout') ??
      extraction.kubernetesObjects.find(
        o => o.kind === 'Rollout' || o.kind === 'Canary',
      );
    if (object) {
      return pass(
        `Progressive delivery with a ${object.kind} (${where(object)}).`,
        [fileEvidence(object, object.kind)],
      );
    }
    return fail(
      'No progressive delivery (Argo Rollouts, Flagger) found; every release reaches all users at once.',
    );
  });
}

export const technologyEvaluators: EvaluatorMap = {
  'technology.container-image': evaluateContainerImage,
  'technology.infrastructure-as-code': evaluateInfrastructureAsCode,
  'technology.smoke-tests': evaluateSmokeTests,
  'technology.monitoring': evaluateMonitoring,
  'technology.in-production': evaluateInProduction,
  'technology.requests-limits': evaluateRequestsLimits,
  'technology.container-hygiene': evaluateContainerHygiene,
  'technology.health-probes': evaluateHealthProbes,
  'technology.api-exposed': evaluateApiExposed,
  'technology.declarative-deploy': evaluateDeclarativeDeploy,
  'technology.secrets-hygiene': evaluateSecretsHygiene,
  'technology.encryption-auth': evaluateEncryptionAuth,
  'technology.staging-validation': evaluateStagingValidation,
  'technology.helm-or-gitops': evaluateHelmOrGitops,
  'technology.dashboards': evaluateDashboards,
  'technology.secrets-manager': evaluateSecretsManager,
  'technology.tracing': evaluateTracing,
  'technology.service-mesh': evaluateServiceMesh,
  'technology.full-gitops': evaluateFullGitops,
  'technology.progressive-delivery': evaluateProgressiveDelivery,
};
