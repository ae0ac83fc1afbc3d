import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import maturityPlugin from '@cnmaturity/plugin-maturity-backend';
import request from 'supertest';
import { maturityChecksModule } from './maturityChecks';

const service = (name: string, links: unknown[] = []) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', links },
  spec: { type: 'service', lifecycle: 'production', owner: 'team' },
});

describe('demo maturity checks module', () => {
  it('adds the runbook check to every evaluation and the rubric', async () => {
    const { server } = await startTestBackend({
      features: [
        maturityPlugin,
        maturityChecksModule,
        mockServices.rootConfig.factory({ data: {} }),
        catalogServiceMock.factory({
          entities: [
            service('with-runbook', [
              {
                url: 'https://runbooks.example.com/a',
                title: 'Runbook',
                type: 'runbook',
              },
            ]),
            service('without-runbook'),
          ] as any,
        }),
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
      ],
    });
    const auth = mockCredentials.user.header();

    const rubric = await request(server)
      .get('/api/maturity/rubric')
      .set('Authorization', auth);
    expect(rubric.body.checks.map((c: any) => c.id)).toContain(
      'process.runbook-linked',
    );

    const resultOf = async (name: string) => {
      for (let i = 0; i < 100; i++) {
        const res = await request(server)
          .get(`/api/maturity/entities/component/default/${name}`)
          .set('Authorization', auth);
        if (res.status === 200) {
          return res.body.checks.find(
            (c: any) => c.checkId === 'process.runbook-linked',
          );
        }
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error(`no result for ${name}`);
    };
    expect(await resultOf('with-runbook')).toMatchObject({
      status: 'pass',
      message: 'Runbook linked: Runbook.',
    });
    expect(await resultOf('without-runbook')).toMatchObject({
      status: 'fail',
      message: 'No link of type runbook in metadata.links.',
    });
  });
});
