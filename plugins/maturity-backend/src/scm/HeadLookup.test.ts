import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { HeadLookup, HeadLookupByIntegration } from './HeadLookup';

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [{ host: 'github.example.test', token: 'gh' }],
      gitlab: [
        {
          host: 'gitlab.example.test',
          apiBaseUrl: 'https://gitlab.example.test/api/v4',
          token: 'gl',
        },
      ],
      bitbucketCloud: [{ username: 'u', appPassword: 'p' }],
    },
  }),
);

/** A lookup answering `<name>:<url>` for every URL, and what it was asked. */
function answering(name: string) {
  const asked: string[][] = [];
  const lookup: HeadLookup = {
    heads: async urls => {
      asked.push([...urls]);
      return new Map(urls.map(u => [u, `${name}:${u}`]));
    },
  };
  return { lookup, asked };
}

describe('HeadLookupByIntegration', () => {
  it("sends each URL to its host's integration type, and leaves out the rest", async () => {
    const github = answering('github');
    const gitlab = answering('gitlab');
    const lookup = new HeadLookupByIntegration({
      integrations,
      lookups: { github: github.lookup, gitlab: gitlab.lookup },
      logger: mockServices.logger.mock(),
    });

    const heads = await lookup.heads([
      'https://github.example.test/acme/web',
      'https://github.com/acme/api',
      'https://gitlab.example.test/acme/platform/web',
      'https://gitlab.com/acme/api',
      'https://bitbucket.org/acme/web',
      'https://unknown.example.test/acme/web',
      'not a url',
      'https://github.com/acme/api',
    ]);

    expect(github.asked).toEqual([
      ['https://github.example.test/acme/web', 'https://github.com/acme/api'],
    ]);
    expect(gitlab.asked).toEqual([
      [
        'https://gitlab.example.test/acme/platform/web',
        'https://gitlab.com/acme/api',
      ],
    ]);
    expect([...heads.keys()].sort()).toEqual([
      'https://github.com/acme/api',
      'https://github.example.test/acme/web',
      'https://gitlab.com/acme/api',
      'https://gitlab.example.test/acme/platform/web',
    ]);
    expect(heads.get('https://gitlab.com/acme/api')).toBe(
      'gitlab:https://gitlab.com/acme/api',
    );
  });

  it('asks no lookup when no URL is of its type', async () => {
    const github = answering('github');
    const lookup = new HeadLookupByIntegration({
      integrations,
      lookups: { github: github.lookup },
      logger: mockServices.logger.mock(),
    });

    const heads = await lookup.heads(['https://gitlab.com/acme/api']);

    expect(heads.size).toBe(0);
    expect(github.asked).toEqual([]);
  });

  it("keeps the other types' answers when one lookup throws", async () => {
    const gitlab = answering('gitlab');
    const logger = mockServices.logger.mock();
    const lookup = new HeadLookupByIntegration({
      integrations,
      lookups: {
        github: {
          heads: async () => {
            throw new Error('boom');
          },
        },
        gitlab: gitlab.lookup,
      },
      logger,
    });

    const heads = await lookup.heads([
      'https://github.com/acme/api',
      'https://gitlab.com/acme/api',
    ]);

    expect([...heads.keys()]).toEqual(['https://gitlab.com/acme/api']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('github head lookup of 1 repositories failed'),
    );
  });
});
