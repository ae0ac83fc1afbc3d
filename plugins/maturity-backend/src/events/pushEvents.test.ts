import { repositoryOf } from '../scm/repositoryKey';
import {
  parsePushEvent,
  readsPushedBranch,
  RepositoryPush,
} from './pushEvents';

const BEFORE = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const AFTER = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';
const ZEROS = '0000000000000000000000000000000000000000';

type Commit = { added?: string[]; modified?: string[]; removed?: string[] };

/** A GitHub `push` webhook payload, cut down to what matters. */
function githubPush(
  options: {
    ref?: string;
    commits?: Commit[];
    headCommit?: Commit | null;
    deleted?: boolean;
    repository?: Record<string, unknown>;
  } = {},
) {
  const commits = (options.commits ?? [{ modified: ['README.md'] }]).map(
    (c, i) => ({
      id: `c0ffee${i}`,
      message: 'Update',
      added: [],
      modified: [],
      removed: [],
      ...c,
    }),
  );
  const headCommit =
    options.headCommit === undefined
      ? commits[commits.length - 1] ?? null
      : options.headCommit;
  return {
    ref: options.ref ?? 'refs/heads/main',
    before: BEFORE,
    after: options.deleted ? ZEROS : AFTER,
    created: false,
    deleted: options.deleted ?? false,
    forced: false,
    repository: options.repository ?? {
      id: 1296269,
      name: 'Payments',
      full_name: 'Acme/Payments',
      html_url: 'https://github.com/Acme/Payments',
      default_branch: 'main',
    },
    pusher: { name: 'octocat' },
    commits: options.deleted ? [] : commits,
    head_commit: options.deleted ? null : headCommit,
  };
}

/** A GitLab push webhook payload, cut down to what matters. */
function gitlabPush(
  options: {
    ref?: string;
    commits?: Commit[];
    after?: string;
    checkoutSha?: string | null;
    project?: Record<string, unknown>;
  } = {},
) {
  return {
    object_kind: 'push',
    event_name: 'push',
    ref: options.ref ?? 'refs/heads/develop',
    before: BEFORE,
    after: options.after ?? AFTER,
    checkout_sha:
      options.checkoutSha === undefined ? AFTER : options.checkoutSha,
    project_id: 15,
    project: options.project ?? {
      id: 15,
      name: 'api',
      path_with_namespace: 'platform/team/api',
      web_url: 'https://gitlab.example.com/platform/team/api',
      default_branch: 'main',
    },
    commits: (options.commits ?? [{ modified: ['src/main.go'] }]).map(
      (c, i) => ({
        id: `beef${i}`,
        added: [],
        modified: [],
        removed: [],
        ...c,
      }),
    ),
    total_commits_count: 1,
  };
}

