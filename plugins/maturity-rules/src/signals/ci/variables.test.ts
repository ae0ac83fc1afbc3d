import { defaultToolPatterns } from '../tools';
import { parseYaml } from '../yaml';
import { parseGithubWorkflow } from './githubActions';
import { jobVariables, substitute } from './variables';

const workflow = (text: string) =>
  parseGithubWorkflow(
    '.github/workflows/ci.yml',
    parseYaml(text).docs[0]!,
    defaultToolPatterns,
  ).pipeline;

describe('workflow variables in commands', () => {
  it('resolves a matrix tool and an env command to the build tool they name', () => {
    const p = workflow(`
on: pull_request
env:
  BUILD_CMD: ./gradlew
jobs:
  test:
    strategy:
      matrix:
        tool: [mvn, npm]
    steps:
      - run: \${{ matrix.tool }} test
      - run: $BUILD_CMD test
`);
    expect(p.tests.map(t => `${t.tool}:${t.line}`)).toEqual([
      'mvn test:11',
      'npm test:11',
      'gradle test:12',
    ]);
  });

  it('reads the Dockerfile a matrix names in a build', () => {
    const p = workflow(`
on: push
jobs:
  image:
    strategy:
      matrix:
        include:
          - dockerfile: src/api/Dockerfile
          - dockerfile: src/web/Dockerfile
    steps:
      - run: docker build -f \${{ matrix.dockerfile }} .
      - env:
          ENGINE: podman
        run: $ENGINE build -f \${{ matrix.dockerfile }} .
`);
    expect(p.imageBuilds.map(b => `${b.tool}:${b.line}`)).toEqual([
      'docker build:11',
      'podman build:14',
    ]);
  });
});

describe('substitute', () => {
  it('gives one line per value, at the same line, and leaves unknown variables', () => {
    expect(
      substitute(
        [{ text: 'docker build -f ${{ matrix.dockerfile }} $CTX', line: 3 }],
        jobVariables([], {
          matrix: { dockerfile: ['a/Dockerfile', 'b/Dockerfile'] },
        }),
      ),
    ).toEqual([
      { text: 'docker build -f a/Dockerfile $CTX', line: 3 },
      { text: 'docker build -f b/Dockerfile $CTX', line: 3 },
    ]);
  });
});
