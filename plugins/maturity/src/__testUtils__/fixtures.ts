import {
  BUILTIN_CHECKS,
  EntityMaturityResult,
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
    ...overrides,
  };
}
