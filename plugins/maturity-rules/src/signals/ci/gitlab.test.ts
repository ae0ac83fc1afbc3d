import { defaultToolPatterns } from '../tools';
import { parseYaml } from '../yaml';
import { parseGitlabCi } from './gitlab';

const gitlab = (text: string, included: Array<[string, string]> = []) =>
  parseGitlabCi(
    [
      { file: '.gitlab-ci.yml', doc: parseYaml(text).docs[0] },
      ...included.map(([file, t]) => ({ file, doc: parseYaml(t).docs[0] })),
    ],
    defaultToolPatterns,
  );

describe('parseGitlabCi', () => {
  it('reads merge request pipelines, default branch and tag rules, manual deploys', () => {
    const { pipeline, environments } = gitlab(`
stages: [test, build, deploy]
include:
  - template: Security/SAST.gitlab-ci.yml
  - template: Jobs/Secret-Detection.gitlab-ci.yml
test:
  stage: test
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - npm ci
    - npm test
build:
  stage: build
  script: docker build -t $CI_REGISTRY_IMAGE .
deploy-staging:
  stage: deploy
  environment: staging
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - helm upgrade --install app chart -f chart/values-staging.yaml
deploy-production:
  stage: deploy
  environment:
    name: production
    url: https://example.com
  rules:
    - if: $CI_COMMIT_TAG
      when: manual
  script:
    - helm upgrade --install app chart
stop-review:
  stage: deploy
  environment: { name: review, action: stop }
  script: echo stop
`);
    expect(pipeline.triggers).toEqual({
      pullRequest: true,
      pushDefaultBranch: true,
      tags: true,
      schedule: false,
      manual: false,
    });
    expect(pipeline.tests.map(t => `${t.tool}@${t.line}`)).toEqual([
      'npm test@13',
    ]);
    expect(pipeline.imageBuilds.map(t => t.tool)).toEqual(['docker build']);
    expect(pipeline.scanners.map(s => `${s.kind}:${s.tool}`).sort()).toEqual([
      'sast:gitlab sast',
      'secret:gitlab secret detection',
    ]);
    expect(pipeline.deploys).toEqual([
      expect.objectContaining({
        tool: 'helm upgrade',
        environment: 'staging',
        onDefaultBranch: true,
        onTags: false,
        manualApproval: false,
      }),
      expect.objectContaining({
        tool: 'helm upgrade',
        environment: 'production',
        onDefaultBranch: false,
        onTags: true,
        manualApproval: true,
      }),
    ]);
    expect(environments.map(e => e.name)).toEqual(['staging', 'production']);
  });

  it('reads `only:` lists, `extends:` templates and included local files', () => {
    const { pipeline } = gitlab(
      `
.scan:
  script:
    - trivy image --exit-code 1 $IMAGE
  allow_failure: true
container_scan:
  extends: .scan
  only: [merge_requests, main]
`,
      [
        [
          '.gitlab/ci/nightly.yml',
          'nightly:\n  only: [schedules]\n  script: osv-scanner -r .\n',
        ],
      ],
    );
    expect(pipeline.triggers).toMatchObject({
      pullRequest: true,
      pushDefaultBranch: true,
      schedule: true,
      tags: false,
    });
    expect(pipeline.scanners).toEqual([
      {
        tool: 'trivy',
        kind: 'container',
        blocking: false,
        file: '.gitlab-ci.yml',
        line: 4,
      },
      {
        tool: 'osv-scanner',
        kind: 'dependency',
        blocking: true,
        file: '.gitlab/ci/nightly.yml',
        line: 3,
      },
    ]);
  });

  it('without rules, jobs run on every push but not as merge request pipelines', () => {
    const { pipeline } = gitlab('test:\n  script: go test ./...\n');
    expect(pipeline.triggers).toMatchObject({
      pullRequest: false,
      pushDefaultBranch: true,
      tags: true,
    });
  });

  it('workflow rules that create MR pipelines make rule-less jobs run for MRs', () => {
    const { pipeline } = gitlab(`
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
test:
  script: pytest
`);
    expect(pipeline.triggers).toMatchObject({
      pullRequest: true,
      pushDefaultBranch: true,
      tags: false,
    });
  });

  it('survives wrong types', () => {
    for (const text of [
      'test: 42',
      'test:\n  script: [1, [2, "go test ./..."]]\n  rules: 5\n',
      'include: 3\nworkflow: 7',
    ]) {
      expect(() => gitlab(text)).not.toThrow();
    }
    expect(
      gitlab(
        'test:\n  script: [1, [2, "go test ./..."]]\n  rules: 5\n',
      ).pipeline.tests.map(t => t.tool),
    ).toEqual(['go test']);
  });
});
