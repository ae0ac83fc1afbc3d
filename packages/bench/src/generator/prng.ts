/**
 * A small seeded PRNG (mulberry32): the same seed gives the same sequence on
 * every machine and Node version, which Math.random cannot promise.
 */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over a string: derives independent seeds from one (`seed:i`). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A PRNG of its own for one thing (a service, a repository) of a run. */
export const randomFor = (seed: number, key: string): Random =>
  mulberry32(hash32(`${seed}:${key}`));

export const int = (random: Random, min: number, max: number): number =>
  min + Math.floor(random() * (max - min + 1));

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)];

/** One of `items`, each with its weight. */
export function weighted<T>(
  random: Random,
  items: ReadonlyArray<{ item: T; weight: number }>,
): T {
  const total = items.reduce((sum, i) => sum + i.weight, 0);
  let r = random() * total;
  for (const i of items) {
    r -= i.weight;
    if (r < 0) return i.item;
  }
  return items[items.length - 1].item;
}

/** `count` distinct indexes out of 0..n-1 (partial Fisher-Yates), in order drawn. */
export function sample(random: Random, n: number, count: number): number[] {
  const k = Math.min(n, Math.max(0, count));
  const swapped = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    const atJ = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    out.push(atJ);
  }
  return out;
}
