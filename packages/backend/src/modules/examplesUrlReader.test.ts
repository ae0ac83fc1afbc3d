import {
  coreServices,
  createBackendPlugin,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { examplesUrlReader } from './examplesUrlReader';

async function startReader(): Promise<UrlReaderService> {
  let reader: UrlReaderService | undefined;
  const capture = createBackendPlugin({
    pluginId: 'capture',
    register(env) {
      env.registerInit({
        deps: { urlReader: coreServices.urlReader },
        async init({ urlReader }) {
          reader = urlReader;
        },
      });
    },
  });
  await startTestBackend({ features: [capture, examplesUrlReader] });
  return reader!;
}

const base = 'http://examples.cnmaturity.local/repos';

describe('examples UrlReader', () => {
  it('serves an example repository as a tree through the standard UrlReaderService', async () => {
    const reader = await startReader();
    const tree = await reader.readTree(`${base}/checkout-service/`);
    const files = (await tree.files()).map(f => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['Dockerfile', '.github/CODEOWNERS']),
    );
    expect(tree.etag).toMatch(/^[0-9a-f]{32}$/);

    // An unchanged repository answers "not modified" to its etag.
    await expect(
      reader.readTree(`${base}/checkout-service/`, { etag: tree.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });

  it('applies the caller filter', async () => {
    const reader = await startReader();
    const tree = await reader.readTree(`${base}/checkout-service/`, {
      filter: path => path === 'Dockerfile',
    });
    expect((await tree.files()).map(f => f.path)).toEqual(['Dockerfile']);
  });

  it('reads single files and refuses paths outside the examples', async () => {
    const reader = await startReader();
    const res = await reader.readUrl(`${base}/checkout-service/Dockerfile`);
    expect((await res.buffer()).toString()).toContain('FROM ');
    await expect(
      reader.readUrl(`${base}/checkout-service/nope.txt`),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(
      reader.readUrl(
        'http://examples.cnmaturity.local/%2e%2e/%2e%2e/package.json',
      ),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
