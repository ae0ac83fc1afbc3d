import { parseYaml } from '../yaml';
import {
  findSharedReferences,
  jenkinsLibraries,
  parseGithubUses,
  parseGitlabIncludes,
  referenceKey,
  targetLabel,
} from './sharedReferences';

const acme = new Set(['acme']);

describe('parseGithubUses', () => {
  it('reads reusable workflows of other repositories and local ones', () => {
    expect(
      parseGithubUses(
        'acme/pipelines/.github/workflows/build.yml@v2',
        'job',
        undefined,
        acme,
      ),
    ).toEqual({
      shared: {
        kind: 'github-workflow',
        target: {
          type: 'github',
          owner: 'acme',
          repo: 'pipelines',
          path: '.github/workflows/build.yml',
          ref: 'v2',
        },
      },
      ref: 'acme/pipelines/.github/workflows/build.yml@v2',
    });
    expect(
      parseGithubUses('./.github/workflows/build.yml', 'job', undefined, acme),
    ).toEqual({
      local: '.github/workflows/build.yml',
      ref: './.github/workflows/build.yml',
    });
  });

  it('resolves ./ inside a shared file to that file’s repository and ref', () => {
    const base = {
      type: 'github' as const,
      owner: 'acme',
      repo: 'pipelines',
      path: '.github/workflows/build.yml',
      ref: 'v2',
    };
    expect(
      parseGithubUses('./.github/workflows/scan.yml', 'job', base, acme),
    ).toMatchObject({
      shared: { target: { ...base, path: '.github/workflows/scan.yml' } },
    });
  });

  it('reads actions of the organisation only', () => {
    expect(
      parseGithubUses('acme/actions/scan@v1', 'step', undefined, acme),
    ).toMatchObject({
      shared: {
        kind: 'github-action',
        target: { owner: 'acme', repo: 'actions', path: 'scan', ref: 'v1' },
      },
    });
    expect(
      parseGithubUses('Acme/actions@v1', 'step', undefined, acme),
    ).toMatchObject({ shared: { target: { path: '' } } });
    expect(
      parseGithubUses('actions/checkout@v4', 'step', undefined, acme),
    ).toEqual({ ignored: true });
    expect(
      parseGithubUses('docker://alpine:3', 'step', undefined, acme),
    ).toEqual({ ignored: true });
  });

  it('says why a string is not a reference', () => {
    expect(parseGithubUses('build', 'job', undefined, acme)).toEqual({
      invalid:
        '"build" is not a reusable workflow reference (owner/repo/path@ref)',
    });
    expect(
      parseGithubUses('acme/p/ci/build.yml@v1', 'job', undefined, acme),
    ).toEqual({
      invalid:
        '"acme/p/ci/build.yml@v1" does not name a workflow file under .github/workflows/',
    });
    expect(
      parseGithubUses(
        './../other/.github/workflows/x.yml',
        'job',
        undefined,
        acme,
      ),
    ).toMatchObject({ invalid: expect.stringContaining('not a path') });
  });
});

