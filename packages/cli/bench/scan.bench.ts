/*
 * `yarn bench:scan [files] [runs]`: times `cnmaturity scan` on a synthetic
 * git repository of `files` files (default 5,000), shaped like a monorepo of
 * services: mostly source files the checks never open, and the CI files,
 * Dockerfiles, manifests, a Helm chart, dependency manifests and docs they
 * read. Prints the median and range of `runs` scans (default 7) after one
 * warm-up, in this process (module loading is not counted).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { scan } from '../src/scan';

function write(root: string, file: string, content: string) {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), content);
}

function deployment(name: string) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: { app: ${name}, team: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata:
      labels: { app: ${name} }
      annotations: { prometheus.io/scrape: "true" }
    spec:
      securityContext: { runAsNonRoot: true }
      containers:
        - name: ${name}
          image: ghcr.io/acme/${name}:1.2.3
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 256Mi }
          readinessProbe: { httpGet: { path: /ready, port: 8080 } }
          livenessProbe: { httpGet: { path: /live, port: 8080 } }
          securityContext: { allowPrivilegeEscalation: false }
`;
}

/** A git repository of `count` files; returns its folder. */
function generate(count: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cnmaturity-bench-'));
  let n = 0;
  const add = (file: string, content: string) => {
    write(root, file, content);
    n++;
  };
  const services = 40;
  for (let s = 0; s < services; s++) {
    const name = `svc-${s}`;
    add(
      `src/${name}/Dockerfile`,
      `FROM golang:1.22 AS build\nRUN go build -o /app\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n`,
    );
    add(
      `src/${name}/go.mod`,
      `module example.com/${name}\n\ngo 1.22\n\nrequire (\n\tgo.opentelemetry.io/otel v1.28.0\n)\n`,
    );
    add(`deploy/base/${name}.yaml`, deployment(name));
    add(
      `deploy/overlays/staging/${name}.yaml`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n`,
    );
  }
  add(
    'deploy/base/kustomization.yaml',
    `resources:\n${Array.from(
      { length: services },
      (_, s) => `  - svc-${s}.yaml`,
    ).join('\n')}\n`,
  );
  add(
    'deploy/overlays/staging/kustomization.yaml',
    'resources: [../../base]\n',
  );
  add('charts/shop/Chart.yaml', 'apiVersion: v2\nname: shop\nversion: 1.0.0\n');
  add(
    'charts/shop/values.yaml',
    'resources:\n  requests: { cpu: 100m, memory: 128Mi }\n  limits: { memory: 256Mi }\nserviceMonitor:\n  enabled: true\n',
  );
  for (let t = 0; t < 20; t++) {
    add(
      `charts/shop/templates/svc-${t}.yaml`,
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-${t}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: "ghcr.io/acme/svc-${t}:{{ .Chart.AppVersion }}"\n          resources:\n            {{- toYaml .Values.resources | nindent 12 }}\n`,
    );
  }
  for (let w = 0; w < 10; w++) {
    add(
      `.github/workflows/ci-${w}.yml`,
      `name: ci ${w}\non:\n  pull_request:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: go test ./...\n      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: ghcr.io/acme/svc-${w}:\${{ github.sha }}\n      - uses: aquasecurity/trivy-action@0.24.0\n`,
    );
  }
  add('README.md', '# Shop\n');
  add('mkdocs.yml', 'site_name: Shop\n');
  add('docs/index.md', '# Docs\n');
  add(
    '.github/dependabot.yml',
    'version: 2\nupdates:\n  - package-ecosystem: gomod\n    directory: /\n    schedule: { interval: weekly }\n',
  );
  for (let i = 0; n < count; i++) {
    add(
      `src/svc-${i % services}/pkg/m${i % 17}/f${i}.go`,
      `package m\n\n// F${i} does nothing.\nfunc F${i}() int { return ${i} }\n`,
    );
  }
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git(
    '-c',
    'gc.auto=0',
    '-c',
    'user.name=bench',
    '-c',
    'user.email=bench@example.com',
    'commit',
    '-qm',
    'bench',
  );
  return root;
}

function main() {
  const files = Number(process.argv[2] ?? 5000);
  const runs = Number(process.argv[3] ?? 7);
  const dir = generate(files);
  const first = performance.now();
  const report = scan({ dir });
  const cold = performance.now() - first;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    scan({ dir });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const ms = (v: number) => `${Math.round(v)} ms`;
  process.stdout.write(
    `scan of ${report.checkout.listed} tracked files (${report.checkout.read} read), level ${report.record.level}, repository level ${report.repositoryLevel}\n` +
      `first scan ${ms(cold)}; median of ${runs} ${ms(
        times[Math.floor(times.length / 2)],
      )} (${ms(times[0])}-${ms(times[times.length - 1])})\n`,
  );
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
}

main();
