import { parseYaml } from '../yaml';
import { parseCodeowners, pickCodeowners } from './codeowners';
import { readDependabot, readRenovate } from './dependencyUpdates';
import { readDocs } from './docs';
import {
  classifyConfigDoc,
  classifyObject,
  classifyTextFile,
  emptyPlatformFacts,
} from './platform';
import { readKubernetesDoc } from '../kubernetes/objects';

describe('CODEOWNERS', () => {
  it('collects owners and prefers .github/CODEOWNERS', () => {
    expect(pickCodeowners(['CODEOWNERS', '.github/CODEOWNERS'])).toBe(
      '.github/CODEOWNERS',
    );
    expect(
      parseCodeowners(
        'CODEOWNERS',
        '# comment\n\n*.go @org/go-team dev@example.com\n[Docs] @org/docs\n/docs/ @org/go-team # again\n',
      ),
    ).toEqual({
      file: 'CODEOWNERS',
      line: 3,
      owners: ['@org/go-team', 'dev@example.com', '@org/docs'],
    });
  });
});

describe('dependency updates', () => {
  it('Renovate: security updates only when vulnerability alerts are configured', () => {
    expect(
      readRenovate(
        'renovate.json',
        '{"vulnerabilityAlerts": {"labels": ["security"]}}',
      ).securityUpdates,
    ).toBe(true);
    expect(
      readRenovate('renovate.json', '{"osvVulnerabilityAlerts": true}')
        .securityUpdates,
    ).toBe(true);
    expect(
      readRenovate(
        'renovate.json',
        '{"vulnerabilityAlerts": {"enabled": false}}',
      ).securityUpdates,
    ).toBe(false);
    expect(
      readRenovate('renovate.json', '{"extends": ["config:recommended"]}')
        .securityUpdates,
    ).toBe(false);
    // JSON5 with comments and trailing commas.
    expect(
      readRenovate(
        'renovate.json5',
        '{\n  // security\n  vulnerabilityAlerts: { enabled: true },\n}',
      ).securityUpdates,
    ).toBe(true);
  });

  it('Renovate: a preset kept in another repository may turn security updates on', () => {
    const read = (config: object) =>
      readRenovate('.github/renovate.json5', JSON.stringify(config));
    expect(
      read({ extends: ['config:recommended', 'github>acme/renovate-config'] })
        .sharedPresets,
    ).toEqual(['github>acme/renovate-config']);
    expect(
      read({ extends: ['local>acme/presets:base'] }).sharedPresets,
    ).toEqual(['local>acme/presets:base']);
    expect(read({ extends: ['@acme/renovate-config'] }).sharedPresets).toEqual([
      '@acme/renovate-config',
    ]);
    // Built-in presets are known; an explicit setting decides.
    for (const config of [
      {
        extends: [
          'config:recommended',
          ':semanticCommits',
          'helpers:pinGitHubActionDigests',
        ],
      },
      { extends: ['github>acme/x'], vulnerabilityAlerts: { enabled: false } },
      {
        extends: ['github>acme/x'],
        vulnerabilityAlerts: { labels: ['security'] },
      },
    ]) {
      expect(read(config).sharedPresets).toBeUndefined();
    }
  });

  it('Dependabot: any updates entry counts', () => {
    const doc = parseYaml(
      'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    open-pull-requests-limit: 0\n',
    ).docs[0];
    expect(readDependabot('.github/dependabot.yml', doc.value)).toEqual({
      tool: 'dependabot',
      file: '.github/dependabot.yml',
      line: 1,
      securityUpdates: true,
    });
    expect(
      readDependabot('.github/dependabot.yml', { updates: 'x' })
        .securityUpdates,
    ).toBe(false);
  });
});

describe('docs', () => {
  it('finds the root README, mkdocs, docs/ and ADRs', () => {
    expect(
      readDocs([
        'README.md',
        'mkdocs.yml',
        'docs/index.md',
        'docs/adr/0001-a.md',
        'docs/adr/README.md',
        'adr/0002-b.md',
      ]),
    ).toEqual({
      readme: 'README.md',
      mkdocs: 'mkdocs.yml',
      docsDir: true,
      adrs: ['adr/0002-b.md', 'docs/adr/0001-a.md'],
    });
    expect(readDocs([])).toEqual({ docsDir: false, adrs: [] });
  });
});

