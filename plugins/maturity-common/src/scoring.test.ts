import { computeLevel } from './scoring';
import { CheckResult, CheckStatus } from './results';

const defs = [
  { id: 'a.one', level: 1, kind: 'required' },
  { id: 'b.one', level: 1, kind: 'supporting' },
  { id: 'a.two', level: 2, kind: 'required' },
  { id: 'a.three', level: 3, kind: 'required' },
] as const;

const results = (statuses: Record<string, CheckStatus>): CheckResult[] =>
  Object.entries(statuses).map(([checkId, status]) => ({
    checkId,
    status,
    message: '',
    evidence: [],
  }));

describe('computeLevel', () => {
  it('reaches the highest level whose required checks all pass', () => {
    expect(
      computeLevel(
        defs,
        results({ 'a.one': 'pass', 'a.two': 'pass', 'a.three': 'fail' }),
      ),
    ).toBe(2);
  });

  it('stops at the first level with a failing required check, even if later ones pass', () => {
    expect(
      computeLevel(
        defs,
        results({ 'a.one': 'pass', 'a.two': 'fail', 'a.three': 'pass' }),
      ),
    ).toBe(1);
  });

  it('counts exempt as passing and ignores supporting checks', () => {
    expect(
      computeLevel(
        defs,
        results({ 'a.one': 'exempt', 'b.one': 'fail', 'a.two': 'pass' }),
      ),
    ).toBe(2);
  });

  it('does not claim a level the rubric has no required check for', () => {
    expect(
      computeLevel(
        defs,
        results({ 'a.one': 'pass', 'a.two': 'pass', 'a.three': 'pass' }),
      ),
    ).toBe(3);
    expect(
      computeLevel(
        [{ id: 'x', level: 2, kind: 'required' }],
        results({ x: 'pass' }),
      ),
    ).toBe(0);
  });

  it('treats a missing or unknown result as not yet reached', () => {
    expect(computeLevel(defs, results({ 'a.one': 'unknown' }))).toBe(0);
    expect(computeLevel(defs, [])).toBe(0);
  });
});