describe('parseGitlabIncludes', () => {
  it('reads every form of include', () => {
    const parsed = parseGitlabIncludes(
      [
        'ci/build.yml',
        'https://example.com/ci/remote.yml',
        { local: '/ci/test.yml' },
        { remote: 'https://example.com/x.yml' },
        {
          project: 'platform/templates',
          file: ['/a.yml', 'b.yml'],
          ref: 'v3',
        },
        { template: 'Security/Secret-Detection.gitlab-ci.yml' },
        { component: 'gitlab.com/components/sast/sast@2.0' },
        { project: 'platform/templates' },
        42,
      ],
      undefined,
    );
    expect(parsed).toEqual([
      { local: 'ci/build.yml', ref: 'ci/build.yml' },
      {
        shared: {
          kind: 'gitlab',
          target: { type: 'url', url: 'https://example.com/ci/remote.yml' },
        },
        ref: 'https://example.com/ci/remote.yml',
      },
      { local: 'ci/test.yml', ref: '/ci/test.yml' },
      {
        shared: {
          kind: 'gitlab',
          target: { type: 'url', url: 'https://example.com/x.yml' },
        },
        ref: 'https://example.com/x.yml',
      },
      {
        shared: {
          kind: 'gitlab',
          target: {
            type: 'gitlab',
            project: 'platform/templates',
            file: 'a.yml',
            ref: 'v3',
          },
        },
        ref: 'project platform/templates file /a.yml ref v3',
      },
      {
        shared: {
          kind: 'gitlab',
          target: {
            type: 'gitlab',
            project: 'platform/templates',
            file: 'b.yml',
            ref: 'v3',
          },
        },
        ref: 'project platform/templates file b.yml ref v3',
      },
      {
        byName: 'Security/Secret-Detection.gitlab-ci.yml',
        ref: '{"template":"Security/Secret-Detection.gitlab-ci.yml"}',
      },
      {
        byName: 'gitlab.com/components/sast/sast@2.0',
        ref: '{"component":"gitlab.com/components/sast/sast@2.0"}',
      },
      {
        invalid:
          'include {"project":"platform/templates"} needs a project and a file',
      },
      { invalid: 'include entry 42 is not a file' },
    ]);
  });

  it('resolves local includes of a shared project inside that project', () => {
    const base = {
      type: 'gitlab' as const,
      project: 'platform/templates',
      file: 'main.yml',
      ref: 'v3',
    };
    expect(parseGitlabIncludes({ local: 'jobs/scan.yml' }, base)).toEqual([
      {
        shared: { kind: 'gitlab', target: { ...base, file: 'jobs/scan.yml' } },
        ref: 'jobs/scan.yml',
      },
    ]);
    expect(
      parseGitlabIncludes(
        { local: 'x.yml' },
        { type: 'url', url: 'https://example.com/a.yml' },
      ),
    ).toEqual([{ invalid: expect.stringContaining('cannot be located') }]);
    expect(parseGitlabIncludes('ftp://host/x.yml', undefined)).toEqual([
      {
        invalid:
          'include "ftp://host/x.yml" is neither a file path nor an http(s) URL',
      },
    ]);
    expect(
      parseGitlabIncludes({ remote: 'file:///etc/passwd' }, undefined),
    ).toEqual([
      { invalid: 'remote include "file:///etc/passwd" is not an http(s) URL' },
    ]);
  });
});

describe('findSharedReferences', () => {
  it('lists what a repository must read, following downloaded local includes', () => {
    const yaml = new Map([
      [
        '.gitlab-ci.yml',
        parseYaml('include:\n  - local: ci/a.yml\n  - local: ci/missing.yml\n')
          .docs,
      ],
      [
        'ci/a.yml',
        parseYaml('include:\n  remote: https://example.com/t.yml\n').docs,
      ],
    ]);
    const refs = findSharedReferences(
      'gitlab',
      yaml.get('.gitlab-ci.yml')!,
      undefined,
      acme,
      yaml,
    );
    expect(refs.map(targetLabel)).toEqual([
      'https://example.com/t.yml',
      'ci/missing.yml',
    ]);
    expect(referenceKey(refs[1])).toBe('gitlab:repo:ci/missing.yml');
  });

  it('finds job and step references in a workflow', () => {
    const docs = parseYaml(
      [
        'jobs:',
        '  a:',
        '    uses: acme/p/.github/workflows/w.yml@v1',
        '  b:',
        '    steps:',
        '      - uses: acme/actions/scan@v2',
        '      - uses: actions/checkout@v4',
      ].join('\n'),
    ).docs;
    expect(
      findSharedReferences('github-workflow', docs, undefined, acme).map(
        targetLabel,
      ),
    ).toEqual([
      'acme/p/.github/workflows/w.yml@v1',
      'acme/actions/scan/action.yml@v2',
    ]);
  });
});

describe('jenkinsLibraries', () => {
  it('recognises @Library and the library step', () => {
    expect(
      jenkinsLibraries(
        [
          "@Library('pipelines@v3') _",
          "@Library(['a', 'b@main']) _",
          "library 'c'",
          "library(identifier: 'd@1')",
          "// @Library('commented')",
        ].join('\n'),
      ),
    ).toEqual([
      { name: 'pipelines@v3', line: 1 },
      { name: 'a', line: 2 },
      { name: 'b@main', line: 2 },
      { name: 'c', line: 3 },
      { name: 'd@1', line: 4 },
    ]);
  });
});
