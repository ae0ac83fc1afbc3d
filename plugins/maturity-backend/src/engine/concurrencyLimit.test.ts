import { concurrencyLimit } from './concurrencyLimit';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('concurrencyLimit', () => {
  it('never runs more than the limit at once, and starts tasks in order', async () => {
    const limit = concurrencyLimit(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const out = await Promise.all(
      [5, 1, 4, 2, 3].map(n =>
        limit(async () => {
          started.push(n);
          running++;
          peak = Math.max(peak, running);
          await sleep(n);
          running--;
          return n * 10;
        }),
      ),
    );
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
    expect(started).toEqual([5, 1, 4, 2, 3]);
  });

  it('is shared: tasks asked for later wait behind earlier ones', async () => {
    const limit = concurrencyLimit(1);
    const events: string[] = [];
    const first = limit(async () => {
      events.push('a starts');
      await sleep(5);
      events.push('a ends');
    });
    // Asked for while a runs: b waits; c, asked for after b, after it.
    const second = limit(async () => events.push('b runs'));
    const third = limit(async () => events.push('c runs'));
    await Promise.all([first, second, third]);
    expect(events).toEqual(['a starts', 'a ends', 'b runs', 'c runs']);
  });

  it('frees the slot of a task that fails', async () => {
    const limit = concurrencyLimit(1);
    await expect(
      limit(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });
});
