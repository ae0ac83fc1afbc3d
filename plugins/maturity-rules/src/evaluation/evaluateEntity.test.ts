import { Entity } from '@backstage/catalog-model';
import { builtinChecks } from '../checks';
import { component, group } from '../testUtils/entities';
import { emptyExtraction, signalsFor } from '../testUtils/signals';
import { evaluateEntity, inheritanceChain } from './evaluateEntity';

const system: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: {
      'cloud-native-maturity/target-level': 'scale',
      'cloud-native-maturity/target-date': '2027-03-31',
      'cloud-native-maturity/exempt.process.container-scan':
        'Scanned centrally (PLAT-1)',
    },
  },
  spec: { owner: 'payments-team', domain: 'commerce' },
};
const team = group('payments-team', ['ada']);

describe('evaluateEntity', () => {
  it('inherits target and exemptions from the System; the entity overrides the target', () => {
    const svc = component('svc', {
      owner: 'payments-team',
      system: 'payments',
    });
    expect(
      inheritanceChain(
        svc,
        signalsFor(svc, { related: [system, team] }).related,
      ).map(e => e.metadata.name),
    ).toEqual(['svc', 'payments', 'payments-team']);
    const inherited = evaluateEntity(
      builtinChecks,
      signalsFor(svc, { related: [system, team] }),
    );
    expect(inherited.details?.target).toMatchObject({
      level: 3,
      date: '2027-03-31',
      source: 'system:default/payments',
    });
    expect(
      inherited.checks.find(c => c.checkId === 'process.container-scan'),
    ).toMatchObject({
      status: 'exempt',
      message: 'Exempt: Scanned centrally (PLAT-1)',
    });

    const own = component(
      'svc',
      { owner: 'payments-team', system: 'payments' },
      {
        annotations: { 'cloud-native-maturity/target-level': '2' },
      },
    );
    const overridden = evaluateEntity(
      builtinChecks,
      signalsFor(own, { related: [system, team] }),
    );
    expect(overridden.details?.target).toMatchObject({
      level: 2,
      source: 'component:default/svc',
    });
  });

  it('turns malformed annotations into messages and still evaluates', () => {
    const svc = component(
      'svc',
      { owner: 'payments-team' },
      {
        annotations: {
          'cloud-native-maturity/target-level': 'eleven',
          'cloud-native-maturity/target-date': '2027-02-30',
          'cloud-native-maturity/attest.people.k8s-fundamentals': 'yesterday',
        },
      },
    );
    const record = evaluateEntity(
      builtinChecks,
      signalsFor(svc, { related: [team] }),
    );
    expect(record.details?.messages?.map(m => m.annotation)).toEqual(
      expect.arrayContaining([
        'cloud-native-maturity/target-level',
        'cloud-native-maturity/target-date',
        'cloud-native-maturity/attest.people.k8s-fundamentals',
      ]),
    );
    expect(record.details?.target).toBeUndefined();
    expect(record.checks).toHaveLength(builtinChecks.length);
  });

  it('never throws on a hostile entity', () => {
    const hostile = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'x',
        annotations: { 'cloud-native-maturity/target-level': 5 } as any,
        links: 'nope' as any,
      },
      spec: {
        owner: ['a'],
        system: 42,
        dependsOn: 'resource:x',
        providesApis: [null],
        type: {},
      },
    } as any;
    const record = evaluateEntity(builtinChecks, signalsFor(hostile));
    expect(record.level).toBe(0);
    expect(record.owner).toBeUndefined();
  });

  it('marks the result stale when the repository is its last good read', () => {
    const svc = component('svc', { owner: 'payments-team' });
    const record = evaluateEntity(
      builtinChecks,
      signalsFor(svc, {
        related: [team],
        repository: {
          status: 'ok',
          url: 'https://github.com/acme/svc',
          extraction: emptyExtraction(),
          stale: {
            reason: 'reading https://github.com/acme/svc failed: 429',
            since: '2026-11-24T10:00:00.000Z',
          },
        },
      }),
    );
    expect(record.staleReason).toBe(
      'reading https://github.com/acme/svc failed: 429; showing the repository as last read on 2026-11-24T10:00:00.000Z',
    );
  });

  describe('attestations made in the portal', () => {
    const svc = (annotations: Record<string, string> = {}) =>
      component('svc', { owner: 'payments-team' }, { annotations });
    const attestation = (attestedAt: string, expiresOn: string) => ({
      entityRef: 'component:default/svc',
      checkId: 'people.k8s-fundamentals',
      attestedBy: 'user:default/ada',
      attestedAt,
      expiresOn,
      evidenceUrl: 'https://wiki.example.com/training',
    });
    const check = (
      entity: Entity,
      attestations: ReturnType<typeof attestation>[],
    ) => {
      const signals = signalsFor(entity, { related: [team] });
      return evaluateEntity(builtinChecks, signals, {
        attestations,
      }).checks.find(c => c.checkId === 'people.k8s-fundamentals');
    };

    it('pass the check, naming who attested and until when', () => {
      const today = '2026-11-25'; // signalsFor evaluates at this day
      expect(
        check(svc(), [attestation(`${today}T09:00:00.000Z`, '2099-12-31')]),
      ).toEqual({
        checkId: 'people.k8s-fundamentals',
        status: 'pass',
        message: `Attested by user:default/ada on ${today}, valid through 2099-12-31.`,
        evidence: [
          {
            type: 'attestation',
            label: 'attested by user:default/ada',
            value: today,
            ref: 'https://wiki.example.com/training',
          },
        ],
      });
    });

    it('lapse after their expiry, and the message says so', () => {
      const result = check(svc(), [
        attestation('2020-01-01T09:00:00.000Z', '2020-12-31'),
      ]);
      expect(result?.status).not.toBe('pass');
      expect(result?.message).toContain(
        'the attestation by user:default/ada lapsed after 2020-12-31',
      );
    });

    it('give way to a newer attestation annotation on the entity', () => {
      const today = '2026-11-25'; // signalsFor evaluates at this day
      const result = check(
        svc({
          'cloud-native-maturity/attest.people.k8s-fundamentals': `${today} https://wiki.example.com/newer`,
        }),
        [attestation('2026-01-01T09:00:00.000Z', '2099-12-31')],
      );
      expect(result).toMatchObject({
        status: 'pass',
        evidence: [
          expect.objectContaining({ ref: 'https://wiki.example.com/newer' }),
        ],
      });
    });
  });

  describe('org-wide controls', () => {
    const orgControls = [
      {
        id: 'github-secret-scanning',
        satisfies: ['technology.secrets-hygiene'],
        evidence:
          'https://github.com/organizations/acme/settings/security_analysis',
        appliesTo: [[{ path: 'spec.lifecycle', values: ['production'] }]],
        reviewed: '2026-09-01',
      },
    ];
    const secretsHygiene = (entity: Entity, maxAge?: number) =>
      evaluateEntity(builtinChecks, signalsFor(entity, { extraction: {} }), {
        orgControls,
        orgControlReviewMaxAgeDays: maxAge,
      }).checks.find(c => c.checkId === 'technology.secrets-hygiene');

    it('pass the listed checks of the entities they apply to', () => {
      expect(secretsHygiene(component('svc'))).toMatchObject({
        status: 'pass',
        evidence: [{ type: 'org-control', label: 'github-secret-scanning' }],
      });
      expect(
        secretsHygiene(component('svc', { lifecycle: 'experimental' })),
      ).toMatchObject({
        status: 'fail',
        message:
          'No secret scanning (gitleaks, trufflehog, detect-secrets) runs in CI.',
      });
    });

    it('lapse after the configured review age', () => {
      expect(secretsHygiene(component('svc'), 30)).toMatchObject({
        status: 'fail',
        message: expect.stringContaining(
          '(the org control github-secret-scanning lapsed: last reviewed 2026-09-01, over 30 days ago)',
        ),
      });
    });
  });
});
