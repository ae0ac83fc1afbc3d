import { evaluateTracing } from '../../checks/technology';
import { component, signalsFor } from '../../testUtils';
import { extractRepository, RepoFile } from '../extractRepository';
import { isRelevantRepoFile } from '../fileFilter';

/** The tracing verdict for a repository of these files, read as the collector would. */
function tracing(...files: RepoFile[]) {
  const extraction = extractRepository(
    files.filter(f => isRelevantRepoFile(f.path)),
  );
  return evaluateTracing(signalsFor(component('svc'), { extraction }));
}

const file = (path: string, content: string): RepoFile => ({ path, content });

describe('OpenTelemetry SDK dependencies of monorepo services', () => {
  it.each([
    [
      'go.mod (direct require)',
      file(
        'src/frontend/go.mod',
        `module example.com/frontend

require (
	github.com/gorilla/mux v1.8.1
	go.opentelemetry.io/otel/sdk v1.30.0
)
`,
      ),
      'go.opentelemetry.io/otel/sdk (src/frontend/go.mod:5)',
    ],
    [
      'package.json dependencies',
      file(
        'services/payment/package.json',
        `{
  "name": "payment",
  "devDependencies": { "jest": "29.0.0" },
  "dependencies": {
    "express": "4.0.0",
    "@opentelemetry/sdk-node": "0.50.0"
  }
}
`,
      ),
      '@opentelemetry/sdk-node (services/payment/package.json:6)',
    ],
    [
      'requirements.txt from pip-compile (via -r)',
      file(
        'src/email/requirements.txt',
        `opentelemetry-api==1.27.0
    # via opentelemetry-sdk
opentelemetry-sdk==1.27.0
    # via -r requirements.in
`,
      ),
      'opentelemetry-sdk (src/email/requirements.txt:3)',
    ],
    [
      'pyproject.toml project dependencies',
      file(
        'apps/web/pyproject.toml',
        `[project]
name = "web"
dependencies = [
    "flask>=3",
    "opentelemetry-distro>=0.48b0",
]
`,
      ),
      'opentelemetry-distro (apps/web/pyproject.toml:5)',
    ],
    [
      'pom.xml dependency (not the BOM import)',
      file(
        'src/cart/pom.xml',
        `<project>
  <dependencyManagement><dependencies><dependency>
    <groupId>io.opentelemetry</groupId><artifactId>opentelemetry-bom</artifactId>
  </dependency></dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>io.opentelemetry.instrumentation</groupId>
      <artifactId>opentelemetry-spring-boot-starter</artifactId>
    </dependency>
  </dependencies>
</project>
`,
      ),
      'io.opentelemetry.instrumentation (src/cart/pom.xml:8)',
    ],
    [
      'build.gradle.kts implementation (not the platform BOM)',
      file(
        'src/fraud/build.gradle.kts',
        `dependencies {
    implementation(platform("io.opentelemetry:opentelemetry-bom:1.40.0"))
    implementation("io.opentelemetry:opentelemetry-sdk")
}
`,
      ),
      'io.opentelemetry:opentelemetry-sdk (src/fraud/build.gradle.kts:3)',
    ],
    [
      '.csproj PackageReference',
      file(
        'src/cart/src/cart.csproj',
        `<Project Sdk="Microsoft.NET.Sdk.Web">
  <ItemGroup>
    <PackageReference Include="OpenTelemetry.Extensions.Hosting" Version="1.9.0" />
  </ItemGroup>
</Project>
`,
      ),
      'OpenTelemetry.Extensions.Hosting (src/cart/src/cart.csproj:3)',
    ],
  ])('passes on a direct SDK in %s, naming the manifest line', (_, f, at) => {
    const result = tracing(f);
    expect(result.status).toBe('pass');
    expect(result.message).toBe(`Traced with OpenTelemetry: depends on ${at}.`);
  });

  it.each([
    [
      'only indirect go.mod requirements',
      file(
        'go.mod',
        `module example.com/metrics

require (
	go.opentelemetry.io/otel v1.30.0 // indirect
	go.opentelemetry.io/otel/sdk v1.30.0 // indirect
)
`,
      ),
    ],
    [
      'pip-compile entries pulled in by other packages only',
      file(
        'requirements.txt',
        `opentelemetry-api==1.27.0
    # via
    #   google-cloud-core
    #   grpcio
`,
      ),
    ],
    [
      'devDependencies only',
      file(
        'package.json',
        `{ "devDependencies": { "@opentelemetry/api": "1.9.0" } }`,
      ),
    ],
    [
      'a dev dependency group of pyproject.toml',
      file(
        'pyproject.toml',
        `[project]
dependencies = ["flask"]

[dependency-groups]
dev = ["opentelemetry-sdk"]
`,
      ),
    ],
    [
      'a test project of a monorepo service',
      file(
        'src/cart/tests/cart.tests.csproj',
        `<PackageReference Include="OpenTelemetry" Version="1.9.0" />`,
      ),
    ],
  ])('fails on %s', (_, f) => {
    expect(tracing(f).status).toBe('fail');
  });
});