describe('platform files', () => {
  const classify = (text: string) => {
    const acc = emptyPlatformFacts();
    for (const doc of parseYaml(text).docs) {
      const read = readKubernetesDoc(doc.value, {
        file: 'x.yaml',
        line: doc.line,
      });
      if (read) {
        classifyObject(read.object, doc.value as Record<string, unknown>, acc);
      }
      classifyConfigDoc('x.yaml', doc.line, doc.value, acc);
    }
    return acc;
  };

  it('recognises policies, GitOps, progressive delivery and IaC objects', () => {
    const acc = classify(`
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
---
apiVersion: flagger.app/v1beta1
kind: Canary
---
apiVersion: apiextensions.crossplane.io/v1
kind: Composition
---
AWSTemplateFormatVersion: "2010-09-09"
Resources: {}
`);
    expect(acc.policies).toEqual([{ file: 'x.yaml', engine: 'gatekeeper' }]);
    expect(acc.gitops.map(g => `${g.tool}@${g.line}`)).toEqual([
      'flux@5',
      'flux@8',
    ]);
    expect(acc.progressiveDelivery.map(p => p.tool)).toEqual(['flagger']);
    expect(acc.infrastructureAsCode.map(i => i.tool)).toEqual([
      'crossplane',
      'cloudformation',
    ]);
  });

  it('recognises alert rules, SLOs, collectors and log pipelines', () => {
    const acc = classify(`
groups:
  - name: app
    rules:
      - alert: HighErrorRate
        expr: rate(errors[5m]) > 1
---
apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
---
receivers: { otlp: {} }
exporters: { loki: {} }
service: { pipelines: { logs: { receivers: [otlp], exporters: [loki] } } }
---
sources: { k8s: { type: kubernetes_logs } }
sinks: { loki: { type: loki } }
---
apiVersion: v1
kind: Namespace
metadata:
  labels: { istio-injection: enabled }
`);
    expect(acc.observability.alertRules).toEqual([{ file: 'x.yaml', line: 2 }]);
    expect(acc.observability.slos).toEqual([
      { file: 'x.yaml', line: 8, format: 'sloth' },
    ]);
    expect(acc.observability.openTelemetry.map(o => o.line)).toEqual([11]);
    expect(acc.observability.logPipelines.map(l => l.tool)).toEqual([
      'opentelemetry-collector',
      'vector',
    ]);
    expect(acc.serviceMesh.map(m => m.tool)).toEqual(['istio']);
  });

  it('recognises text files: rego, terraform, fluent-bit', () => {
    const acc = emptyPlatformFacts();
    classifyTextFile('policy/main.rego', 'package main', acc);
    classifyTextFile('infra/main.tf', 'terraform {}', acc);
    classifyTextFile('logging/fluent-bit.conf', '[OUTPUT]\n  Name loki', acc);
    expect(acc.policies).toEqual([
      { file: 'policy/main.rego', engine: 'rego' },
    ]);
    expect(acc.infrastructureAsCode.map(i => i.tool)).toEqual(['terraform']);
    expect(acc.observability.logPipelines.map(l => l.tool)).toEqual([
      'fluent-bit',
    ]);
  });

  it('takes Config Sync, set up in Terraform or as a RootSync, as GitOps', () => {
    const acc = emptyPlatformFacts();
    classifyTextFile(
      'iac/acm.tf',
      'module "acm" {\n  source = "terraform-google-modules/kubernetes-engine/google//modules/acm"\n  sync_repo = var.repo\n}\n',
      acc,
    );
    classifyTextFile(
      'iac/fleet.tf',
      'resource "google_gke_hub_feature_membership" "m" {\n  configmanagement {\n    config_sync {\n      git {\n        sync_repo = "https://example.com/r"\n      }\n    }\n  }\n}\n',
      acc,
    );
    // The module without a repository to sync is only policy management.
    classifyTextFile(
      'iac/policy.tf',
      'module "acm" {\n  source = "x//modules/acm"\n}\n',
      acc,
    );
    classifyObject(
      {
        file: 'clusters/prod/root-sync.yaml',
        line: 1,
        apiVersion: 'configsync.gke.io/v1beta1',
        kind: 'RootSync',
        name: 'root',
      },
      { apiVersion: 'configsync.gke.io/v1beta1', kind: 'RootSync' },
      acc,
    );
    expect(acc.gitops).toEqual([
      { tool: 'config-sync', file: 'iac/acm.tf', line: 2 },
      { tool: 'config-sync', file: 'iac/fleet.tf', line: 3 },
      { tool: 'config-sync', file: 'clusters/prod/root-sync.yaml', line: 1 },
    ]);
  });

  it('takes an ECS log driver in Terraform as a logs pipeline, with its line', () => {
    const acc = emptyPlatformFacts();
    classifyTextFile(
      'terraform/ecs.tf',
      'resource "aws_ecs_task_definition" "app" {\n  container_definitions = jsonencode([{\n    logConfiguration = {\n      logDriver = "awslogs"\n    }\n  }])\n}\n',
      acc,
    );
    classifyTextFile(
      'terraform/other.tf',
      '# logDriver = "none" is not shipped\nresource "x" "y" {}\n',
      acc,
    );
    expect(acc.observability.logPipelines).toEqual([
      { tool: 'awslogs', file: 'terraform/ecs.tf', line: 4 },
    ]);
  });
});
