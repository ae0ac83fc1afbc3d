import { ScannerKind } from '../model';

/** A tool recognised in a CI command or a `uses:` reference. */
export interface ToolRule {
  /** The name reported as evidence, e.g. `npm test`. */
  tool: string;
  /** Matched against one command line (or one serialised `uses:` step). */
  pattern: RegExp;
  /** An image build driven by its own config (goreleaser): the references it pushes. */
  tags?: string[];
  /**
   * Words of which one must be in the line (lower case) before the pattern
   * is tried: a cheap test in front of a costly pattern.
   */
  requires?: string[];
}

/** A scanner rule; `kind` decides which checks it feeds. */
export interface ScannerRule extends ToolRule {
  kind: ScannerKind;
  /**
   * Some tools exit 0 on findings unless told otherwise (trivy without
   * `--exit-code 1`, polaris without `--set-exit-code-on-danger`). When set,
   * the scan is report-only unless the step text matches this.
   */
  blockingOnlyWith?: RegExp;
}

/**
 * The regex lists used to recognise CI steps. An org extends them through
 * `ExtractOptions.tools`; extra rules are added to the defaults, not replacing them.
 * @public
 */
export interface ToolPatterns {
  tests: ToolRule[];
  smokeTests: ToolRule[];
  imageBuilds: ToolRule[];
  deploys: ToolRule[];
  /**
   * Starts a throwaway instance inside the job (a kind cluster, compose up,
   * `docker run -d`): a deploy after it is a test setup, not a deploy.
   */
  localInstances: ToolRule[];
  /** Checks a running instance (curl, kubectl wait): after a start, a smoke test. */
  probes: ToolRule[];
  scanners: ScannerRule[];
  /** A match on the scanner's line (or step) makes the scan report-only. */
  reportOnly: RegExp[];
  /** Other tools worth naming for the org allow/deny lists. */
  otherTools: ToolRule[];
}

// `pip install pytest` installs a test runner; it does not run tests.
const notInstalling = (word: string) =>
  new RegExp(String.raw`(?<!\b(?:install|add)\b[^&|;]*)\b${word}\b`);

const rule = (
  tool: string,
  pattern: RegExp,
  requires?: string[],
): ToolRule => ({ tool, pattern, ...(requires ? { requires } : {}) });
const scanner = (
  kind: ScannerKind,
  tool: string,
  pattern: RegExp,
  blockingOnlyWith?: RegExp,
): ScannerRule => ({ kind, tool, pattern, blockingOnlyWith });

// Serialised `uses:` steps look like `uses owner/action@ref key=value ...`
// (see ci/steps.ts), so action inputs can be matched with lookaheads.
const TRIVY_FAILS = /--exit-code[= ]+[1-9]|exit-code=[1-9]/;

