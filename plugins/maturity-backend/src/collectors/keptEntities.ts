import { Entity } from '@backstage/catalog-model';

/**
 * A related entity as sent to a worker: whole (and whether the worker keeps
 * it), or by ref and etag when the worker kept that very version before.
 */
export type SentEntity =
  | { ref: string; entity: Entity; keep?: true }
  | { ref: string; etag: string };

/** Entities one worker keeps at most; beyond, the rest are sent whole. */
const MAX_KEPT = 20_000;

/**
 * The event loop's side: which entity versions a worker keeps. Owners,
 * systems and domains recur across thousands of entities, and a group with
 * its relations is the largest part of an evaluation job; cloning it into
 * the worker for every entity cost more than evaluating some checks.
 */
export class KeptEntitiesSender {
  private readonly kept = new Map<string, string>();

  encode(related: ReadonlyArray<[string, Entity]>): SentEntity[] {
    return related.map(([ref, entity]) => {
      const etag = entity.metadata.etag;
      if (!etag) return { ref, entity };
      if (this.kept.get(ref) === etag) return { ref, etag };
      // Messages arrive in order: the worker keeps it before a later job
      // names it by etag. A newer version replaces the older on both sides.
      if (this.kept.size >= MAX_KEPT && !this.kept.has(ref)) {
        return { ref, entity };
      }
      this.kept.set(ref, etag);
      return { ref, entity, keep: true };
    });
  }
}

/** The worker's side. */
export class KeptEntitiesReceiver {
  private readonly kept = new Map<string, Entity>();

  decode(sent: readonly SentEntity[]): Array<[string, Entity]> {
    return sent.map(s => {
      if ('entity' in s) {
        if (s.keep) this.kept.set(s.ref, s.entity);
        return [s.ref, s.entity];
      }
      const entity = this.kept.get(s.ref);
      if (entity?.metadata.etag !== s.etag) {
        throw new Error(`the worker does not have ${s.ref} at ${s.etag}`);
      }
      return [s.ref, entity];
    });
  }
}
