import { extractRepository } from './extractRepository';
import { isStrayDockerfile } from './strayDockerfiles';

const APP = 'FROM node:22-slim\nCOPY . .\nUSER node\n';
const builders = (files: Record<string, string>) =>
  new Map(Object.entries(files));

describe('isStrayDockerfile', () => {
  it('reads a dev container as stray, even when something names it', () => {
    expect(
      isStrayDockerfile(
        '.devcontainer/Dockerfile',
        APP,
        builders({ '.devcontainer/devcontainer.json': '.devcontainer' }),
      ),
    ).toBe(true);
  });

  it('keeps the service Dockerfile, built or not', () => {
    expect(isStrayDockerfile('Dockerfile', APP, builders({}))).toBe(false);
    expect(isStrayDockerfile('src/api/Dockerfile', APP, builders({}))).toBe(
      false,
    );
  });

  it('reads a test or example Dockerfile nothing refers to as stray', () => {
    const ci = builders({
      '.github/workflows/ci.yml': 'run: go test ./...\nrun: docker build .',
    });
    expect(isStrayDockerfile('test/Dockerfile', APP, ci)).toBe(true);
    expect(isStrayDockerfile('examples/web/Dockerfile', APP, ci)).toBe(true);
  });

  it('keeps a test Dockerfile that CI, compose or skaffold builds', () => {
    expect(
      isStrayDockerfile(
        'test/e2e/Dockerfile',
        APP,
        builders({ '.github/workflows/e2e.yml': 'with:\n  context: test/e2e' }),
      ),
    ).toBe(false);
    expect(
      isStrayDockerfile(
        'result/tests/Dockerfile',
        APP,
        builders({ 'result/docker-compose.test.yml': '    build: ./tests/' }),
      ),
    ).toBe(false);
    expect(
      isStrayDockerfile(
        'tests/Dockerfile',
        APP,
        builders({ 'skaffold.yaml': '    context: tests' }),
      ),
    ).toBe(false);
  });

  it('reads a one-line Dockerfile nothing builds as stray', () => {
    const oneLine = '# a pinned tool image\nFROM cypress/included:13.17.0\n';
    expect(isStrayDockerfile('e2e.Dockerfile', oneLine, builders({}))).toBe(
      true,
    );
    expect(
      isStrayDockerfile(
        'tools/Dockerfile',
        oneLine,
        builders({ Makefile: '\tdocker build -f tools/Dockerfile .' }),
      ),
    ).toBe(false);
  });
});

describe('extractRepository', () => {
  it('marks the Dockerfiles nothing builds as stray', () => {
    const x = extractRepository([
      {
        path: '.devcontainer/Dockerfile',
        content: 'FROM mcr.microsoft.com/devcontainers/java:17\nRUN true\n',
      },
      { path: 'examples/demo/Dockerfile', content: APP },
      { path: 'Dockerfile', content: APP },
      {
        path: '.github/workflows/ci.yml',
        content:
          'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker build -t app .\n',
      },
    ]);
    expect(x.dockerfiles.map(d => [d.file, d.stray ?? false])).toEqual([
      ['.devcontainer/Dockerfile', true],
      ['Dockerfile', false],
      ['examples/demo/Dockerfile', true],
    ]);
  });
});
