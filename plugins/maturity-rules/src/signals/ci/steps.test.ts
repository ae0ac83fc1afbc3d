import { defaultToolPatterns, mergeToolPatterns } from '../tools';
import { commandLines, recognizeStep, StepInput } from './steps';

const step = (run: string, extra: Partial<StepInput> = {}): StepInput => ({
  file: 'ci.yml',
  line: 10,
  commands: commandLines(run, 11),
  ...extra,
});
const scan = (s: StepInput) =>
  recognizeStep(s, defaultToolPatterns).scanners.map(
    x => `${x.kind}:${x.tool}:${x.blocking}`,
  );

describe('recognizeStep', () => {
  it.each([
    ['npm test', 'npm test'],
    ['npm run test:unit', 'npm test'],
    ['yarn test --ci', 'yarn test'],
    ['pnpm test', 'pnpm test'],
    ['go test ./...', 'go test'],
    ['./mvnw -B verify', 'mvn test'],
    ['./gradlew check', 'gradle test'],
    ['python -m pytest -q', 'pytest'],
    ['cargo test --all', 'cargo test'],
    ['dotnet test', 'dotnet test'],
    ['bundle exec rspec', 'rspec'],
    ['npx vitest run', 'vitest'],
  ])('recognises %s as a test step', (run, tool) => {
    expect(
      recognizeStep(step(run), defaultToolPatterns).tests.map(t => t.tool),
    ).toContain(tool);
  });

  it('does not take installing a test runner for running tests', () => {
    expect(
      recognizeStep(step('pip install pytest tox'), defaultToolPatterns).tests,
    ).toEqual([]);
  });

  it.each([
    ['docker build -t app .', 'docker build'],
    ['docker buildx build --push .', 'docker buildx'],
    ['/kaniko/executor --destination x', 'kaniko'],
    ['buildah bud -t app .', 'buildah'],
    ['ko build ./cmd/app', 'ko build'],
    ['pack build app --builder paketobuildpacks/builder', 'pack build'],
    ['podman build .', 'podman build'],
    ['mvn compile jib:build', 'jib'],
  ])('recognises %s as an image build', (run, tool) => {
    expect(
      recognizeStep(step(run), defaultToolPatterns).imageBuilds.map(
        t => t.tool,
      ),
    ).toContain(tool);
  });

  it.each([
    ['kubectl apply -f k8s/', 'kubectl apply'],
    ['helm upgrade --install app chart', 'helm upgrade'],
    ['argocd app sync web', 'argocd app sync'],
    ['flux reconcile kustomization apps', 'flux reconcile'],
    ['kustomize build overlays/prod | kubectl apply -f -', 'kubectl apply'],
    ['skaffold run -p prod', 'skaffold run'],
  ])('recognises %s as a deploy', (run, tool) => {
    expect(
      recognizeStep(step(run), defaultToolPatterns).deploys.map(t => t.tool),
    ).toContain(tool);
  });

  it('classifies scanners by kind', () => {
    expect(scan(step('trivy image --exit-code 1 app:1'))).toEqual([
      'container:trivy:true',
    ]);
    expect(scan(step('grype app:1 --fail-on high'))).toEqual([
      'container:grype:true',
    ]);
    expect(scan(step('checkov -d .'))).toEqual(['config:checkov:true']);
    expect(scan(step('hadolint Dockerfile'))).toEqual(['config:hadolint:true']);
    expect(scan(step('conftest test -p policy out.yaml'))).toEqual([
      'policy:conftest:true',
    ]);
    expect(scan(step('kyverno test .'))).toEqual(['policy:kyverno:true']);
    expect(scan(step('trufflehog git file://.'))).toEqual([
      'secret:trufflehog:true',
    ]);
    expect(scan(step('semgrep ci'))).toEqual(['sast:semgrep:true']);
    expect(scan(step('notation sign app@sha256:1'))).toEqual([
      'signing:notation:true',
    ]);
    expect(scan(step('osv-scanner -r .'))).toEqual([
      'dependency:osv-scanner:true',
    ]);
    expect(scan(step('npm audit --audit-level=high'))).toEqual([
      'dependency:npm audit:true',
    ]);
  });

  it('reads action inputs: trivy-action scan types, build-push provenance and SBOM', () => {
    const uses = (u: string, inputs: Record<string, unknown>) =>
      scan({ file: 'ci.yml', line: 3, commands: [], uses: u, inputs });
    expect(
      uses('aquasecurity/trivy-action@0.28.0', {
        'image-ref': 'app',
        'exit-code': '1',
      }),
    ).toEqual(['container:trivy:true']);
    expect(
      uses('aquasecurity/trivy-action@0.28.0', {
        'scan-type': 'config',
        'exit-code': 1,
      }),
    ).toEqual(['config:trivy config:true']);
    expect(
      uses('aquasecurity/trivy-action@0.28.0', {
        'scan-type': 'fs',
        'exit-code': 1,
      }),
    ).toEqual(['dependency:trivy fs:true']);
    expect(
      uses('docker/build-push-action@v6', {
        provenance: 'mode=max',
        sbom: true,
      }),
    ).toEqual([
      'sbom:buildkit sbom:true',
      'provenance:buildkit provenance:true',
    ]);
    expect(uses('docker/build-push-action@v6', { provenance: false })).toEqual(
      [],
    );
    expect(
      uses(
        'slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2',
        {},
      ),
    ).toEqual(['provenance:slsa-github-generator:true']);
    expect(
      uses('bridgecrewio/checkov-action@v12', { soft_fail: true }),
    ).toEqual(['config:checkov:false']);
    // Kubevious validates manifests against its rules and fails the step.
    expect(
      uses('kubevious/cli@v1.0.64', { manifests: 'kubernetes-manifests' }),
    ).toEqual(['config:kubevious:true']);
  });

  it('marks report-only scans as not blocking', () => {
    expect(scan(step('gitleaks detect || true'))).toEqual([
      'secret:gitleaks:false',
    ]);
    expect(scan(step('trivy image --exit-code 0 app'))).toEqual([
      'container:trivy:false',
    ]);
    expect(scan(step('trivy image app'))).toEqual(['container:trivy:false']);
    expect(scan(step('checkov -d . --soft-fail'))).toEqual([
      'config:checkov:false',
    ]);
    expect(scan(step('polaris audit --audit-path x.yaml'))).toEqual([
      'config:polaris:false',
    ]);
    expect(
      scan(step('polaris audit --audit-path x.yaml --set-exit-code-on-danger')),
    ).toEqual(['config:polaris:true']);
    expect(scan(step('kubescape scan .', { mayFail: true }))).toEqual([
      'config:kubescape:false',
    ]);
    // A flag on a continuation line still belongs to the command.
    expect(scan(step('trivy image \\\n  --exit-code 1 app'))).toEqual([
      'container:trivy:true',
    ]);
  });

  it('finds the overlay or values file a step renders, and the line of each command', () => {
    const f = recognizeStep(
      step(
        'echo hi\nhelm template x chart -f chart/values-staging.yaml > out.yaml\nkube-linter lint out.yaml',
      ),
      defaultToolPatterns,
    );
    expect(f.target).toBe('chart/values-staging.yaml');
    expect(f.scanners).toEqual([
      {
        tool: 'kube-linter',
        kind: 'config',
        blocking: true,
        file: 'ci.yml',
        line: 13,
      },
    ]);
    expect(f.tools).toEqual(['helm', 'kube-linter']);
  });

  it('counts a step named "Smoke test" and names like e2e', () => {
    const f = recognizeStep(
      step('curl -f localhost:8080', { name: 'Smoke test' }),
      defaultToolPatterns,
    );
    expect(f.smokeTests).toEqual([
      { tool: 'smoke test', file: 'ci.yml', line: 10 },
    ]);
    expect(
      recognizeStep(
        step('npx playwright test'),
        defaultToolPatterns,
      ).smokeTests.map(t => t.tool),
    ).toEqual(['playwright']);
  });

  it('takes extra rules from an org', () => {
    const patterns = mergeToolPatterns({
      scanners: [
        { kind: 'container', tool: 'acme-scan', pattern: /\bacme-scan\b/ },
      ],
      tests: [{ tool: 'bazel test', pattern: /\bbazel\s+test\b/ }],
    });
    const f = recognizeStep(
      step('acme-scan app:1 && bazel test //...'),
      patterns,
    );
    expect(f.scanners.map(s => s.tool)).toEqual(['acme-scan']);
    expect(f.tests.map(s => s.tool)).toEqual(['bazel test']);
    // The defaults stay.
    expect(
      recognizeStep(step('npm test'), patterns).tests.map(t => t.tool),
    ).toEqual(['npm test']);
  });
});
