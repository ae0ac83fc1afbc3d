import { CiSystem } from '../../model';
import { defaultToolPatterns } from '../tools';
import { parseYaml } from '../yaml';
import { parseOtherCi } from './otherSystems';

const parse = (system: CiSystem, text: string) =>
  parseOtherCi(system, 'ci.yml', parseYaml(text).docs, defaultToolPatterns);

describe('parseOtherCi', () => {
  it('CircleCI: commands, scheduled workflows and approval jobs', () => {
    const { pipeline } = parse(
      'circleci',
      `
version: 2.1
jobs:
  test:
    steps:
      - checkout
      - run: npm test
  deploy:
    steps:
      - run:
          name: Deploy
          command: helm upgrade --install app chart
workflows:
  main:
    jobs:
      - test
      - hold: { type: approval }
      - deploy: { requires: [hold] }
  nightly:
    triggers:
      - schedule: { cron: "0 0 * * *", filters: { branches: { only: [main] } } }
    jobs: [test]
`,
    );
    expect(pipeline.triggers).toMatchObject({
      pullRequest: true,
      pushDefaultBranch: true,
      schedule: true,
    });
    expect(pipeline.tests.map(t => `${t.tool}@${t.line}`)).toEqual([
      'npm test@7',
    ]);
    expect(pipeline.deploys).toEqual([
      expect.objectContaining({ tool: 'helm upgrade', manualApproval: true }),
    ]);
  });

  it('Azure Pipelines: triggers, tasks and deployment jobs with environments', () => {
    const { pipeline, environments } = parse(
      'azure-pipelines',
      `
trigger:
  branches:
    include: [main]
pr: none
schedules:
  - cron: "0 3 * * *"
    branches: { include: [main] }
stages:
  - stage: Build
    jobs:
      - job: build
        steps:
          - script: dotnet test
          - task: Docker@2
            inputs: { command: buildAndPush, repository: app }
  - stage: Prod
    jobs:
      - deployment: prod
        environment: production
        strategy:
          runOnce:
            deploy:
              steps:
                - bash: kubectl apply -f k8s/
`,
    );
    expect(pipeline.triggers).toMatchObject({
      pullRequest: false,
      pushDefaultBranch: true,
      schedule: true,
    });
    expect(pipeline.tests.map(t => t.tool)).toEqual(['dotnet test']);
    expect(pipeline.deploys).toEqual([
      expect.objectContaining({
        tool: 'kubectl apply',
        environment: 'production',
        onDefaultBranch: true,
      }),
    ]);
    expect(environments.map(e => e.name)).toEqual(['production']);
  });

  it('Bitbucket: pull-request pipelines, deployments and manual steps', () => {
    const { pipeline } = parse(
      'bitbucket-pipelines',
      `
pipelines:
  pull-requests:
    '**':
      - step: { name: Test, script: [pytest] }
  branches:
    main:
      - step: { name: Build, script: [docker build -t app .] }
      - step:
          name: Deploy
          deployment: production
          trigger: manual
          script: [helm upgrade --install app chart]
`,
    );
    expect(pipeline.triggers).toMatchObject({
      pullRequest: true,
      pushDefaultBranch: true,
      tags: false,
    });
    expect(pipeline.deploys).toEqual([
      expect.objectContaining({
        environment: 'production',
        onDefaultBranch: true,
        manualApproval: true,
      }),
    ]);
  });

  it('Drone: trigger events and plugin images', () => {
    const { pipeline } = parse(
      'drone',
      `
kind: pipeline
type: docker
name: default
trigger:
  event: [pull_request, push]
  branch: [main]
steps:
  - name: test
    image: golang:1.23
    commands: [go test ./...]
  - name: scan
    image: aquasec/trivy
    commands: [trivy image --exit-code 1 app]
`,
    );
    expect(pipeline.triggers).toMatchObject({
      pullRequest: true,
      pushDefaultBranch: true,
      tags: false,
    });
    expect(pipeline.tests.map(t => t.tool)).toEqual(['go test']);
    expect(pipeline.scanners.map(s => s.tool)).toEqual(['trivy']);
  });

  it('Tekton: Pipelines-as-Code events and step scripts', () => {
    const { pipeline } = parse(
      'tekton',
      `
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: on-pr
  annotations:
    pipelinesascode.tekton.dev/on-event: "[pull_request]"
    pipelinesascode.tekton.dev/on-target-branch: "[main]"
spec:
  pipelineSpec:
    tasks:
      - name: build
        taskSpec:
          steps:
            - name: kaniko
              image: gcr.io/kaniko-project/executor:latest
              args: ["--destination=app"]
`,
    );
    expect(pipeline.triggers.pullRequest).toBe(true);
    expect(pipeline.imageBuilds.map(b => b.tool)).toEqual(['kaniko']);
  });

  it('survives wrong types', () => {
    for (const system of [
      'circleci',
      'azure-pipelines',
      'bitbucket-pipelines',
      'drone',
      'tekton',
    ] as CiSystem[]) {
      for (const text of [
        '42',
        'pipelines: 7\ntrigger: [1]\npr: {branches: 3}',
        'steps: [1, null, {commands: 5}]',
      ]) {
        expect(() => parse(system, text)).not.toThrow();
      }
    }
  });
});
