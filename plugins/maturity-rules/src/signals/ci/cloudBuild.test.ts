import { evaluateAutoDeploy } from '../../checks/people';
import { evaluateContainerBuild } from '../../checks/process';
import { component, signalsFor } from '../../testUtils';
import { extractRepository } from '../extractRepository';

const extract = (files: Record<string, string>) =>
  extractRepository(
    Object.entries(files).map(([path, content]) => ({ path, content })),
  );

describe('Google Cloud Build', () => {
  it('reads a docker builder step as `docker build`, and make as its target', () => {
    const x = extract({
      Dockerfile: 'FROM alpine:3.20\n',
      'cloudbuild.yaml': [
        'steps:',
        '  - name: gcr.io/cloud-builders/docker',
        '    args: [build, -t, gcr.io/$PROJECT_ID/app, .]',
        '  - name: gcr.io/acme/make-image',
        '    entrypoint: make',
        '    args: [push]',
        '',
      ].join('\n'),
      Makefile: 'push:\n\tdocker buildx build --push .\n',
    });
    expect(x.ci.map(p => p.system)).toEqual(['cloud-build']);
    expect(
      x.ci[0].imageBuilds.map(b => `${b.tool} ${b.file}:${b.line}`),
    ).toEqual([
      'docker build cloudbuild.yaml:3',
      'make push (docker buildx) cloudbuild.yaml:6',
    ]);
    const outcome = evaluateContainerBuild(
      signalsFor(component('app'), { extraction: x }),
    );
    expect(outcome.status).toBe('pass');
    expect(outcome.message).toBe(
      'CI builds the image from Dockerfile (docker build in cloudbuild.yaml).',
    );
  });

  it('runs the script of a step, and leaves when it runs unknown', () => {
    const x = extract({
      'deploy/cloudbuild/release.yaml': [
        'steps:',
        '  - name: gcr.io/k8s-skaffold/skaffold',
        '    script: |',
        '      skaffold build --file-output=artifacts.json',
        '      gcloud deploy releases create r1 --delivery-pipeline=app',
        '',
      ].join('\n'),
    });
    const [p] = x.ci;
    expect(p.imageBuilds.map(b => `${b.tool}:${b.line}`)).toEqual([
      'skaffold build:4',
    ]);
    expect(p.deploys.map(d => `${d.tool}:${d.line}`)).toEqual([
      'cloud deploy release:5',
    ]);
    // Cloud Build triggers live in Google Cloud, not in the file.
    const outcome = evaluateAutoDeploy(
      signalsFor(component('app'), { extraction: x }),
    );
    expect(outcome.status).toBe('unknown');
    expect(outcome.message).toBe(
      'No deploy is seen to run on merge or on tags. deploy/cloudbuild/release.yaml runs on triggers configured outside the repository (Google Cloud Build), so when it runs cannot be read.',
    );
  });
});