describe('parsePushEvent', () => {
  describe('a GitHub push', () => {
    it('gives the repository, the branch, the default branch and the new head', () => {
      expect(parsePushEvent('github.push', githubPush())).toEqual({
        repository: 'github.com/acme/payments',
        branch: 'main',
        defaultBranch: 'main',
        after: AFTER,
        catalogFileChanged: false,
      });
    });

    it('gives the branch name whole when it has slashes', () => {
      expect(
        parsePushEvent(
          'github.push',
          githubPush({ ref: 'refs/heads/feature/x' }),
        ),
      ).toMatchObject({ branch: 'feature/x', defaultBranch: 'main' });
    });

    it.each([
      ['added', { added: ['catalog-info.yaml'] }],
      ['modified', { modified: ['catalog-info.yaml'] }],
      ['removed', { removed: ['catalog-info.yaml'] }],
      ['nested, .yml', { modified: ['services/x/catalog-info.yml'] }],
    ])('notices a catalog-info file changed (%s)', (_, commit) => {
      const payload = githubPush({
        commits: [{ modified: ['README.md'] }, commit],
      });

      expect(parsePushEvent('github.push', payload)).toMatchObject({
        catalogFileChanged: true,
      });
    });

    it('notices a catalog-info change named only in the head commit', () => {
      const payload = githubPush({
        commits: [],
        headCommit: { modified: ['catalog-info.yaml'] },
      });

      expect(parsePushEvent('github.push', payload)).toMatchObject({
        catalogFileChanged: true,
      });
    });

    it('does not mistake other files for a catalog-info file', () => {
      const payload = githubPush({
        commits: [
          {
            added: ['docs/catalog-info.yaml.md', 'my-catalog-info.yaml'],
            modified: ['catalog-info.json', 'src/index.ts'],
          },
        ],
      });

      expect(parsePushEvent('github.push', payload)).toMatchObject({
        catalogFileChanged: false,
      });
    });

    it('leaves out the default branch when the payload does not say', () => {
      const payload = githubPush({
        repository: { html_url: 'https://github.com/Acme/Payments' },
      });

      const push = parsePushEvent('github.push', payload);

      expect(push).toMatchObject({ repository: 'github.com/acme/payments' });
      expect(push).not.toHaveProperty('defaultBranch');
    });
  });

  describe('a GitLab push', () => {
    it('gives the repository, the branch, the default branch and the new head', () => {
      expect(parsePushEvent('gitlab.push', gitlabPush())).toEqual({
        repository: 'gitlab.example.com/platform/team/api',
        branch: 'develop',
        defaultBranch: 'main',
        after: AFTER,
        catalogFileChanged: false,
      });
    });

    it('gives the same repository as the URLs of the entities in a nested group', () => {
      const push = parsePushEvent(
        'gitlab.push',
        gitlabPush(),
      ) as RepositoryPush;

      expect(push.repository).toBe(
        repositoryOf(
          'https://gitlab.example.com/platform/team/api/-/blob/main/catalog-info.yaml',
        )?.key,
      );
    });

    it('ignores a project URL without a project path', () => {
      const payload = gitlabPush({
        project: { web_url: 'https://gitlab.example.com/platform' },
      });

      expect(parsePushEvent('gitlab.push', payload)).toEqual({
        ignored:
          'the repository URL "https://gitlab.example.com/platform" is unusable',
      });
    });

    it('takes the new head from checkout_sha when there is no after', () => {
      const payload: Record<string, unknown> = gitlabPush();
      delete payload.after;

      expect(parsePushEvent('gitlab.push', payload)).toMatchObject({
        after: AFTER,
      });
    });

    it('notices a nested catalog-info file changed', () => {
      const payload = gitlabPush({
        commits: [{ added: ['services/x/catalog-info.yml'] }],
      });

      expect(parsePushEvent('gitlab.push', payload)).toMatchObject({
        catalogFileChanged: true,
      });
    });
  });

  describe('events it does not act on', () => {
    it.each([
      ['null', null],
      ['a string', '{"ref":"refs/heads/main"}'],
      ['an array', [githubPush()]],
      ['a number', 42],
    ])('ignores a payload that is %s', (_, payload) => {
      expect(parsePushEvent('github.push', payload)).toEqual({
        ignored: 'the payload is not an object',
      });
    });

    it('ignores a tag push, naming the tag', () => {
      expect(
        parsePushEvent('github.push', githubPush({ ref: 'refs/tags/v1' })),
      ).toEqual({
        ignored: 'github.com/acme/payments: refs/tags/v1 is not a branch',
      });
      expect(
        parsePushEvent('gitlab.push', gitlabPush({ ref: 'refs/tags/v1' })),
      ).toEqual({
        ignored:
          'gitlab.example.com/platform/team/api: refs/tags/v1 is not a branch',
      });
    });

    it('ignores a push without a ref', () => {
      const payload: Record<string, unknown> = githubPush();
      delete payload.ref;

      expect(parsePushEvent('github.push', payload)).toEqual({
        ignored: 'github.com/acme/payments: no ref is not a branch',
      });
    });

    it('ignores a GitHub push that deleted the branch', () => {
      expect(
        parsePushEvent(
          'github.push',
          githubPush({ ref: 'refs/heads/old', deleted: true }),
        ),
      ).toEqual({
        ignored: 'github.com/acme/payments: the branch was deleted',
      });
    });

    it('ignores a GitLab push that deleted the branch', () => {
      // GitLab says so only by a zero `after` and no checkout_sha.
      const payload = gitlabPush({
        ref: 'refs/heads/old',
        after: ZEROS,
        checkoutSha: null,
        commits: [],
      });

      expect(parsePushEvent('gitlab.push', payload)).toEqual({
        ignored: 'gitlab.example.com/platform/team/api: the branch was deleted',
      });
    });

    it('ignores a payload that names no repository', () => {
      const github: Record<string, unknown> = githubPush();
      delete github.repository;
      const gitlab: Record<string, unknown> = gitlabPush();
      delete gitlab.project;

      expect(parsePushEvent('github.push', github)).toEqual({
        ignored: 'the payload names no repository',
      });
      expect(parsePushEvent('gitlab.push', gitlab)).toEqual({
        ignored: 'the payload names no repository',
      });
    });

    it('reads the repository from the place its SCM puts it', () => {
      // A GitHub payload on the GitLab topic has no `project`.
      expect(parsePushEvent('gitlab.push', githubPush())).toEqual({
        ignored: 'the payload names no repository',
      });
    });

    it.each([
      ['not a URL', { html_url: 'not a url' }, '"not a url"'],
      [
        'not http(s)',
        { html_url: 'git@github.com:Acme/Payments.git' },
        '"git@github.com:Acme/Payments.git"',
      ],
      [
        'no repository path',
        { html_url: 'https://github.com/Acme' },
        '"https://github.com/Acme"',
      ],
      ['missing', { full_name: 'Acme/Payments' }, 'undefined'],
    ])(
      'ignores a repository URL that is %s, quoting it',
      (_, repository, quoted) => {
        const result = parsePushEvent(
          'github.push',
          githubPush({ repository }),
        );

        expect(result).toEqual({
          ignored: `the repository URL ${quoted} is unusable`,
        });
      },
    );
  });
});

