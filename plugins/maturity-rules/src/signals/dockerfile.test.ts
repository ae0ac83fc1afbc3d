import { parseDockerfile, parseImageRef } from './dockerfile';

describe('parseDockerfile', () => {
  it('reads every FROM with platform, stage names, digests and the last USER', () => {
    const facts = parseDockerfile(
      'Dockerfile',
      [
        '# syntax=docker/dockerfile:1',
        'FROM --platform=$BUILDPLATFORM golang:1.23 AS build',
        'RUN go build \\',
        '  -o /app .',
        'USER root',
        'FROM gcr.io/distroless/static@sha256:abc123 AS run',
        'user 65532:65532',
      ].join('\n'),
    );
    expect(facts.baseImages).toEqual([
      { image: 'golang', tag: '1.23', file: 'Dockerfile', line: 2 },
      {
        image: 'gcr.io/distroless/static',
        digest: 'sha256:abc123',
        file: 'Dockerfile',
        line: 6,
      },
    ]);
    expect(facts.user).toEqual({
      value: '65532:65532',
      file: 'Dockerfile',
      line: 7,
    });
  });

  it('resolves images from global ARG defaults, and keeps one without a default as written', () => {
    const facts = parseDockerfile(
      'Dockerfile',
      'ARG BASE=node:20-alpine\nARG VERSION\nFROM ${BASE}\nFROM python:$VERSION\n',
    );
    expect(facts.baseImages).toEqual([
      { image: 'node', tag: '20-alpine', file: 'Dockerfile', line: 3 },
      { image: 'python', tag: '$VERSION', file: 'Dockerfile', line: 4 },
    ]);
    expect(facts.user).toBeUndefined();
  });

  it('reads FROM <stage> as the earlier stage, not as an untagged image', () => {
    const facts = parseDockerfile(
      'Dockerfile',
      [
        'FROM golang:1.22 AS build',
        'RUN go build -o /app .',
        'FROM build AS release',
        'USER 10001',
      ].join('\n'),
    );
    expect(facts.baseImages[1]).toEqual({
      image: 'golang',
      tag: '1.22',
      fromStage: 'build',
      file: 'Dockerfile',
      line: 3,
    });
  });

  it('skips flags before the image and keeps both tag and digest', () => {
    const facts = parseDockerfile(
      'Dockerfile',
      'FROM --platform=$BUILDPLATFORM node:22-slim@sha256:ab12 AS deps\n',
    );
    expect(facts.baseImages).toEqual([
      {
        image: 'node',
        tag: '22-slim',
        digest: 'sha256:ab12',
        file: 'Dockerfile',
        line: 1,
      },
    ]);
  });

  it.each([
    ['ARG GO_VERSION=1.22\nFROM golang:${GO_VERSION}', 'golang', '1.22'],
    [
      'ARG BASE_IMAGE=gcr.io/distroless/static:nonroot\nFROM ${BASE_IMAGE}',
      'gcr.io/distroless/static',
      'nonroot',
    ],
    ['ARG BASE_IMAGE\nFROM ${BASE_IMAGE}', '${BASE_IMAGE}', undefined],
    ['FROM ${BASE:-alpine:3.20}', 'alpine', '3.20'],
  ])('resolves the ARG-templated FROM in %j', (text, image, tag) => {
    const [base] = parseDockerfile('Dockerfile', text).baseImages;
    expect(base.image).toBe(image);
    expect(base.tag).toBe(tag);
  });

  it('takes the runtime user from the final stage, or the stage it builds on', () => {
    const builder = 'FROM golang:1.22 AS build\nUSER builder\n';
    expect(
      parseDockerfile('Dockerfile', `${builder}FROM alpine:3.20\n`).user,
    ).toBeUndefined();
    expect(
      parseDockerfile('Dockerfile', `${builder}FROM build\n`).user,
    ).toEqual({ value: 'builder', file: 'Dockerfile', line: 2 });
    expect(
      parseDockerfile(
        'Dockerfile',
        `${builder}FROM alpine:3.20\nUSER app\nUSER root\n`,
      ).user,
    ).toEqual({ value: 'root', file: 'Dockerfile', line: 5 });
  });

  it('keeps registry ports apart from tags', () => {
    expect(parseImageRef('registry:5000/team/app')).toEqual({
      image: 'registry:5000/team/app',
    });
    expect(parseImageRef('registry:5000/team/app:1.2')).toEqual({
      image: 'registry:5000/team/app',
      tag: '1.2',
    });
    expect(parseImageRef('node:latest')).toEqual({
      image: 'node',
      tag: 'latest',
    });
  });
});
