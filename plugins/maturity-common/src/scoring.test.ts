import { CheckResult, CheckStatus } from './results';
import {
  computeAreaLevels,
  computeLevel,
  computeScorePercent,
  nextLevelSteps,
  resolveTarget,
} from './scoring';

// A small rubric: two areas, required checks at levels 1-3, plus extras.
const defs = [
  { id: 'people.one', area: 'people', level: 1, kind: 'required', weight: 3 },
  { id: 'process.one', area: 'process', level: 1, kind: 'required', weight: 3 },
  {
    id: 'process.helper',
    area: 'process',
    level: 1,
    kind: 'supporting',
    weight: 1,
  },
  { id: 'people.two', area: 'people', level: 2, kind: 'required', weight: 3 },
  { id: 'process.two', area: 'process', level: 2, kind: 'required', weight: 2 },
  {
    id: 'people.info',
    area: 'people',
    level: 2,
    kind: 'informational',
    weight: 0,
  },
  {
    id: 'process.three',
    area: 'process',
    level: 3,
    kind: 'required',
    weight: 3,
  },
] as const;

const results = (statuses: Record<string, CheckStatus>): CheckResult[] =>
  Object.entries(statuses).map(([checkId, status]) => ({
    checkId,
    status,
    message: '',
    evidence: [],
  }));

const allPass = {
  'people.one': 'pass',
  'process.one': 'pass',
  'process.helper': 'pass',
  'people.two': 'pass',
  'process.two': 'pass',
  'people.info': 'pass',
  'process.three': 'pass',
} as const;

describe('computeLevel', () => {
  it.each<[string, Partial<Record<string, CheckStatus>>, number]>([
    ['everything passes', {}, 3],
    [
      'passes Level 3 but fails one required Level 2 check',
      { 'process.two': 'fail' },
      1,
    ],
    ['a required Level 1 check fails', { 'people.one': 'fail' }, 0],
    ['a supporting check fails', { 'process.helper': 'fail' }, 3],
    ['an informational check fails', { 'people.info': 'fail' }, 3],
    ['an exempt required check', { 'process.two': 'exempt' }, 3],
    [
      'a not-applicable required check does not block',
      { 'process.two': 'not-applicable' },
      3,
    ],
    ['unknown does not confirm the level', { 'process.three': 'unknown' }, 2],
    [
      'a missing result does not confirm the level',
      { 'people.two': undefined as any },
      1,
    ],
  ])('%s', (_, overrides, expected) => {
    const statuses: Record<string, CheckStatus> = {
      ...allPass,
      ...overrides,
    } as any;
    for (const k of Object.keys(statuses)) if (!statuses[k]) delete statuses[k];
    expect(computeLevel(defs, results(statuses))).toBe(expected);
  });

  it('does not claim a level the rubric has no required check for', () => {
    expect(
      computeLevel(
        [{ id: 'x', area: 'people', level: 2, kind: 'required', weight: 1 }],
        results({ x: 'pass' }),
      ),
    ).toBe(0);
  });

  it('does not claim a level whose required checks are all not applicable', () => {
    expect(
      computeLevel(
        defs,
        results({ ...allPass, 'process.three': 'not-applicable' }),
      ),
    ).toBe(2);
  });
});

describe('computeAreaLevels', () => {
  it('rates each area by its own required checks, capped at its highest level', () => {
    expect(
      computeAreaLevels(defs, results({ ...allPass, 'process.two': 'fail' })),
    ).toEqual({
      people: 2,
      process: 1,
      policy: 0,
      technology: 0,
      business: 0,
    });
  });
});

describe('computeScorePercent', () => {
  it('is passed weight over counted weight', () => {
    // 3 + 3 + 1 + 3 passed, process.two (2) and process.three (3) failed.
    expect(
      computeScorePercent(
        defs,
        results({ ...allPass, 'process.two': 'fail', 'process.three': 'fail' }),
      ),
    ).toBe(Math.round((10 / 15) * 100));
  });

  it('leaves unknown, exempt and not-applicable out of both sides (unknown is not fail)', () => {
    expect(
      computeScorePercent(
        defs,
        results({
          'people.one': 'pass',
          'process.one': 'unknown',
          'people.two': 'exempt',
          'process.two': 'not-applicable',
        }),
      ),
    ).toBe(100);
  });

  it('is 0 when nothing counts', () => {
    expect(computeScorePercent(defs, [])).toBe(0);
  });
});

describe('nextLevelSteps', () => {
  it('lists the required checks up to the next level that still need work, lowest level first', () => {
    expect(
      nextLevelSteps(
        defs,
        results({
          ...allPass,
          'people.two': 'fail',
          'process.two': 'unknown',
          'process.three': 'fail',
        }),
        1,
      ),
    ).toEqual({
      level: 2,
      steps: [
        { checkId: 'people.two', level: 2, status: 'fail' },
        { checkId: 'process.two', level: 2, status: 'unknown' },
      ],
    });
  });

  it('has nothing beyond Level 5', () => {
    expect(nextLevelSteps(defs, [], 5)).toBeUndefined();
  });
});

describe('resolveTarget', () => {
  const now = new Date('2026-11-25T12:00:00Z');
  const entity = { ref: 'component:default/svc' };
  const system = {
    ref: 'system:default/payments',
    targetLevel: 3,
    targetDate: '2027-03-31',
  };
  const group = { ref: 'group:default/team', targetLevel: 4 };

  it('inherits the target from the System', () => {
    expect(resolveTarget([entity, system, group], 2, now)).toEqual({
      level: 3,
      date: '2027-03-31',
      source: 'system:default/payments',
      gap: 1,
      overdue: false,
    });
  });

  it('lets the entity override its System', () => {
    expect(
      resolveTarget([{ ...entity, targetLevel: 2 }, system, group], 2, now),
    ).toMatchObject({ level: 2, source: 'component:default/svc', gap: 0 });
  });

  it('is overdue when the date has passed below target, not when the target is met', () => {
    const past = {
      ref: 'system:default/x',
      targetLevel: 3,
      targetDate: '2026-06-30',
    };
    expect(resolveTarget([past], 2, now)).toMatchObject({
      overdue: true,
      gap: 1,
    });
    expect(resolveTarget([past], 3, now)).toMatchObject({
      overdue: false,
      gap: 0,
    });
    // Due today is not overdue yet.
    expect(
      resolveTarget([{ ...past, targetDate: '2026-11-25' }], 1, now)?.overdue,
    ).toBe(false);
  });

  it('is undefined when nobody set a target', () => {
    expect(resolveTarget([entity], 2, now)).toBeUndefined();
  });
});