describe('readsPushedBranch', () => {
  const push = (branch: string, defaultBranch?: string): RepositoryPush => ({
    repository: 'github.com/acme/payments',
    branch,
    ...(defaultBranch ? { defaultBranch } : {}),
    catalogFileChanged: false,
  });

  it('is true for an entity whose URL names the pushed branch', () => {
    expect(
      readsPushedBranch(
        'https://github.com/Acme/Payments/tree/release/',
        push('release', 'main'),
      ),
    ).toBe(true);
  });

  it('is false for an entity whose URL names another branch', () => {
    expect(
      readsPushedBranch(
        'https://github.com/Acme/Payments/blob/main/catalog-info.yaml',
        push('release', 'main'),
      ),
    ).toBe(false);
  });

  it('is true for an entity on the default branch when the default branch was pushed', () => {
    expect(
      readsPushedBranch(
        'https://github.com/Acme/Payments',
        push('main', 'main'),
      ),
    ).toBe(true);
  });

  it('is false for an entity on the default branch when another branch was pushed', () => {
    expect(
      readsPushedBranch(
        'https://github.com/Acme/Payments',
        push('feature/x', 'main'),
      ),
    ).toBe(false);
  });

  it('is true for an entity on the default branch when the push does not say which that is', () => {
    expect(
      readsPushedBranch('https://github.com/Acme/Payments', push('feature/x')),
    ).toBe(true);
  });

  it('works on what parsePushEvent gives for a GitLab push', () => {
    const pushed = parsePushEvent(
      'gitlab.push',
      gitlabPush(),
    ) as RepositoryPush;

    expect(
      readsPushedBranch(
        'https://gitlab.example.com/platform/team/api/-/tree/develop/svc',
        pushed,
      ),
    ).toBe(true);
    expect(
      readsPushedBranch('https://gitlab.example.com/platform/team/api', pushed),
    ).toBe(false);
  });
});
