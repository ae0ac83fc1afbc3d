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

  it('resolves images from global ARG defaults, and leaves the tag undefined without one', () => {
    const facts = parseDockerfile(
      'Dockerfile',
      'ARG BASE=node:20-alpine\nARG VERSION\nFROM ${BASE}\nFROM python:$VERSION\n',
    );
    expect(facts.baseImages).toEqual([
      { image: 'node', tag: '20-alpine', file: 'Dockerfile', line: 3 },
      { image: 'python:$VERSION', file: 'Dockerfile', line: 4 },
    ]);
    expect(facts.user).toBeUndefined();
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
