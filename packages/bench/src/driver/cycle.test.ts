import {
  CYCLE_LINE,
  cycleLineFigures,
  gapsOver,
  SHARD_CYCLE_FAILED,
  shardCycleLineFigures,
} from './cycle';

describe('cycle', () => {
  it('sums the gaps over a second between requests, in any order', () => {
    expect(gapsOver([])).toBe(0);
    expect(gapsOver([0, 100, 200, 900])).toBe(0);
    expect(gapsOver([5000, 0, 100, 2600])).toBe(2500 + 2400);
    expect(gapsOver([0, 400], 300)).toBe(400);
  });

  it("reads the plugin's cycle line, with what head lookups and the budget did", () => {
    const line =
      "Maturity cycle: 50 evaluated, 9950 unchanged, 0 failed in 5120 ms; repositories: 50 downloaded, 0 unchanged, 6 failed; 9540 found unchanged by batched head lookups; 12 reads (12 entities) held back by the SCM request budget until 2026-12-04T22:00:00.000Z; extraction workers' CPU: 31 ms reading, 402 ms parsing, 77 ms evaluating, 12 ms deflating";
    expect(cycleLineFigures(`maturity info ${line} evaluated=50`)).toEqual({
      evaluated: 50,
      unchanged: 9950,
      failed: 0,
      durationMs: 5120,
      repositories: { downloaded: 50, notModified: 0, failed: 6 },
      headMatches: 9540,
      held: 12,
      workerCpuMs: { read: 31, parse: 402, evaluate: 77, deflate: 12 },
    });
    // The first cycle finds nothing by head lookup and holds nothing.
    expect(
      cycleLineFigures(
        'Maturity cycle: 498 evaluated, 0 unchanged, 0 failed in 657624 ms; repositories: 475 downloaded, 0 unchanged, 3 failed',
      ),
    ).toMatchObject({ evaluated: 498, headMatches: 0, held: 0 });
    expect(cycleLineFigures('Maturity cycle stopped after 3 evaluated')).toBe(
      undefined,
    );
  });

  it("reads a shard's cycle line, which the whole cycle's pattern does not match", () => {
    const line =
      'Maturity cycle (shard 2 of 2): 247 evaluated, 0 unchanged, 2 failed in 61234 ms; repositories: 240 downloaded, 0 unchanged, 2 failed';
    expect(
      shardCycleLineFigures(`maturity info ${line} evaluated=247`),
    ).toEqual({
      shard: 2,
      shards: 2,
      evaluated: 247,
      unchanged: 0,
      failed: 2,
      durationMs: 61234,
      repositories: { downloaded: 240, notModified: 0, failed: 2 },
      headMatches: 0,
      held: 0,
    });
    expect(CYCLE_LINE.test(line)).toBe(false);
    expect(
      shardCycleLineFigures(
        'Maturity cycle: 498 evaluated, 0 unchanged, 0 failed in 657 ms; repositories: 475 downloaded, 0 unchanged, 3 failed',
      ),
    ).toBeUndefined();
    expect(
      'Maturity cycle (shard 1 of 2) stopped after 3 evaluated, 0 unchanged: x',
    ).toMatch(SHARD_CYCLE_FAILED);
  });
});
