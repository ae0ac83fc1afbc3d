import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { MaturityAttestation } from '@cnmaturity/plugin-maturity-common';
import {
  createTestDatabases,
  expectEveryEngine,
} from '../__testUtils__/databases';
import { DatabaseAttestationStore } from './DatabaseAttestationStore';
import { DatabaseMaturityStore } from './DatabaseMaturityStore';

const databases = createTestDatabases();

it('runs on every database engine (set BACKSTAGE_TEST_DATABASE_<ID>_CONNECTION_STRING)', () => {
  expectEveryEngine(databases);
});

function attestation(
  entity: string,
  checkId: string,
  overrides: Partial<MaturityAttestation> = {},
): MaturityAttestation {
  return {
    entityRef: `component:default/${entity}`,
    checkId,
    attestedBy: 'user:default/jane',
    // Whole seconds: MySQL stores timestamps without fractions.
    attestedAt: '2026-11-20T10:00:00.000Z',
    expiresOn: '2027-05-19',
    evidenceUrl: `https://wiki.example.com/${entity}/${checkId}`,
    comment: `${checkId} reviewed`,
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseAttestationStore on %s',
  databaseId => {
    async function createStore(id: TestDatabaseId) {
      const knex = await databases.init(id);
      const database = mockServices.database({ knex });
      await DatabaseMaturityStore.create({ database }); // runs the migrations
      return {
        knex,
        store: await DatabaseAttestationStore.create({ database }),
      };
    }

    it('stores an attestation and reads it back with every field', async () => {
      const { store } = await createStore(databaseId);
      const a = attestation('svc', 'people.certifications');
      await store.addAttestation(a);
      const latest = await store.latestAttestations(['component:default/svc']);
      expect([...latest.entries()]).toEqual([
        [
          'component:default/svc',
          [
            {
              entityRef: 'component:default/svc',
              checkId: 'people.certifications',
              attestedBy: 'user:default/jane',
              attestedAt: '2026-11-20T10:00:00.000Z',
              expiresOn: '2027-05-19',
              evidenceUrl: 'https://wiki.example.com/svc/people.certifications',
              comment: 'people.certifications reviewed',
            },
          ],
        ],
      ]);
    });

    it('leaves the comment out when there is none', async () => {
      const { store } = await createStore(databaseId);
      await store.addAttestation(
        attestation('svc', 'people.certifications', { comment: undefined }),
      );
      const [only] =
        (await store.latestAttestations(['component:default/svc'])).get(
          'component:default/svc',
        ) ?? [];
      expect(only).toStrictEqual({
        entityRef: 'component:default/svc',
        checkId: 'people.certifications',
        attestedBy: 'user:default/jane',
        attestedAt: '2026-11-20T10:00:00.000Z',
        expiresOn: '2027-05-19',
        evidenceUrl: 'https://wiki.example.com/svc/people.certifications',
      });
    });

    it('serves the newest attestation per entity and check', async () => {
      const { knex, store } = await createStore(databaseId);
      // The newer one first: attestedAt decides, not insertion order.
      await store.addAttestation(
        attestation('a', 'people.certifications', {
          attestedAt: '2026-11-22T08:30:00.000Z',
          attestedBy: 'user:default/newer',
          expiresOn: '2027-05-21',
        }),
      );
      await store.addAttestation(
        attestation('a', 'people.certifications', {
          attestedAt: '2026-11-21T08:30:00.000Z',
          attestedBy: 'user:default/older',
        }),
      );
      // Same instant: the one inserted last wins.
      await store.addAttestation(
        attestation('a', 'process.incident-review', {
          attestedAt: '2026-11-20T12:00:00.000Z',
          comment: 'first',
        }),
      );
      await store.addAttestation(
        attestation('a', 'process.incident-review', {
          attestedAt: '2026-11-20T12:00:00.000Z',
          comment: 'second',
        }),
      );
      await store.addAttestation(
        attestation('b', 'process.incident-review', {
          attestedBy: 'user:default/bob',
        }),
      );
      await store.addAttestation(attestation('not-asked', 'policy.x'));
      // Every attestation is kept for the audit trail.
      const [{ n }] = await knex('maturity_attestations').count({ n: '*' });
      expect(Number(n)).toBe(6);

      const latest = await store.latestAttestations([
        'component:default/a',
        'component:default/b',
        'component:default/none',
      ]);
      expect([...latest.keys()].sort()).toEqual([
        'component:default/a',
        'component:default/b',
      ]);
      const a = latest.get('component:default/a') ?? [];
      expect(
        a.map(x => [
          x.checkId,
          x.attestedBy,
          x.attestedAt,
          x.expiresOn,
          x.comment,
        ]),
      ).toEqual([
        [
          'people.certifications',
          'user:default/newer',
          '2026-11-22T08:30:00.000Z',
          '2027-05-21',
          'people.certifications reviewed',
        ],
        [
          'process.incident-review',
          'user:default/jane',
          '2026-11-20T12:00:00.000Z',
          '2027-05-19',
          'second',
        ],
      ]);
      expect(latest.get('component:default/b')).toEqual([
        attestation('b', 'process.incident-review', {
          attestedBy: 'user:default/bob',
        }),
      ]);
      expect(latest.has('component:default/none')).toBe(false);
      expect(latest.has('component:default/not-asked')).toBe(false);
      await expect(store.latestAttestations([])).resolves.toEqual(new Map());
    });

    it('reads attestations of more refs than one query takes (chunked)', async () => {
      const { store } = await createStore(databaseId);
      for (const i of [0, 499, 500, 599]) {
        await store.addAttestation(
          attestation(`svc-${i}`, 'people.certifications'),
        );
      }
      const latest = await store.latestAttestations(
        Array.from({ length: 600 }, (_, i) => `component:default/svc-${i}`),
      );
      expect([...latest.keys()].sort()).toEqual([
        'component:default/svc-0',
        'component:default/svc-499',
        'component:default/svc-500',
        'component:default/svc-599',
      ]);
      expect(latest.get('component:default/svc-500')).toEqual([
        attestation('svc-500', 'people.certifications'),
      ]);
    });
  },
);
