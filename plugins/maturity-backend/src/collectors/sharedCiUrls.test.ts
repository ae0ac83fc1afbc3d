import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { SharedReference } from '@cnmaturity/plugin-maturity-rules';
import { repositoryOwner, sharedCiUrls } from './sharedCiUrls';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [{ host: 'github.com' }, { host: 'ghe.example.com' }],
      gitlab: [
        { host: 'gitlab.com' },
        {
          host: 'git.example.com',
          apiBaseUrl: 'https://git.example.com/api/v4',
        },
      ],
    },
  }),
);
const options = { integrations, hosts: [] };

const workflow: SharedReference = {
  kind: 'github-workflow',
  target: {
    type: 'github',
    owner: 'acme',
    repo: 'pipelines',
    path: '.github/workflows/build.yml',
    ref: 'release/v2',
  },
};

describe('sharedCiUrls', () => {
  it('points GitHub references at the same host as the repository', () => {
    expect(
      sharedCiUrls(
        workflow,
        'https://ghe.example.com/acme/svc/tree/main/',
        options,
      ),
    ).toEqual({
      urls: [
        'https://ghe.example.com/acme/pipelines/blob/release%2Fv2/.github/workflows/build.yml',
      ],
    });
  });

  it('tries action.yml, then action.yaml', () => {
    const action: SharedReference = {
      kind: 'github-action',
      target: { ...workflow.target, path: 'scan', ref: 'v1' } as any,
    };
    expect(
      sharedCiUrls(action, 'https://github.com/acme/svc', options),
    ).toEqual({
      urls: [
        'https://github.com/acme/pipelines/blob/v1/scan/action.yml',
        'https://github.com/acme/pipelines/blob/v1/scan/action.yaml',
      ],
    });
  });

  it('points GitLab project includes at the same instance, HEAD without a ref', () => {
    expect(
      sharedCiUrls(
        {
          kind: 'gitlab',
          target: {
            type: 'gitlab',
            project: 'platform/ci/templates',
            file: 'security.yml',
          },
        },
        'https://git.example.com/shop/cart/-/tree/main/',
        options,
      ),
    ).toEqual({
      urls: [
        'https://git.example.com/platform/ci/templates/-/blob/HEAD/security.yml',
      ],
    });
  });

  it('reads a local include outside the downloaded files next to the repository, as a file', () => {
    expect(
      sharedCiUrls(
        { kind: 'gitlab', target: { type: 'repo', path: 'ci/build.yml' } },
        'https://gitlab.com/shop/cart/-/tree/main/',
        options,
      ),
    ).toEqual({
      urls: ['https://gitlab.com/shop/cart/-/blob/main/ci/build.yml'],
    });
  });

  it('uses a configured template for other hosts, and says why it cannot locate without one', () => {
    const hosts = [
      {
        host: 'scm.internal',
        fileUrl: 'https://scm.internal/{owner}/{repo}/raw/{ref}/{path}',
      },
    ];
    expect(
      sharedCiUrls(workflow, 'https://scm.internal/acme/svc/', {
        integrations,
        hosts,
      }),
    ).toEqual({
      urls: [
        'https://scm.internal/acme/pipelines/raw/release%2Fv2/.github/workflows/build.yml',
      ],
    });
    expect(
      sharedCiUrls(
        workflow,
        'https://bitbucket.example.com/acme/svc/',
        options,
      ),
    ).toEqual({
      reason: expect.stringContaining(
        'bitbucket.example.com is not a GitHub integration',
      ),
    });
    expect(
      sharedCiUrls(
        {
          kind: 'gitlab',
          target: { type: 'gitlab', project: 'p/t', file: 'a.yml' },
        },
        'https://github.com/acme/svc',
        options,
      ),
    ).toEqual({
      reason: expect.stringContaining('github.com is not a GitLab integration'),
    });
  });
});

describe('repositoryOwner', () => {
  it('is the organisation of a repository on an integration host', () => {
    expect(
      repositoryOwner('https://github.com/Acme/svc/tree/main/', integrations),
    ).toBe('acme');
    expect(
      repositoryOwner('https://unknown.example.com/acme/svc', integrations),
    ).toBeUndefined();
    expect(repositoryOwner('not a url', integrations)).toBeUndefined();
  });
});
