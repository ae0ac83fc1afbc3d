import { allShards, shardOf, shardTaskId } from './shards';

describe('shards', () => {
  const refs = Array.from(
    { length: 10_000 },
    (_, i) => `component:default/svc-${i}`,
  );

  it('puts every entity in exactly one shard, evenly', () => {
    const sizes = [0, 0, 0, 0];
    for (const ref of refs) sizes[shardOf(ref, 4)]++;
    expect(sizes.reduce((a, b) => a + b)).toBe(refs.length);
    for (const size of sizes) {
      expect(size).toBeGreaterThan(2300);
      expect(size).toBeLessThan(2700);
    }
  });

  it('is stable and ignores the case of the ref', () => {
    expect(shardOf('Component:default/Payments', 7)).toBe(
      shardOf('component:default/payments', 7),
    );
    expect(shardOf('component:default/payments', 1)).toBe(0);
  });

  it('names one task per shard, and keeps the plain task id for one', () => {
    expect(allShards(1).map(shardTaskId)).toEqual(['maturity-evaluate']);
    expect(allShards(2).map(shardTaskId)).toEqual([
      'maturity-evaluate-shard-1-of-2',
      'maturity-evaluate-shard-2-of-2',
    ]);
  });
});
