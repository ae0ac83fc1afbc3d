/** Runs a task once a slot is free; see concurrencyLimit. */
export type Limit = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * At most `max` tasks in flight, started in the order they were asked for.
 * Shared by all pages of a cycle, so the next page's repository reads fill
 * the slots the previous page's last reads leave free, and an SCM is never
 * flooded.
 */
export function concurrencyLimit(max: number): Limit {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async task => {
    if (running < Math.max(1, max)) running++;
    // A finished task hands its slot over directly, so a newcomer cannot
    // take it between the hand-over and the waiter's start.
    else await new Promise<void>(resolve => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
