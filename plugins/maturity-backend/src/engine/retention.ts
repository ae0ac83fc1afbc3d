const DAY_MS = 24 * 60 * 60 * 1000;

/** The first UTC day kept when `days` days of history are retained. */
export function retentionStartDay(days: number, now = new Date()): string {
  return new Date(now.getTime() - (days - 1) * DAY_MS)
    .toISOString()
    .slice(0, 10);
}
