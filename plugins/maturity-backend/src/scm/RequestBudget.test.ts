import { ScmRequestBudget } from './RequestBudget';

const HOST = 'github.example.test';
const HOUR = 3_600_000;
const START = Date.parse('2026-01-05T10:00:00.000Z');

/**
 * A clock that only moves when told to, and a sleep that records how long
 * it was asked to wait and moves the clock that far: no real waiting.
 */
function fakeClock() {
  let t = START;
  const sleeps: number[] = [];
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(at: number) {
      t = at;
    },
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

/** Rate-limit headers as GitHub sends them (reset in epoch seconds). */
function rateLimitHeaders(limit: number, remaining: number, resetAt: number) {
  return new Headers({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(Math.floor(resetAt / 1000)),
    'x-ratelimit-resource': 'core',
  });
}

function statusOf(
  budget: ScmRequestBudget,
  resource: 'core' | 'graphql',
  host = HOST,
) {
  return budget.status(host).find(s => s.resource === resource);
}

describe('ScmRequestBudget', () => {
  describe('allowance', () => {
    it('allows half of an assumed 5000 requests an hour by default', () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);

      expect(budget.allowanceOf(HOST, 'core')).toBe(2500);
      expect(statusOf(budget, 'core')).toEqual({
        resource: 'core',
        limit: 5000,
        allowance: 2500,
        spent: 0,
      });
    });

    it('allows the configured share of the configured limit', () => {
      const budget = new ScmRequestBudget({
        ...fakeClock(),
        share: 0.2,
        defaultLimit: 1000,
      });

      expect(budget.allowanceOf(HOST, 'core')).toBe(200);
    });

    it('always allows at least one request an hour', () => {
      const budget = new ScmRequestBudget({
        ...fakeClock(),
        share: 0.1,
        defaultLimit: 5,
      });

      expect(budget.allowanceOf(HOST, 'core')).toBe(1);
    });

    it('reports nothing for a host it has not been asked about', () => {
      const budget = new ScmRequestBudget(fakeClock());

      expect(budget.status(HOST)).toEqual([]);
    });
  });

  describe('observe', () => {
    it('learns the limit, what is left and the reset from the rate-limit headers', () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);
      const resetAt = START + 20 * 60_000;

      budget.observe(HOST, 'core', rateLimitHeaders(15000, 14000, resetAt));

      expect(budget.allowanceOf(HOST, 'core')).toBe(7500);
      expect(statusOf(budget, 'core')).toEqual({
        resource: 'core',
        limit: 15000,
        remaining: 14000,
        resetAt: new Date(resetAt).toISOString(),
        allowance: 7500,
        spent: 0,
      });
    });

    it('ignores responses without rate-limit headers', () => {
      const budget = new ScmRequestBudget(fakeClock());

      budget.observe(
        HOST,
        'core',
        new Headers({ 'content-type': 'text/html' }),
      );
      budget.observe(
        HOST,
        'core',
        new Headers({ 'x-ratelimit-limit': 'lots' }),
      );

      expect(statusOf(budget, 'core')).toBeUndefined();
      expect(budget.allowanceOf(HOST, 'core')).toBe(2500);
    });

    it('counts its own requests off what the SCM said is left', async () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);
      budget.observe(HOST, 'core', rateLimitHeaders(5000, 100, START + HOUR));

      await budget.take(HOST, 'core', 3);

      expect(statusOf(budget, 'core')).toMatchObject({
        remaining: 97,
        spent: 3,
      });
    });

    it('holds every request until the reset when the SCM says nothing is left', async () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);
      const resetAt = START + 10 * 60_000;

      budget.observe(HOST, 'core', rateLimitHeaders(5000, 0, resetAt));

      expect(await budget.take(HOST, 'core', 1)).toEqual({
        until: new Date(resetAt),
        reason: 'the SCM reports its rate limit used up',
      });
      expect(
        await budget.take(HOST, 'core', 1, { urgent: true }),
      ).toMatchObject({ until: new Date(resetAt) });
      expect(statusOf(budget, 'core')).toMatchObject({
        remaining: 0,
        spent: 0,
        heldUntil: new Date(resetAt).toISOString(),
        heldReason: 'the SCM reports its rate limit used up',
      });

      clock.set(resetAt - 1);
      expect(await budget.take(HOST, 'core', 1)).toBeDefined();

      clock.set(resetAt);
      expect(await budget.take(HOST, 'core', 1)).toBeUndefined();
      expect(statusOf(budget, 'core')).not.toHaveProperty('heldUntil');
    });

    it('does not hold when nothing is left but the reset has already passed', async () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);

      budget.observe(HOST, 'core', rateLimitHeaders(5000, 0, START - 1000));

      expect(await budget.take(HOST, 'core', 1)).toBeUndefined();
      expect(statusOf(budget, 'core')).not.toHaveProperty('heldUntil');
    });

    it('refuses a request costing more than is left until the reset', async () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);
      const resetAt = START + 5 * 60_000;
      budget.observe(HOST, 'core', rateLimitHeaders(5000, 2, resetAt));

      expect(await budget.take(HOST, 'core', 3)).toEqual({
        until: new Date(resetAt),
        reason: 'the SCM reports its rate limit used up',
      });
      expect(await budget.take(HOST, 'core', 2)).toBeUndefined();
    });
  });

  describe('limited', () => {
    it('holds until the reset the refusal gave', async () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);
      const resetAt = new Date(START + 7 * 60_000);

      budget.limited(HOST, 'core', resetAt);

      expect(await budget.take(HOST, 'core', 1)).toEqual({
        until: resetAt,
        reason: 'the SCM refused a request: rate limit exceeded',
      });
      expect(statusOf(budget, 'core')).toMatchObject({
        remaining: 0,
        heldUntil: resetAt.toISOString(),
        heldReason: 'the SCM refused a request: rate limit exceeded',
      });

      clock.set(resetAt.getTime());
      expect(await budget.take(HOST, 'core', 1)).toBeUndefined();
    });

    it('holds until the reset it already knew when the refusal gave none', async () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);
      const knownReset = START + 25 * 60_000;
      budget.observe(HOST, 'core', rateLimitHeaders(5000, 40, knownReset));

      budget.limited(HOST, 'core');

      expect(await budget.take(HOST, 'core', 1)).toMatchObject({
        until: new Date(knownReset),
      });
    });

    it('holds until the known reset when the given reset has passed', async () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);
      const knownReset = START + 25 * 60_000;
      budget.observe(HOST, 'core', rateLimitHeaders(5000, 40, knownReset));

      budget.limited(HOST, 'core', new Date(START - 1000));

      expect(await budget.take(HOST, 'core', 1)).toMatchObject({
        until: new Date(knownReset),
      });
    });

    it('holds for a minute when no reset is known', async () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);

      budget.limited(HOST, 'core');

      expect(await budget.take(HOST, 'core', 1)).toMatchObject({
        until: new Date(START + 60_000),
      });
      clock.advance(60_000);
      expect(await budget.take(HOST, 'core', 1)).toBeUndefined();
    });

    it('does not shorten a longer hold', async () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);
      const long = new Date(START + 30 * 60_000);

      budget.limited(HOST, 'core', long);
      budget.limited(HOST, 'core', new Date(START + 60_000));

      expect(await budget.take(HOST, 'core', 1)).toMatchObject({ until: long });
    });
  });

  describe('the share', () => {
    // 10 an hour at 50%: 5 requests, all of which may go at once.
    const small = (clock: ReturnType<typeof fakeClock>) =>
      new ScmRequestBudget({ ...clock, defaultLimit: 10, burst: 1 });

    it('refuses once the share is spent, until the oldest request is an hour old', async () => {
      const clock = fakeClock();
      const budget = small(clock);

      expect(await budget.take(HOST, 'core', 2)).toBeUndefined();
      clock.advance(10 * 60_000);
      expect(await budget.take(HOST, 'core', 3)).toBeUndefined();
      clock.advance(5 * 60_000);

      expect(await budget.take(HOST, 'core', 1)).toEqual({
        until: new Date(START + HOUR),
        reason: "this plugin's share (50%) of the rate limit is spent",
      });
      expect(statusOf(budget, 'core')).toMatchObject({
        allowance: 5,
        spent: 5,
      });

      clock.set(START + HOUR - 1);
      expect(await budget.take(HOST, 'core', 1)).toBeDefined();

      clock.set(START + HOUR);
      expect(await budget.take(HOST, 'core', 1)).toBeUndefined();
      expect(statusOf(budget, 'core')).toMatchObject({ spent: 4 });
    });

    it('tells a costlier request to wait until enough requests have aged out', async () => {
      const clock = fakeClock();
      const budget = small(clock);
      await budget.take(HOST, 'core', 2);
      clock.advance(10 * 60_000);
      await budget.take(HOST, 'core', 3);

      // 3 more need the 2 at START and the 3 ten minutes later to age out.
      expect(await budget.take(HOST, 'core', 3)).toMatchObject({
        until: new Date(START + 10 * 60_000 + HOUR),
      });
    });

    it('refuses urgent requests too once the share is spent', async () => {
      const clock = fakeClock();
      const budget = small(clock);
      await budget.take(HOST, 'core', 5);

      expect(
        await budget.take(HOST, 'core', 1, { urgent: true }),
      ).toMatchObject({
        until: new Date(START + HOUR),
        reason: "this plugin's share (50%) of the rate limit is spent",
      });
    });

    it('does not count a refused request as spent', async () => {
      const clock = fakeClock();
      const budget = small(clock);
      await budget.take(HOST, 'core', 5);

      await budget.take(HOST, 'core', 1);
      await budget.take(HOST, 'core', 1, { urgent: true });

      expect(statusOf(budget, 'core')).toMatchObject({ spent: 5 });
    });
  });

  describe('pacing', () => {
    // 7200 an hour at 50%: 3600 an hour, one a second; a burst of 3.
    const paced = (clock: ReturnType<typeof fakeClock>) =>
      new ScmRequestBudget({
        ...clock,
        defaultLimit: 7200,
        burst: 3 / 3600,
      });

    it('lets a burst go at once', async () => {
      const clock = fakeClock();
      const budget = paced(clock);

      for (let i = 0; i < 3; i++) {
        expect(await budget.take(HOST, 'core', 1)).toBeUndefined();
      }

      expect(clock.sleeps).toEqual([]);
      expect(clock.now()).toBe(START);
    });

    it('makes requests beyond the burst wait their turn when the deadline allows', async () => {
      const clock = fakeClock();
      const budget = paced(clock);
      for (let i = 0; i < 3; i++) await budget.take(HOST, 'core', 1);

      for (let i = 0; i < 3; i++) {
        expect(
          await budget.take(HOST, 'core', 1, { deadline: clock.now() + 5000 }),
        ).toBeUndefined();
      }

      expect(clock.sleeps).toEqual([1000, 1000, 1000]);
      expect(statusOf(budget, 'core')).toMatchObject({ spent: 6 });
    });

    it('refuses a request beyond the burst, saying when it would be ready, when the deadline does not allow', async () => {
      const clock = fakeClock();
      const budget = paced(clock);
      for (let i = 0; i < 3; i++) await budget.take(HOST, 'core', 1);

      const refused = {
        until: new Date(START + 1000),
        reason: 'reads are paced over the hour to keep to the share',
      };
      expect(await budget.take(HOST, 'core', 1)).toEqual(refused);
      expect(
        await budget.take(HOST, 'core', 1, { deadline: START + 999 }),
      ).toEqual(refused);

      expect(clock.sleeps).toEqual([]);
      expect(statusOf(budget, 'core')).toMatchObject({ spent: 3 });

      expect(
        await budget.take(HOST, 'core', 1, { deadline: START + 1000 }),
      ).toBeUndefined();
      expect(clock.sleeps).toEqual([1000]);
    });

    it('refills the burst as time passes', async () => {
      const clock = fakeClock();
      const budget = paced(clock);
      for (let i = 0; i < 3; i++) await budget.take(HOST, 'core', 1);

      clock.advance(2000);

      expect(await budget.take(HOST, 'core', 1)).toBeUndefined();
      expect(await budget.take(HOST, 'core', 1)).toBeUndefined();
      expect(await budget.take(HOST, 'core', 1)).toMatchObject({
        until: new Date(START + 3000),
      });

      // Never more than the burst, however long it was quiet.
      clock.advance(HOUR);
      for (let i = 0; i < 3; i++) {
        expect(await budget.take(HOST, 'core', 1)).toBeUndefined();
      }
      expect(await budget.take(HOST, 'core', 1)).toBeDefined();
    });

    it('queues callers that arrive together one behind the other', async () => {
      const clock = fakeClock();
      const waits: number[] = [];
      const budget = new ScmRequestBudget({
        now: clock.now,
        sleep: async ms => waits.push(ms), // the clock stands still
        defaultLimit: 7200,
        burst: 3 / 3600,
      });
      for (let i = 0; i < 3; i++) await budget.take(HOST, 'core', 1);

      const deadline = START + 10_000;
      await Promise.all([
        budget.take(HOST, 'core', 1, { deadline }),
        budget.take(HOST, 'core', 1, { deadline }),
        budget.take(HOST, 'core', 2, { deadline }),
      ]);

      expect(waits).toEqual([1000, 2000, 4000]);
    });

    it('counts a request that waited for its turn from when it was made', async () => {
      const clock = fakeClock();
      // 5 an hour, one every 12 minutes, no burst beyond one.
      const budget = new ScmRequestBudget({
        ...clock,
        defaultLimit: 10,
        burst: 0.2,
      });
      await budget.take(HOST, 'core', 1);

      await budget.take(HOST, 'core', 1, { deadline: START + HOUR });
      expect(clock.sleeps).toEqual([12 * 60_000]);

      clock.set(START + HOUR);
      expect(statusOf(budget, 'core')).toMatchObject({ spent: 1 });
      clock.set(START + 12 * 60_000 + HOUR);
      expect(statusOf(budget, 'core')).toMatchObject({ spent: 0 });
    });

    it('lets urgent requests skip the pace', async () => {
      const clock = fakeClock();
      const budget = paced(clock);
      for (let i = 0; i < 3; i++) await budget.take(HOST, 'core', 1);

      for (let i = 0; i < 5; i++) {
        expect(
          await budget.take(HOST, 'core', 1, { urgent: true }),
        ).toBeUndefined();
      }

      expect(clock.sleeps).toEqual([]);
      expect(statusOf(budget, 'core')).toMatchObject({ spent: 8 });
    });

    it('does not let urgent requests through a hold', async () => {
      const clock = fakeClock();
      const budget = paced(clock);
      budget.limited(HOST, 'core', new Date(START + 60_000));

      expect(
        await budget.take(HOST, 'core', 1, { urgent: true }),
      ).toMatchObject({
        until: new Date(START + 60_000),
        reason: 'the SCM refused a request: rate limit exceeded',
      });
    });
  });

  describe('over hours of steady reading', () => {
    /**
     * A reader that reads as fast as the budget lets it for `hours`, waiting
     * up to `maxWait` for its turn and, when refused, until it is told to.
     * Returns when each request was made.
     */
    async function readFlatOut(
      budget: ScmRequestBudget,
      clock: ReturnType<typeof fakeClock>,
      hours: number,
      options: { maxWait: number; urgentEvery?: number },
    ) {
      const made: number[] = [];
      let n = 0;
      while (clock.now() < START + hours * HOUR) {
        n++;
        const urgent = !!options.urgentEvery && n % options.urgentEvery === 0;
        const held = await budget.take(HOST, 'core', 1, {
          deadline: clock.now() + options.maxWait,
          urgent,
        });
        if (held) {
          expect(held.until.getTime()).toBeGreaterThan(clock.now());
          clock.set(held.until.getTime());
        } else {
          made.push(clock.now());
        }
      }
      return made;
    }

    /** The most requests made in any hour (a sliding window). */
    function busiestHour(made: number[]) {
      let most = 0;
      let from = 0;
      for (let i = 0; i < made.length; i++) {
        while (made[from] <= made[i] - HOUR) from++;
        most = Math.max(most, i - from + 1);
      }
      return most;
    }

    it.each([
      ['readers that wait up to 30 seconds', { maxWait: 30_000 }],
      ['readers that never wait', { maxWait: 0 }],
      ['some urgent readers', { maxWait: 10_000, urgentEvery: 7 }],
    ])(
      'never spends more than the share of the limit in any hour, with %s',
      async (_, options) => {
        const clock = fakeClock();
        const budget = new ScmRequestBudget({ ...clock, defaultLimit: 5000 });

        const made = await readFlatOut(budget, clock, 3, options);

        expect(made.filter(t => t < START + HOUR).length).toBeLessThanOrEqual(
          2500,
        );
        expect(busiestHour(made)).toBeLessThanOrEqual(2500);
        // ...while still using most of it.
        expect(made.length).toBeGreaterThan(3 * 2500 * 0.95);
      },
    );

    it('spreads the reads over the hour rather than spending them at once', async () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget({ ...clock, defaultLimit: 5000 });

      const made = await readFlatOut(budget, clock, 1, { maxWait: 30_000 });

      const firstTenMinutes = made.filter(t => t < START + 10 * 60_000);
      // A sixth of the hour's allowance plus the burst (a fifth), no more.
      expect(firstTenMinutes.length).toBeLessThanOrEqual(
        Math.ceil(2500 / 6 + 2500 / 5) + 1,
      );
    });
  });

  describe('independence', () => {
    it('keeps REST and GraphQL budgets apart', async () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);

      budget.limited(HOST, 'graphql');
      budget.observe(HOST, 'core', rateLimitHeaders(15000, 900, START + HOUR));

      expect(await budget.take(HOST, 'core', 1)).toBeUndefined();
      expect(await budget.take(HOST, 'graphql', 1)).toBeDefined();
      expect(budget.status(HOST)).toEqual([
        expect.objectContaining({
          resource: 'core',
          limit: 15000,
          allowance: 7500,
          spent: 1,
        }),
        expect.objectContaining({
          resource: 'graphql',
          limit: 5000,
          allowance: 2500,
          spent: 0,
          heldUntil: new Date(START + 60_000).toISOString(),
        }),
      ]);
      expect(statusOf(budget, 'core')).not.toHaveProperty('heldUntil');
    });

    it('keeps hosts apart', async () => {
      const clock = fakeClock();
      const budget = new ScmRequestBudget(clock);

      budget.limited('github.com', 'core');

      expect(await budget.take('github.com', 'core', 1)).toBeDefined();
      expect(await budget.take(HOST, 'core', 1)).toBeUndefined();
      expect(statusOf(budget, 'core', HOST)).not.toHaveProperty('heldUntil');
      expect(statusOf(budget, 'core', 'github.com')).toHaveProperty(
        'heldUntil',
      );
    });
  });
});
