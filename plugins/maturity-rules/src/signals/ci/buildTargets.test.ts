import { evaluateAutomatedTests } from '../../checks/people';
import { evaluateContainerBuild } from '../../checks/process';
import { evaluateContainerImage } from '../../checks/technology';
import { RepoExtraction } from '../../model';
import { component, signalsFor } from '../../testUtils';
import { extractRepository } from '../extractRepository';

const extract = (files: Record<string, string>): RepoExtraction =>
  extractRepository(
    Object.entries(files).map(([path, content]) => ({ path, content })),
  );
const verdict = (evaluate: typeof evaluateContainerBuild, x: RepoExtraction) =>
  evaluate(signalsFor(component('app'), { extraction: x }));
const builds = (x: RepoExtraction) =>
  x.ci.flatMap(p => p.imageBuilds.map(b => `${b.tool} ${b.file}:${b.line}`));

const WORKFLOW = (run: string) => `on: [push, pull_request]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: ${run}
`;
const CI = '.github/workflows/ci.yml';

describe('images built by tools', () => {
  it('follows `make image` to its recipe, through prerequisites and variables', () => {
    const x = extract({
      [CI]: WORKFLOW('make image'),
      Dockerfile: 'FROM alpine:3.20\nUSER 1000\n',
      Makefile: [
        'DOCKER ?= docker',
        'image: image-amd64',
        'image-%:',
        '\t$(DOCKER) build --build-arg ARCH=$* -t app .',
        '',
      ].join('\n'),
    });
    expect(builds(x)).toEqual([`make image (docker build) ${CI}:7`]);
    const outcome = verdict(evaluateContainerBuild, x);
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toBe(
      `CI builds the image from Dockerfile (make image (docker build) in ${CI}).`,
    );
  });

  it('follows a target through an included root make file and `%: common-%`', () => {
    const x = extract({
      [CI]: WORKFLOW('make docker DOCKER_IMAGE_TAG=v1'),
      Dockerfile: 'FROM alpine:3.20\n',
      Makefile: 'include Makefile.common\n',
      'Makefile.common': [
        '%: common-% ;',
        'common-docker:',
        '\tdocker build -t app .',
        '',
      ].join('\n'),
    });
    expect(builds(x)).toEqual([`make docker (docker build) ${CI}:7`]);
  });

  it('reads npm scripts and Taskfile tasks one level down', () => {
    const x = extract({
      [CI]: WORKFLOW('npm run release && task image'),
      Dockerfile: 'FROM node:22\n',
      'package.json': JSON.stringify({
        scripts: { release: 'npm run docker', docker: 'docker build .' },
      }),
      'Taskfile.yml':
        'version: 3\ntasks:\n  image:\n    cmds: [ko build ./cmd/app]\n',
    });
    expect(builds(x)).toEqual([
      `npm run release (docker build) ${CI}:7`,
      `task image (ko build) ${CI}:7`,
    ]);
  });

  it.each([
    ['skaffold run --default-repo=gcr.io/acme', 'skaffold build'],
    ['bazel run //cmd/app:push_image', 'bazel image'],
    ['./mvnw compile jib:build', 'jib'],
    ['ko resolve -f config/ > release.yaml', 'ko build'],
  ])('takes `%s` for an image build (%s)', (run, tool) => {
    const x = extract({ [CI]: WORKFLOW(run) });
    expect(builds(x)).toEqual([`${tool} ${CI}:7`]);
    // These need no Dockerfile: the tool makes the image.
    expect(verdict(evaluateContainerBuild, x).status).toBe('pass');
  });

  it('counts goreleaser only when .goreleaser.yml builds images', () => {
    const files = {
      [CI]: WORKFLOW('goreleaser release --clean'),
      Dockerfile: 'FROM scratch\n',
    };
    expect(builds(extract(files))).toEqual([]);
    expect(
      builds(
        extract({
          ...files,
          '.goreleaser.yml': 'dockers:\n  - image_templates: [acme/app]\n',
        }),
      ),
    ).toEqual([`goreleaser (dockers) ${CI}:7`]);
  });

  it('takes the tags goreleaser pushes from its config, so a release tag is a version', () => {
    const x = extract({
      [CI]: WORKFLOW('goreleaser release --clean'),
      Dockerfile: 'FROM scratch\n',
      '.goreleaser.yml': [
        'dockers:',
        "  - image_templates: ['acme/app:{{ .Tag }}-amd64']",
        'docker_manifests:',
        "  - name_template: 'acme/app:{{ .Tag }}'",
        '',
      ].join('\n'),
    });
    expect(x.ci[0].imageBuilds[0].tags).toEqual([
      'acme/app:{{.Tag}}-amd64',
      'acme/app:{{.Tag}}',
    ]);
    const image = evaluateContainerImage(
      signalsFor(component('app'), { extraction: x }),
    );
    expect(image.status).toBe('pass');
  });
});

describe('tests behind tools', () => {
  it('follows `make check` to the go test it runs', () => {
    const x = extract({
      [CI]: WORKFLOW('make check'),
      Makefile:
        'check: lint unit\nlint:\n\tgolangci-lint run\nunit:\n\tgo test ./...\n',
    });
    const outcome = verdict(evaluateAutomatedTests, x);
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toBe(
      `CI runs tests: make check (go test) (${CI}:7).`,
    );
  });

  it('a bare `make` runs the first target', () => {
    const x = extract({
      [CI]: WORKFLOW('make'),
      Makefile: 'default: test\ntest:\n\tpytest -q\n',
    });
    expect(x.ci[0].tests.map(t => t.tool)).toEqual(['make (pytest)']);
  });
});
