import { CheckResult } from '@cnmaturity/plugin-maturity-common';
import { component } from '../testUtils/entities';
import { OrgControl } from '../orgControls/readOrgControls';
import { applyDeclarations } from './applyDeclarations';

const defs = [
  {
    id: 'people.k8s-fundamentals',
    title: '',
    area: 'people',
    level: 2,
    kind: 'required',
    weight: 3,
    remediation: '',
    modelReference: '',
    attestable: true,
  },
  {
    id: 'process.container-scan',
    title: '',
    area: 'process',
    level: 2,
    kind: 'required',
    weight: 3,
    remediation: '',
    modelReference: '',
    appliesTo: ['service', 'website'],
  },
  {
    id: 'process.ci-pipeline',
    title: '',
    area: 'process',
    level: 2,
    kind: 'required',
    weight: 3,
    remediation: '',
    modelReference: '',
  },
] as const;

const failing = (checkId: string, message = 'Missing.'): CheckResult => ({
  checkId,
  status: 'fail',
  message,
  evidence: [],
});

const none = { exemptions: {}, attestations: {} };

describe('applyDeclarations', () => {
  it('makes a check not-applicable for entity types it does not cover', () => {
    const [r] = applyDeclarations(
      defs as any,
      component('lib', { type: 'library' }),
      [failing('process.container-scan')],
      none,
    );
    expect(r).toMatchObject({
      status: 'not-applicable',
      message:
        'Does not apply to entities of type "library" (applies to service, website).',
    });
  });

  it('passes an attestable check on a fresh attestation, citing date and link', () => {
    const [r] = applyDeclarations(
      defs as any,
      component('svc'),
      [failing('people.k8s-fundamentals')],
      {
        exemptions: {},
        attestations: {
          'people.k8s-fundamentals': {
            date: '2026-10-01',
            url: 'https://wiki.example.com/k8s',
            expired: false,
          },
        },
      },
    );
    expect(r).toMatchObject({
      status: 'pass',
      message: 'Attested on 2026-10-01.',
    });
    expect(r.evidence[0]).toEqual({
      type: 'attestation',
      label: 'cloud-native-maturity/attest.people.k8s-fundamentals',
      value: '2026-10-01',
      ref: 'https://wiki.example.com/k8s',
    });
  });

  it('ignores an attestation for a check that is not attestable', () => {
    const [r] = applyDeclarations(
      defs as any,
      component('svc'),
      [failing('process.ci-pipeline')],
      {
        exemptions: {},
        attestations: {
          'process.ci-pipeline': {
            date: '2026-10-01',
            url: 'https://x.example.com',
            expired: false,
          },
        },
      },
    );
    expect(r.status).toBe('fail');
  });

  it('exempts a failing check with its reason and expiry', () => {
    const [r] = applyDeclarations(
      defs as any,
      component('svc'),
      [failing('process.container-scan')],
      {
        exemptions: {
          'process.container-scan': {
            reason: 'Scanned centrally (PLAT-123)',
            until: '2027-01-31',
            expired: false,
          },
        },
        attestations: {},
      },
    );
    expect(r).toMatchObject({
      status: 'exempt',
      message: 'Exempt: Scanned centrally (PLAT-123) (until 2027-01-31)',
    });
  });

  it('counts an expired exemption as a failure and says it lapsed', () => {
    const [r] = applyDeclarations(
      defs as any,
      component('svc'),
      [failing('process.container-scan', 'No image scan.')],
      {
        exemptions: {
          'process.container-scan': {
            reason: 'Later',
            until: '2026-01-31',
            expired: true,
          },
        },
        attestations: {},
      },
    );
    expect(r).toMatchObject({
      status: 'fail',
      message: 'No image scan. (the exemption lapsed on 2026-01-31)',
    });
  });

  it('says an expired attestation no longer counts', () => {
    const [r] = applyDeclarations(
      defs as any,
      component('svc'),
      [failing('people.k8s-fundamentals', 'Not attested yet.')],
      {
        exemptions: {},
        attestations: {
          'people.k8s-fundamentals': {
            date: '2024-01-01',
            url: 'https://x.example.com',
            expired: true,
          },
        },
      },
    );
    expect(r).toMatchObject({
      status: 'fail',
      message: 'Not attested yet. (the attestation of 2024-01-01 has expired)',
    });
  });

  it('leaves a passing check alone, exemption or not', () => {
    const passing: CheckResult = {
      checkId: 'process.ci-pipeline',
      status: 'pass',
      message: 'CI found.',
      evidence: [],
    };
    const [r] = applyDeclarations(defs as any, component('svc'), [passing], {
      exemptions: { 'process.ci-pipeline': { reason: 'x', expired: false } },
      attestations: {},
    });
    expect(r).toBe(passing);
  });
});

