const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day of a date, YYYY-MM-DD. */
export const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** `YYYY-MM-DD` as days since 1970-01-01 UTC, as the history stores days. */
export const dayNumber = (day: string) =>
  Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);

/** A stored day number as `YYYY-MM-DD`. */
export const dayString = (n: number) =>
  new Date(n * DAY_MS).toISOString().slice(0, 10);

/** The first UTC day kept when `days` days of history are retained. */
export function retentionStartDay(days: number, now = new Date()): string {
  return utcDay(new Date(now.getTime() - (days - 1) * DAY_MS));
}
