import { defaultToolPatterns } from '../tools';
import { imageTagsIn } from './imageTags';
import { recognizeStep } from './steps';

describe('imageTagsIn', () => {
  it.each([
    [
      'docker build -t ghcr.io/acme/app:${{ github.sha }} -t ghcr.io/acme/app:latest .',
      ['ghcr.io/acme/app:${{github.sha}}', 'ghcr.io/acme/app:latest'],
    ],
    [
      'docker buildx build --tag=$IMAGE:$CI_COMMIT_SHA --push .',
      ['$IMAGE:$CI_COMMIT_SHA'],
    ],
    ['skaffold build --tag=$GITHUB_SHA', ['$GITHUB_SHA']],
    [
      '/kaniko/executor --destination "registry/app:1.4.2"',
      ['registry/app:1.4.2'],
    ],
    ['docker tag app ghcr.io/acme/app:v2', ['ghcr.io/acme/app:v2']],
    [
      'docker push ghcr.io/acme/app:${{ github.ref_name }}',
      ['ghcr.io/acme/app:${{github.ref_name}}'],
    ],
    [
      'make docker DOCKER_IMAGE_TAG=${{ github.ref_name }}',
      ['${{github.ref_name}}'],
    ],
    ['docker build --build-arg GIT_TAG=v1 -t app:latest .', ['app:latest']],
    ['docker build .', []],
  ])('reads %s', (line, tags) => {
    expect(imageTagsIn(line)).toEqual(tags);
  });
});

describe('recognizeStep', () => {
  it('records the tags a build-push-action step pushes', () => {
    const findings = recognizeStep(
      {
        file: '.github/workflows/release.yml',
        line: 30,
        commands: [],
        uses: 'docker/build-push-action@v6',
        inputs: {
          push: true,
          'build-args': 'APP_VERSION=${{ env.APP_VERSION }}',
          tags: 'ghcr.io/acme/app:latest\nghcr.io/acme/app:${{ github.sha }}\n',
        },
      },
      defaultToolPatterns,
    );
    expect(findings.imageBuilds).toEqual([
      {
        tool: 'docker/build-push-action',
        file: '.github/workflows/release.yml',
        line: 30,
        tags: ['ghcr.io/acme/app:latest', 'ghcr.io/acme/app:${{github.sha}}'],
      },
    ]);
  });

  it('leaves tags out when the step shows none', () => {
    const findings = recognizeStep(
      { file: 'ci.yml', commands: [{ text: 'docker build .', line: 4 }] },
      defaultToolPatterns,
    );
    expect(findings.imageBuilds).toEqual([
      { tool: 'docker build', file: 'ci.yml', line: 4 },
    ]);
  });
});
