import { createHash } from 'node:crypto';

/** One of `count` disjoint parts of the catalog, for scheduler tasks to share. */
export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/**
 * The shard an entity belongs to: a stable hash of its lower-case ref, so
 * every instance agrees, and a shard keeps its entities across restarts.
 */
export function shardOf(entityRef: string, count: number): number {
  if (count <= 1) return 0;
  const digest = createHash('sha1')
    .update(entityRef.toLocaleLowerCase('en-US'))
    .digest();
  return digest.readUInt32BE(0) % count;
}

/** The scheduler task id of a shard; a single shard keeps the plain id. */
export function shardTaskId(shard: Shard): string {
  return shard.count <= 1
    ? 'maturity-evaluate'
    : `maturity-evaluate-shard-${shard.index + 1}-of-${shard.count}`;
}

/** `2 of 4` for a shard of several; empty for the one shard of a cycle. */
export function shardKey(shard?: Shard): string {
  return shard && shard.count > 1 ? `${shard.index + 1} of ${shard.count}` : '';
}

/** Every shard of `count`, in order. */
export function allShards(count: number): Shard[] {
  return Array.from({ length: Math.max(1, count) }, (_, index) => ({
    index,
    count: Math.max(1, count),
  }));
}