/** @public */
export const defaultToolPatterns: ToolPatterns = {
  tests: [
    rule('npm test', /\bnpm\s+(?:run\s+)?(?:test|t)\b/),
    rule('npm test', /\bnpm\s+run\s+test[\w:-]*/),
    rule('npm test', /\bnpm\s+run\s+[\w-]*:?test\b/),
    rule('yarn test', /\byarn\s+(?:run\s+)?test[\w:-]*/),
    rule('pnpm test', /\bpnpm\s+(?:run\s+)?test[\w:-]*/),
    rule('go test', /\bgo\s+test\b/),
    rule('mvn test', /\b(?:mvn|mvnw|\.\/mvnw)\b.*\b(?:test|verify)\b/),
    rule('gradle test', /\b(?:gradle|gradlew)\b.*\b(?:test|check)\b/),
    rule('pytest', notInstalling('pytest')),
    rule('tox', notInstalling('tox')),
    rule('cargo test', /\bcargo\s+test\b/),
    rule('dotnet test', /\bdotnet\s+test\b/),
    rule('rspec', notInstalling('rspec')),
    rule('phpunit', notInstalling('phpunit')),
    rule('jest', notInstalling('jest')),
    rule('vitest', notInstalling('vitest')),
    rule('make test', /\bmake\s+(?:[\w-]+\s+)*test\b/),
    // Nx runs each project's own `test` target (mvn test, go test, jest, ...).
    rule(
      'nx test',
      /\bnx\s+(?:test\b|run\s+[\w@/.-]+:test\b|(?:affected|run-many)\b.*(?:--targets?[= ]|-t\s+)(?:[\w:-]+,)*test\b)/,
    ),
    // Browser and API suites are tests too (they also count as smoke tests).
    rule('playwright test', /\bplaywright\s+test\b/),
    rule('cypress run', /\bcypress\s+run\b|cypress-io\/github-action/),
  ],
  // Tests of a running instance. A job that starts something (a deploy, a
  // kind cluster, compose up) and then probes it is found per job, in
  // ci/runningInstance.ts; these are the tools that only make sense that way.
  smokeTests: [
    rule('helm test', /\bhelm\s+test\b/),
    rule('skaffold verify', /\bskaffold\s+verify\b/),
    rule('playwright', /\bplaywright\s+test\b/),
    rule('cypress', /\bcypress\s+run\b|cypress-io\/github-action/),
    rule('k6', /\bk6\s+run\b|grafana\/k6-action|grafana\/run-k6-action/),
    rule('newman', /\bnewman\s+run\b/),
    // A script or target named for it: `make e2e`, `./smoke-test.sh`, `npm run test:e2e`.
    // (A script name is matched from its start only: scanning from every
    // character of a long line would be quadratic.)
    rule(
      'smoke test',
      /\b(?:g?make|task|just|npm\s+run|yarn|pnpm)\s+(?:[\w.=-]+\s+)*[\w:-]*smoke[\w:-]*|(?<![\w./-])[\w./-]*smoke[\w.-]*\.sh\b/i,
      ['smoke'],
    ),
    rule(
      'e2e test',
      /\b(?:g?make|task|just|npm\s+run|yarn|pnpm)\s+(?:[\w.=-]+\s+)*[\w:-]*(?:e2e|end-to-end)[\w:-]*|(?<![\w./-])[\w./-]*e2e[\w.-]*\.sh\b/,
      ['e2e', 'end-to-end'],
    ),
  ],
  imageBuilds: [
    rule('docker build', /\bdocker\s+(?:image\s+)?build\b/),
    rule('docker buildx', /\bdocker\s+buildx\s+(?:build|bake)\b/),
    rule('docker/build-push-action', /\bdocker\/build-push-action\b/),
    rule('docker/bake-action', /\bdocker\/bake-action\b/),
    rule('kaniko', /\/kaniko\/executor\b|kaniko-project\/executor/),
    rule(
      'buildah',
      /\bbuildah\s+(?:bud|build)\b|redhat-actions\/buildah-build/,
    ),
    rule('podman build', /\bpodman\s+build\b/),
    rule(
      'jib',
      /\bjib(?::(?:build|dockerBuild|buildTar)|Build|DockerBuild|BuildTar)\b|\bgradlew?\b.*\sjib(?=\s|$)/,
    ),
    rule(
      'ko build',
      /\bko\s+(?:build|publish|resolve|apply)\b|ko-build\/setup-ko/,
    ),
    rule('pack build', /\bpack\s+build\b|buildpacks\/github-actions/),
    // Skaffold builds the artifacts of skaffold.yaml before it runs or deploys them.
    rule('skaffold build', /\bskaffold\s+(?:build|run|dev)\b/),
    // rules_oci / rules_docker targets are named for what they make.
    rule(
      'bazel image',
      /\bbazel(?:isk)?\s+(?:run|build)\b.*\/\/[\w/.-]*:[\w.-]*(?:push|image|oci|container|docker)/,
    ),
    rule(
      'nx container',
      /\bnx\s+(?:(?:affected|run-many)\b.*(?:--targets?[= ]|-t\s+)(?:[\w:-]+,)*|run\s+[\w@/.-]+:)(?:container|docker|image)\b/,
    ),
    rule('cloud build', /\bgcloud\s+builds\s+submit\b/),
  ],
  deploys: [
    rule(
      'kubectl apply',
      /\bkubectl\b.*\s(?:apply|create|replace|set\s+image)\b/,
    ),
    rule('helm upgrade', /\bhelm\s+(?:upgrade|install)\b/),
    rule('helmfile', /\bhelmfile\b.*\b(?:apply|sync)\b/),
    rule('argocd app sync', /\bargocd\s+app\s+(?:sync|set|create)\b/),
    rule('flux reconcile', /\bflux\s+reconcile\b/),
    rule('skaffold run', /\bskaffold\s+(?:run|deploy)\b/),
    rule('kapp deploy', /\bkapp\s+deploy\b/),
    rule('kustomize edit set image', /\bkustomize\s+edit\s+set\s+image\b/),
    rule('azure/k8s-deploy', /\bazure\/k8s-deploy\b/),
    rule('cloud run deploy', /\bgcloud\s+run\s+deploy\b|deploy-cloudrun/),
    rule(
      'ecs deploy',
      /amazon-ecs-deploy-task-definition|\baws\s+ecs\s+update-service\b/,
    ),
    rule('cloud deploy release', /\bgcloud\s+deploy\s+releases\s+create\b/),
    // A script or target named for it; what it runs is not visible.
    rule(
      'deploy script',
      /\b(?:g?make|task|just)\s+(?:[\w.=-]+\s+)*deploy[\w:-]*|\b(?:npm\s+run|yarn|pnpm)\s+deploy[\w:-]*|(?:^|[\s/])deploy[\w.-]*\.sh\b/,
      ['deploy'],
    ),
  ],
  localInstances: [
    rule(
      'kind',
      /\bkind\s+create\s+cluster\b|helm\/kind-action|container-tools\/kind-action/,
    ),
    rule('minikube', /\bminikube\s+start\b|medyagh\/setup-minikube/),
    rule('k3d', /\bk3d\s+cluster\s+create\b|AbsaOSS\/k3d-action/),
    rule(
      'k3s',
      /\bk3s\b.*\bserver\b|debianmaintainers\/k3s|jupyterhub\/action-k3s-helm/,
    ),
    rule(
      'docker compose up',
      /\bdocker[\s-]compose\b.*\sup\b|\bnx\s+compose:up\b|\bpodman-compose\s+up\b/,
    ),
    rule('docker run', /\b(?:docker|podman)\s+run\b.*\s(?:-d|--detach)\b/),
    rule('tilt ci', /\btilt\s+(?:ci|up)\b/),
  ],
  probes: [
    // Not a download: no output file, nothing piped into a shell or tar.
    rule(
      'curl',
      /\bcurl\b(?!.*(?:\s-\w*[oO]\b|--output|--remote-name|\|\s*(?:sudo|tar|(?:ba|z)?sh)\b))/,
    ),
    rule('wget', /\bwget\b.*(?:localhost|127\.0\.0\.1|--spider|-O\s*-)/),
    rule('kubectl wait', /\bkubectl\b.*\s(?:wait|rollout\s+status)\b/),
    rule('grpcurl', /\bgrpcurl\b/),
    rule('load test', /\b(?:hey|locust|vegeta)\b/),
  ],
  scanners: [
    // container images
    scanner('container', 'trivy', /\btrivy\s+(?:image|i)\b/, TRIVY_FAILS),
    scanner(
      'container',
      'trivy',
      /aquasecurity\/trivy-action@\S*(?!.*scan-type=(?!image))/,
      TRIVY_FAILS,
    ),
    scanner('container', 'grype', /\bgrype\b/, /--fail-on|\s-f\s/),
    scanner('container', 'anchore', /anchore\/scan-action/),
    scanner(
      'container',
      'snyk container',
      /\bsnyk\s+container\b|snyk\/actions\/docker/,
    ),
    scanner(
      'container',
      'docker scout',
      /\bdocker\s+scout\b|docker\/scout-action/,
    ),
    scanner('container', 'gitlab container scanning', /Container-Scanning/),
    // configuration / manifests / IaC
    scanner(
      'config',
      'trivy config',
      /\btrivy\s+(?:config|conf)\b/,
      TRIVY_FAILS,
    ),
    scanner(
      'config',
      'trivy config',
      /\btrivy\s+(?:fs|filesystem)\b(?=.*--scanners?[= ]\S*(?:config|misconfig))/,
      TRIVY_FAILS,
    ),
    scanner(
      'config',
      'trivy config',
      /aquasecurity\/trivy-action@\S*(?=.*scan-type=config|.*scanners=\S*config)/,
      TRIVY_FAILS,
    ),
    scanner('config', 'checkov', /\bcheckov\b/),
    scanner(
      'config',
      'kubescape',
      /\bkubescape\b/,
      /--fail-threshold|--compliance-threshold|--severity-threshold/,
    ),
    scanner('config', 'kube-linter', /\bkube-linter\b/),
    scanner('config', 'kics', /\bkics\b/),
    scanner('config', 'tfsec', /\btfsec\b/),
    scanner('config', 'hadolint', /\bhadolint\b/),
    scanner(
      'config',
      'polaris',
      /\bpolaris\s+audit\b|fairwindsops\/polaris/,
      /--set-exit-code/,
    ),
    scanner('config', 'kube-score', /\bkube-score\b/),
    scanner('config', 'kubevious', /\bkubevious\b/),
    scanner('config', 'gitlab sast-iac', /SAST-IaC/),
    // policy as code
    scanner(
      'policy',
      'conftest',
      /\bconftest\s+(?:test|verify)\b|instrumenta\/conftest-action/,
    ),
    scanner(
      'policy',
      'kyverno',
      /\bkyverno\s+(?:apply|test)\b|kyverno\/action/,
    ),
    scanner('policy', 'gator', /\bgator\s+(?:test|verify)\b/),
    // secrets
    scanner('secret', 'gitleaks', /\bgitleaks\b/),
    scanner('secret', 'trufflehog', /\btrufflehog\b/),
    scanner('secret', 'detect-secrets', /\bdetect-secrets\b/),
    scanner('secret', 'gitlab secret detection', /Secret-Detection/),
    // static analysis
    scanner(
      'sast',
      'codeql',
      /github\/codeql-action\/analyze|\bcodeql\s+database\b/,
    ),
    scanner('sast', 'semgrep', /\bsemgrep\b/),
    scanner(
      'sast',
      'sonarqube',
      /sonar-scanner|sonarqube-scanner|sonarqube-scan-action|sonarcloud-github-action|sonarqube-quality-gate|\bsonar:sonar\b/i,
    ),
    scanner('sast', 'gitlab sast', /Security\/SAST\.gitlab|Jobs\/SAST\.gitlab/),
    // supply chain
    scanner('sbom', 'syft', /\bsyft\b/),
    scanner(
      'sbom',
      'cyclonedx',
      /cyclonedx-(?:npm|py|bom|gomod|cli|maven|gradle)|@cyclonedx\/|CycloneDX\/gh-/,
    ),
    scanner('sbom', 'anchore/sbom-action', /anchore\/sbom-action/),
    scanner(
      'sbom',
      'buildkit sbom',
      /docker\/build-push-action@\S*(?=.*\bsbom=true)/,
    ),
    scanner(
      'signing',
      'cosign',
      /\bcosign\s+sign\b|\bcosign\s+attest\b(?!.*slsaprovenance)/,
    ),
    scanner('signing', 'notation', /\bnotation\s+sign\b/),
    scanner(
      'signing',
      'sigstore',
      /sigstore\/gh-action-sigstore-python|\bsigstore\s+sign\b/,
    ),
    scanner(
      'provenance',
      'slsa-github-generator',
      /slsa-framework\/slsa-github-generator/,
    ),
    scanner(
      'provenance',
      'attest-build-provenance',
      /actions\/attest-build-provenance/,
    ),
    scanner('provenance', 'in-toto', /\bin-toto-run\b|\bin-toto\b/),
    scanner(
      'provenance',
      'cosign attest',
      /\bcosign\s+attest\b.*slsaprovenance/,
    ),
    scanner(
      'provenance',
      'buildkit provenance',
      /docker\/build-push-action@\S*(?=.*\bprovenance=(?!false))/,
    ),
    // dependencies
    scanner('dependency', 'npm audit', /\b(?:npm|yarn|pnpm)\s+audit\b/),
    scanner('dependency', 'osv-scanner', /\bosv-scanner\b/),
    scanner('dependency', 'dependency-check', /dependency-check/),
    scanner(
      'dependency',
      'snyk',
      /\bsnyk\s+test\b|snyk\/actions\/(?:node|python|golang|maven)/,
    ),
    scanner(
      'dependency',
      'trivy fs',
      /\btrivy\s+(?:fs|filesystem|repo|repository)\b(?!.*--scanners?[= ]\S*config)/,
      TRIVY_FAILS,
    ),
    scanner(
      'dependency',
      'trivy fs',
      /aquasecurity\/trivy-action@\S*(?=.*scan-type=(?:fs|repo))(?!.*scanners=\S*config)/,
      TRIVY_FAILS,
    ),
    scanner('dependency', 'gitlab dependency scanning', /Dependency-Scanning/),
  ],
  reportOnly: [
    /\|\|\s*(?:true\b|exit\s+0\b|:(?!\w))/,
    /--exit-code[= ]+0\b/,
    /\bexit-code=0\b/,
    /\bsoft_fail=true\b/,
    /--soft-fail\b/,
    /--audit-warn\b/,
    /--no-fail\b/,
    /\bfail-build=false\b/,
    /\bcontinue-on-error=true\b/,
  ],
  otherTools: [
    rule('helm', /\bhelm\s+\w/),
    rule('kubectl', /\bkubectl\b/),
    rule('kustomize', /\bkustomize\b/),
    rule('argocd', /\bargocd\b/),
    rule('flux', /\bflux\s+\w/),
    rule('skaffold', /\bskaffold\b/),
    rule('terraform', /\bterraform\s+\w/),
    rule('opentofu', /\btofu\s+\w/),
    rule('pulumi', /\bpulumi\s+\w/),
    rule('ansible', /\bansible(?:-playbook)?\b/),
    rule('docker', /\bdocker\s+\w/),
    rule('podman', /\bpodman\s+\w/),
    rule('yq', /\byq\s/),
    rule('aws', /\baws\s+\w/),
    rule('gcloud', /\bgcloud\s+\w/),
    rule('az', /\baz\s+\w/),
  ],
};

/** The defaults plus an org's extra rules (lists are concatenated). */
export function mergeToolPatterns(extra?: Partial<ToolPatterns>): ToolPatterns {
  if (!extra) {
    return defaultToolPatterns;
  }
  const d = defaultToolPatterns;
  return {
    tests: [...d.tests, ...(extra.tests ?? [])],
    smokeTests: [...d.smokeTests, ...(extra.smokeTests ?? [])],
    imageBuilds: [...d.imageBuilds, ...(extra.imageBuilds ?? [])],
    deploys: [...d.deploys, ...(extra.deploys ?? [])],
    localInstances: [...d.localInstances, ...(extra.localInstances ?? [])],
    probes: [...d.probes, ...(extra.probes ?? [])],
    scanners: [...d.scanners, ...(extra.scanners ?? [])],
    reportOnly: [...d.reportOnly, ...(extra.reportOnly ?? [])],
    otherTools: [...d.otherTools, ...(extra.otherTools ?? [])],
  };
}
