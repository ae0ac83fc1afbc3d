import { ScannerKind } from '../model';

/** A tool recognised in a CI command or a `uses:` reference. */
export interface ToolRule {
  /** The name reported as evidence, e.g. `npm test`. */
  tool: string;
  /** Matched against one command line (or one serialised `uses:` step). */
  pattern: RegExp;
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
  scanners: ScannerRule[];
  /** A match on the scanner's line (or step) makes the scan report-only. */
  reportOnly: RegExp[];
  /** Other tools worth naming for the org allow/deny lists. */
  otherTools: ToolRule[];
}

// `pip install pytest` installs a test runner; it does not run tests.
const notInstalling = (word: string) =>
  new RegExp(String.raw`(?<!\b(?:install|add)\b[^&|;]*)\b${word}\b`);

const rule = (tool: string, pattern: RegExp): ToolRule => ({ tool, pattern });
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
  ],
  smokeTests: [
    rule('smoke test', /smoke/i),
    rule('e2e test', /\be2e\b|end-to-end/i),
    rule('playwright', /\bplaywright\b/),
    rule('cypress', /\bcypress\b/),
    rule('k6', /\bk6\s+run\b|grafana\/k6-action|grafana\/run-k6-action/),
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
    rule('jib', /\bjib(?::build|:dockerBuild|Build|DockerBuild)?\b/),
    rule(
      'ko build',
      /\bko\s+(?:build|publish|resolve|apply)\b|ko-build\/setup-ko/,
    ),
    rule('pack build', /\bpack\s+build\b|buildpacks\/github-actions/),
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
    scanners: [...d.scanners, ...(extra.scanners ?? [])],
    reportOnly: [...d.reportOnly, ...(extra.reportOnly ?? [])],
    otherTools: [...d.otherTools, ...(extra.otherTools ?? [])],
  };
}