describe('applyDeclarations with org-wide controls', () => {
  const scanning: OrgControl = {
    id: 'github-secret-scanning',
    satisfies: ['process.ci-pipeline', 'people.k8s-fundamentals'],
    evidence:
      'https://github.com/organizations/acme/settings/security_analysis',
    reviewed: '2026-09-01',
  };
  const covered = (lapsed = false, control = scanning) => {
    const match = { control, lapsed, maxAgeDays: 365 };
    return {
      'process.ci-pipeline': match,
      'people.k8s-fundamentals': match,
      'process.container-scan': match,
    };
  };
  const attested = {
    'people.k8s-fundamentals': {
      date: '2026-10-01',
      url: 'https://wiki.example.com/k8s',
      expired: false,
    },
  };

  it('passes a failing check, citing the control, its review and its evidence', () => {
    const [r] = applyDeclarations(
      defs as any,
      component('svc'),
      [failing('process.ci-pipeline')],
      { ...none, orgControls: covered() },
    );
    expect(r).toEqual({
      checkId: 'process.ci-pipeline',
      status: 'pass',
      message:
        'Satisfied by the org-wide control github-secret-scanning (reviewed 2026-09-01).',
      evidence: [
        {
          type: 'org-control',
          label: 'github-secret-scanning',
          value: '2026-09-01',
          ref: 'https://github.com/organizations/acme/settings/security_analysis',
        },
      ],
    });
  });

  it('names the title and explains with the description when given', () => {
    const [r] = applyDeclarations(
      defs as any,
      component('svc'),
      [failing('process.ci-pipeline')],
      {
        ...none,
        orgControls: covered(false, {
          ...scanning,
          title: 'GitHub secret scanning',
          description: 'Push protection is on for every acme repository.',
        }),
      },
    );
    expect(r.message).toBe(
      'Satisfied by the org-wide control github-secret-scanning "GitHub secret scanning" (reviewed 2026-09-01). Push protection is on for every acme repository.',
    );
  });

  it('keeps a check that passes on its own evidence', () => {
    const passing: CheckResult = {
      checkId: 'process.ci-pipeline',
      status: 'pass',
      message: 'CI found.',
      evidence: [{ type: 'file', label: '.github/workflows/ci.yml' }],
    };
    const [r] = applyDeclarations(defs as any, component('svc'), [passing], {
      ...none,
      orgControls: covered(),
    });
    expect(r).toBe(passing);
  });

  it('passes nothing when lapsed, and says so', () => {
    const [r] = applyDeclarations(
      defs as any,
      component('svc'),
      [failing('process.ci-pipeline', 'No CI found.')],
      {
        ...none,
        orgControls: covered(true, { ...scanning, reviewed: '2025-01-10' }),
      },
    );
    expect(r).toEqual({
      checkId: 'process.ci-pipeline',
      status: 'fail',
      message:
        'No CI found. (the org control github-secret-scanning lapsed: last reviewed 2025-01-10, over 365 days ago)',
      evidence: [],
    });
  });

  it('wins over a fresh attestation and over an exemption', () => {
    const [attestedCheck, exemptCheck] = applyDeclarations(
      defs as any,
      component('svc'),
      [failing('people.k8s-fundamentals'), failing('process.ci-pipeline')],
      {
        exemptions: {
          'process.ci-pipeline': { reason: 'Built elsewhere', expired: false },
        },
        attestations: attested,
        orgControls: covered(),
      },
    );
    expect(attestedCheck.evidence[0].type).toBe('org-control');
    expect(exemptCheck).toMatchObject({
      status: 'pass',
      evidence: [{ type: 'org-control' }],
    });
  });

  it('gives way to a fresh attestation or an exemption once lapsed', () => {
    const [attestedCheck, exemptCheck] = applyDeclarations(
      defs as any,
      component('svc'),
      [failing('people.k8s-fundamentals'), failing('process.ci-pipeline')],
      {
        exemptions: {
          'process.ci-pipeline': { reason: 'Built elsewhere', expired: false },
        },
        attestations: attested,
        orgControls: covered(true),
      },
    );
    expect(attestedCheck).toMatchObject({
      status: 'pass',
      message: 'Attested on 2026-10-01.',
    });
    expect(exemptCheck).toMatchObject({
      status: 'exempt',
      message: 'Exempt: Built elsewhere',
    });
  });

  it('leaves a check that does not apply to the entity not-applicable', () => {
    const [r] = applyDeclarations(
      defs as any,
      component('lib', { type: 'library' }),
      [failing('process.container-scan')],
      { ...none, orgControls: covered() },
    );
    expect(r.status).toBe('not-applicable');
  });

  it('leaves checks the control does not list alone', () => {
    const [r] = applyDeclarations(
      defs as any,
      component('svc'),
      [failing('process.container-scan')],
      {
        ...none,
        orgControls: {
          'process.ci-pipeline': {
            control: scanning,
            lapsed: false,
            maxAgeDays: 365,
          },
        },
      },
    );
    expect(r.status).toBe('fail');
  });
});
