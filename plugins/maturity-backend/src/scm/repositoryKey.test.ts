import { repositoryOf } from './repositoryKey';

describe('repositoryOf', () => {
  it.each([
    [
      'https://github.com/Acme/Payments/tree/main/',
      { key: 'github.com/acme/payments', path: 'Acme/Payments', ref: 'main' },
    ],
    [
      'https://github.com/acme/payments/blob/release/services/api/catalog-info.yaml',
      {
        key: 'github.com/acme/payments',
        path: 'acme/payments',
        ref: 'release',
      },
    ],
    [
      'https://github.com/acme/payments',
      { key: 'github.com/acme/payments', path: 'acme/payments' },
    ],
    [
      'https://github.com/acme/payments.git',
      { key: 'github.com/acme/payments', path: 'acme/payments' },
    ],
    [
      'https://gitlab.example.com/platform/team/api/-/tree/develop/svc',
      {
        key: 'gitlab.example.com/platform/team/api',
        path: 'platform/team/api',
        ref: 'develop',
      },
    ],
    [
      'https://dev.azure.com/acme/shop/_git/web?path=/&version=GBmain',
      { key: 'dev.azure.com/acme/shop/_git/web', ref: 'main' },
    ],
    [
      'https://bitbucket.example.com/projects/PAY/repos/api/browse?at=refs/heads/main',
      { key: 'bitbucket.example.com/pay/api', path: 'PAY/api', ref: 'main' },
    ],
    [
      'https://bitbucket.org/acme/api/src/main/',
      { key: 'bitbucket.org/acme/api', ref: 'main' },
    ],
    [
      'https://gitea.example.com/acme/api/src/branch/main/deploy',
      { key: 'gitea.example.com/acme/api', ref: 'main' },
    ],
  ])('%s', (url, expected) => {
    expect(repositoryOf(url)).toMatchObject(expected);
  });

  it('gives the same key for every URL into one repository', () => {
    const keys = new Set(
      [
        'https://github.com/acme/mono/tree/main/services/a',
        'https://github.com/ACME/mono/tree/main/services/b/',
        'https://github.com/acme/mono',
      ].map(u => repositoryOf(u)?.key),
    );
    expect([...keys]).toEqual(['github.com/acme/mono']);
  });

  it.each([
    'not a url',
    'file:///tmp/repo',
    'https://github.com/',
    'https://github.com/acme',
  ])('has no repository for %s', url => {
    expect(repositoryOf(url)).toBeUndefined();
  });
});
