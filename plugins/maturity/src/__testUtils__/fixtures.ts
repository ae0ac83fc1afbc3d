import { Entity } from '@backstage/catalog-model';
import {
  BUILTIN_CHECKS,
  CheckResult,
  countStatuses,
  EntityMaturityResult,
  MaturityHistoryPoint,
  MaturityLevelNumber,
} from '@cnmaturity/plugin-maturity-common';
import { MaturityApi } from '../api';

/** checkout-service as the backend reports it: owned by a team with members. */
export function ownedResult(
  overrides: Partial<EntityMaturityResult> = {},
): EntityMaturityResult {
  return {
    entityRef: 'component:default/checkout-service',
    evaluatedAt: '2026-11-25T10:00:00.000Z',
    stale: false,
    level: 0,
    counts: { pass: 1, fail: 0, unknown: 0, exempt: 0, 'not-applicable': 0 },
    checks: [
      {
        checkId: 'people.team-owner',
        status: 'pass',
        message:
          'Owned by group:default/payments-team, a group with 2 members.',
        evidence: [
          {
            type: 'catalog',
            label: 'spec.owner',
            value: 'group:default/payments-team',
          },
        ],
      },
    ],
    ...overrides,
  };
}

const notStubbed = (name: string) => async (): Promise<never> => {
  throw new Error(`${name} is not stubbed in this test`);
};

/** A MaturityApi for tests: override what the test exercises. */
export function fakeMaturityApi(
  overrides: Partial<MaturityApi> = {},
): MaturityApi {
  return {
    getEntityResult: async () => ownedResult(),
    getEntityHistory: async () => [],
    refreshEntity: notStubbed('refreshEntity'),
    attest: notStubbed('attest'),
    getSummary: notStubbed('getSummary'),
    getSummaryCsv: notStubbed('getSummaryCsv'),
    getTrend: async () => [],
    getRubric: async () => ({ checks: [...BUILTIN_CHECKS] }),
    getScmStatus: async () => ({ hosts: [] }),
    ...overrides,
  };
}

/** checkout-service in the catalog: a GitHub source location and maturity annotations. */
export function maturityEntity(
  overrides: {
    name?: string;
    annotations?: Record<string, string>;
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: overrides.name ?? 'checkout-service',
      namespace: 'default',
      annotations: overrides.annotations ?? {
        'backstage.io/source-location':
          'url:https://github.com/acme/checkout-service/tree/main/',
        'cloud-native-maturity/target-level': '3',
        'cloud-native-maturity/target-date': '2027-02-30',
        'cloud-native-maturity/exempt.process.container-scan':
          'Scanned centrally by the platform pipeline (PLAT-123) until 2027-01-31',
      },
    },
    spec: { type: 'service', owner: 'payments-team', lifecycle: 'production' },
  };
}

/**
 * checkout-service at Level 2 with a target of 3 that is overdue, four open
 * steps to Level 3, an invalid annotation, and checks of every status and
 * every kind of evidence.
 */
