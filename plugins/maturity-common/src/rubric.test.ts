import { BUILTIN_CHECKS } from './rubric';
import { levelName, MATURITY_AREAS } from './levels';

// Every Level 2 check id of RUBRIC.md, copied from its table.
const LEVEL_2_IDS = [
  'people.team-owner',
  'people.fast-feedback',
  'people.consolidated-tooling',
  'people.cluster-security-owner',
  'people.automated-tests',
  'people.auto-deploy',
  'people.k8s-fundamentals',
  'people.certifications',
  'process.ci-pipeline',
  'process.container-build',
  'process.deploy-from-scm',
  'process.container-scan',
  'process.config-scan',
  'process.log-aggregation',
  'policy.documented-standards',
  'policy.resource-metrics',
  'policy.initial-audit',
  'technology.monitoring',
  'technology.in-production',
  'technology.requests-limits',
  'technology.container-hygiene',
  'technology.health-probes',
  'technology.api-exposed',
  'technology.declarative-deploy',
  'technology.secrets-hygiene',
  'technology.encryption-auth',
  'technology.staging-validation',
  'business.kpis-reported',
  'business.migration-rationale',
  'business.golden-path',
];

// The ids RUBRIC.md lists for the other levels.
const OTHER_LEVEL_IDS: Record<number, string[]> = {
  1: [
    'people.owner-set',
    'process.source-control',
    'process.ci-exists',
    'technology.container-image',
    'technology.infrastructure-as-code',
    'technology.smoke-tests',
    'policy.compliance-requirements',
    'business.kpis-defined',
  ],
  3: [
    'process.code-quality',
    'process.continuous-scanning',
    'process.alerting',
    'policy.policy-as-code-in-ci',
    'people.continuous-delivery',
    'technology.helm-or-gitops',
    'technology.dashboards',
    'technology.secrets-manager',
    'technology.tracing',
  ],
  4: [
    'process.release-cadence',
    'process.production-approval-gate',
    'process.automated-remediation',
    'process.on-call',
    'process.autoscaling',
    'policy.slo-defined',
    'technology.service-mesh',
    'people.self-service',
  ],
  5: [
    'process.continuous-deployment',
    'process.supply-chain',
    'process.no-human-prod-access',
    'technology.full-gitops',
    'technology.progressive-delivery',
    'business.cost-allocation',
  ],
};

const byId = new Map(BUILTIN_CHECKS.map(c => [c.id, c]));

describe('BUILTIN_CHECKS', () => {
  it('has unique ids of the form <area>.<slug> whose area is the check area', () => {
    expect(byId.size).toBe(BUILTIN_CHECKS.length);
    const areas = MATURITY_AREAS.map(a => a.id) as string[];
    for (const check of BUILTIN_CHECKS) {
      expect(check.id).toMatch(/^[a-z]+\.[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(check.id.split('.')[0]).toBe(check.area);
      expect(areas).toContain(check.area);
    }
  });

  it('contains every Level 2 check of RUBRIC.md at level 2', () => {
    for (const id of LEVEL_2_IDS) {
      expect({ id, level: byId.get(id)?.level }).toEqual({ id, level: 2 });
    }
  });

  it('contains every check RUBRIC.md lists for levels 1, 3, 4 and 5 at its level', () => {
    for (const [level, ids] of Object.entries(OTHER_LEVEL_IDS)) {
      for (const id of ids) {
        expect({ id, level: byId.get(id)?.level }).toEqual({
          id,
          level: Number(level),
        });
      }
    }
  });

  it('has no check that RUBRIC.md does not list', () => {
    const listed = new Set([
      ...LEVEL_2_IDS,
      ...Object.values(OTHER_LEVEL_IDS).flat(),
    ]);
    expect(BUILTIN_CHECKS.map(c => c.id).filter(id => !listed.has(id))).toEqual(
      [],
    );
  });

  it('gives every level 1 to 5 a required check, also one a library can meet', () => {
    for (const level of [1, 2, 3, 4, 5]) {
      const required = BUILTIN_CHECKS.filter(
        c => c.level === level && c.kind === 'required',
      );
      expect({ level, required: required.length > 0 }).toEqual({
        level,
        required: true,
      });
      // Otherwise no library could reach the level (scoring stops there).
      expect({
        level,
        forLibraries: required.some(c => !c.appliesTo),
      }).toEqual({ level, forLibraries: true });
    }
  });

  it('keeps the kinds RUBRIC.md names for level 2', () => {
    expect(byId.get('people.consolidated-tooling')?.kind).toBe('supporting');
    expect(byId.get('technology.health-probes')?.kind).toBe('supporting');
    expect(byId.get('business.golden-path')?.kind).toBe('supporting');
    expect(byId.get('people.certifications')?.kind).toBe('informational');
    expect(byId.get('people.team-owner')).toMatchObject({
      title: 'Owned by a team',
      level: 2,
      area: 'people',
      kind: 'required',
      weight: 3,
    });
    expect(byId.get('people.team-owner')?.remediation).toMatch(
      /^Set spec\.owner to a Group entity/,
    );
  });

  it('gives informational checks weight 0 and the others a positive weight', () => {
    const wrong = BUILTIN_CHECKS.filter(c =>
      c.kind === 'informational' ? c.weight !== 0 : !(c.weight > 0),
    ).map(c => c.id);
    expect(wrong).toEqual([]);
  });

  it('tells how to attest every check an owner can attest', () => {
    const attestationOnly = BUILTIN_CHECKS.filter(
      c => c.signal === 'attestation',
    );
    expect(attestationOnly.filter(c => !c.attestable).map(c => c.id)).toEqual(
      [],
    );
    const attestable = BUILTIN_CHECKS.filter(c => c.attestable);
    expect(attestable.length).toBeGreaterThanOrEqual(attestationOnly.length);
    expect(
      attestable
        .filter(
          c => !c.remediation.includes(`cloud-native-maturity/attest.${c.id}`),
        )
        .map(c => c.id),
    ).toEqual([]);
  });

  it('marks the "else attestation" rows of RUBRIC.md attestable', () => {
    for (const id of [
      'people.cluster-security-owner',
      'process.log-aggregation',
      'technology.encryption-auth',
      'business.migration-rationale',
    ]) {
      expect({ id, attestable: byId.get(id)?.attestable }).toEqual({
        id,
        attestable: true,
      });
    }
  });

  it('describes each check for the rubric page', () => {
    for (const check of BUILTIN_CHECKS) {
      expect(check.title.length).toBeGreaterThan(0);
      expect(check.rule?.length).toBeGreaterThan(0);
      expect(check.remediation.length).toBeGreaterThan(20);
      expect(check.signal).toBeDefined();
      const area = MATURITY_AREAS.find(a => a.id === check.area)!.title;
      expect(check.modelReference).toMatch(
        new RegExp(
          `^Level ${check.level} ${levelName(check.level)}, ${area}: \\S`,
        ),
      );
    }
  });

  it('does not apply deployment checks to libraries', () => {
    for (const id of [
      'technology.in-production',
      'technology.requests-limits',
      'process.container-scan',
      'process.autoscaling',
    ]) {
      expect({ id, appliesTo: byId.get(id)?.appliesTo }).toEqual({
        id,
        appliesTo: ['service', 'website'],
      });
    }
    for (const id of [
      'people.team-owner',
      'process.ci-pipeline',
      'people.automated-tests',
    ]) {
      expect(byId.get(id)?.appliesTo).toBeUndefined();
    }
  });
});
