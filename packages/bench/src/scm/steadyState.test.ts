import { generateOrganisation } from '../generator/generate';
import { loadTemplates } from '../generator/templates';
import {
  churnCount,
  planSteadyState,
  pushableRepositories,
  readerRequests,
  splitEvenly,
  spread,
  summariseLatencies,
} from './steadyState';

describe('the --scm github steady state', () => {
  const organisation = generateOrganisation(
    { seed: 3, entities: 400, broken: 0.06 },
    loadTemplates(),
  );
  const pushable = pushableRepositories(organisation);

  it('pushes only repositories a cycle reads, with the service that reads each', () => {
    const readable = organisation.repositories.filter(r => !r.failure);
    // Services without an owner are rejected by the catalog: never read.
    const rejected = organisation.services.filter(
      s =>
        s.broken === 'missing-owner' && s.repository && !s.repository.failure,
    );
    expect(rejected.length).toBeGreaterThan(0);
    expect(pushable).toHaveLength(readable.length - rejected.length);
    for (const { orgRepo, service } of pushable) {
      expect(orgRepo).toBe(
        `${service.repository!.org}/${service.repository!.repo}`,
      );
      expect(service.repository!.failure).toBeUndefined();
      expect(service.broken).not.toBe('missing-owner');
    }
  });

  it('changes 1% of the repositories, at least one', () => {
    expect(churnCount(10_000, 0.01)).toBe(100);
    expect(churnCount(9_604, 0.01)).toBe(96);
    expect(churnCount(480, 0.01)).toBe(5);
    expect(churnCount(20, 0.01)).toBe(1);
    expect(churnCount(0, 0.01)).toBe(0);
    expect(churnCount(3, 2)).toBe(3);
  });

  it('spreads a sample evenly and splits it into nearly equal parts', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    expect(spread(items, 4)).toEqual([12, 37, 62, 87]);
    expect(spread(items, 0)).toEqual([]);
    expect(spread([1, 2], 5)).toEqual([1, 2]);
    expect(splitEvenly([1, 2, 3, 4, 5], 2)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(splitEvenly([1], 2)).toEqual([[1], []]);
    expect(splitEvenly([1, 2, 3, 4], 4)).toEqual([[1], [2], [3], [4]]);
  });

  it('plans the hour of churn over its cycles and pushes to other repositories', () => {
    const plan = planSteadyState(pushable, {
      share: 0.01,
      cycles: 2,
      pushes: 20,
    });
    const changed = plan.churn.flat();
    expect(changed).toHaveLength(churnCount(pushable.length, 0.01));
    expect(plan.churn.map(c => c.length)).toEqual([2, 2]);
    expect(plan.pushes).toHaveLength(20);
    const repos = [...changed, ...plan.pushes].map(r => r.orgRepo);
    expect(new Set(repos).size).toBe(repos.length);
    // Deterministic from the organisation.
    expect(
      planSteadyState(pushable, { share: 0.01, cycles: 2, pushes: 20 }),
    ).toEqual(plan);
    // A small organisation has fewer left to push to.
    const few = planSteadyState(pushable.slice(0, 10), {
      share: 0.01,
      cycles: 2,
      pushes: 20,
    });
    expect(few.churn.flat()).toHaveLength(1);
    expect(few.pushes).toHaveLength(9);
  });

  it("computes today's reader: a commit status per repository and cycle, a tarball per change", () => {
    expect(
      readerRequests({ readsPerCycle: 9_604, cycles: 2, changed: 96 }),
    ).toBe(19_304);
    expect(readerRequests({ readsPerCycle: 478, cycles: 2, changed: 5 })).toBe(
      961,
    );
  });

  it('summarises push latencies, a push not seen in time slower than all', () => {
    expect(summariseLatencies([3000, 1000, 2000])).toEqual({
      pushes: 3,
      seen: 3,
      medianMs: 2000,
      maxMs: 3000,
    });
    expect(summariseLatencies([4000, 1000, 2000, 3000])).toMatchObject({
      medianMs: 2500,
      maxMs: 4000,
    });
    // One missed of four: the median still counts it, the max is unbounded.
    expect(summariseLatencies([1000, null, 2000, 3000])).toEqual({
      pushes: 4,
      seen: 3,
      medianMs: 2500,
      maxMs: Infinity,
    });
    expect(summariseLatencies([null, undefined, 1000])).toMatchObject({
      seen: 1,
      medianMs: Infinity,
    });
    expect(summariseLatencies([]).medianMs).toBeNaN();
  });
});