export function levelTwoResult(
  overrides: Partial<EntityMaturityResult> = {},
): EntityMaturityResult {
  const checks: CheckResult[] = [
    {
      checkId: 'people.team-owner',
      status: 'pass',
      message: 'Owned by group:default/payments-team, a group with 2 members.',
      evidence: [
        {
          type: 'catalog',
          label: 'spec.owner',
          value: 'group:default/payments-team',
        },
      ],
    },
    {
      checkId: 'process.ci-pipeline',
      status: 'pass',
      message: 'A GitHub Actions workflow builds the code.',
      evidence: [{ type: 'file', label: '.github/workflows/ci.yml', line: 12 }],
    },
    {
      checkId: 'process.container-scan',
      status: 'exempt',
      message:
        'Exempt: Scanned centrally by the platform pipeline (PLAT-123) (until 2027-01-31)',
      evidence: [
        {
          type: 'annotation',
          label: 'cloud-native-maturity/exempt.process.container-scan',
          value: 'Scanned centrally by the platform pipeline (PLAT-123)',
        },
      ],
    },
    {
      checkId: 'people.k8s-fundamentals',
      status: 'pass',
      message:
        'Attested by user:default/jane on 2026-10-01, valid through 2027-10-01.',
      evidence: [
        {
          type: 'attestation',
          label: 'attested by user:default/jane',
          value: '2026-10-01',
          ref: 'https://wiki.example.com/training',
        },
      ],
    },
    {
      checkId: 'process.release-cadence',
      status: 'pass',
      message: 'Deploys 6 times per week.',
      evidence: [
        {
          type: 'fact',
          label: 'dora.deploymentsPerWeek',
          value: '6',
          ref: '2026-11-24T18:00:00Z',
        },
      ],
    },
    {
      checkId: 'technology.monitoring',
      status: 'unknown',
      message: 'The repository could not be read: GitHub answered 429.',
      evidence: [],
    },
    {
      checkId: 'process.code-quality',
      status: 'fail',
      message: 'No SonarQube project is linked.',
      evidence: [],
    },
    {
      checkId: 'process.alerting',
      status: 'fail',
      message: 'No alert rules found.',
      evidence: [],
    },
    {
      checkId: 'process.continuous-scanning',
      status: 'fail',
      message: 'No scheduled scan found.',
      evidence: [],
    },
    {
      checkId: 'policy.policy-as-code-in-ci',
      status: 'fail',
      message: 'No policy files found.',
      evidence: [],
    },
  ];
  return {
    entityRef: 'component:default/checkout-service',
    evaluatedAt: '2026-11-25T10:00:00.000Z',
    stale: false,
    level: 2,
    scorePercent: 71,
    areaLevels: {
      people: 3,
      process: 2,
      policy: 2,
      technology: 1,
      business: 2,
    },
    target: {
      level: 3,
      date: '2026-06-30',
      source: 'system:default/payments',
      gap: 1,
      overdue: true,
    },
    next: {
      level: 3,
      steps: [
        { checkId: 'process.code-quality', level: 3, status: 'fail' },
        { checkId: 'process.alerting', level: 3, status: 'fail' },
        { checkId: 'process.continuous-scanning', level: 3, status: 'fail' },
        { checkId: 'policy.policy-as-code-in-ci', level: 3, status: 'fail' },
      ],
    },
    messages: [
      {
        annotation: 'cloud-native-maturity/target-date',
        value: '2027-02-30',
        message:
          'cloud-native-maturity/target-date must be a calendar date YYYY-MM-DD.',
      },
    ],
    counts: countStatuses(checks),
    checks,
    ...overrides,
  };
}

/** technology.secrets-hygiene passed by an org-wide control from config. */
export function orgControlCheck(ref: string): CheckResult {
  return {
    checkId: 'technology.secrets-hygiene',
    status: 'pass',
    message:
      'Satisfied by the org-wide control github-secret-scanning (reviewed 2026-09-01).',
    evidence: [
      {
        type: 'org-control',
        label: 'github-secret-scanning',
        value: '2026-09-01',
        ref,
      },
    ],
  };
}

/** Daily history: Level 1 for a month, then Level 2. */
export function historyPoints(): MaturityHistoryPoint[] {
  const areas = (level: MaturityLevelNumber) => ({
    people: level,
    process: level,
    policy: level,
    technology: level,
    business: level,
  });
  return [
    { day: '2026-09-01', level: 1, areaLevels: areas(1), scorePercent: 40 },
    { day: '2026-10-01', level: 1, areaLevels: areas(1), scorePercent: 55 },
    { day: '2026-10-02', level: 2, areaLevels: areas(2), scorePercent: 65 },
    { day: '2026-11-25', level: 2, areaLevels: areas(2), scorePercent: 71 },
  ];
}
