import { Entity } from '@backstage/catalog-model';
import { KeptEntitiesReceiver, KeptEntitiesSender } from './keptEntities';

const group = (etag?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'team', ...(etag ? { etag } : {}) },
  spec: { type: 'team', children: [] },
});

describe('related entities kept on a worker', () => {
  it('sends an entity version once, a newer version again, and one without an etag every time', () => {
    const sender = new KeptEntitiesSender();
    const receiver = new KeptEntitiesReceiver();
    const ref = 'group:default/team';
    const send = (e: Entity) => {
      const sent = sender.encode([[ref, e]]);
      return { sent: sent[0], got: receiver.decode(sent)[0][1] };
    };

    const v1 = group('v1');
    expect(send(v1)).toEqual({
      sent: { ref, entity: v1, keep: true },
      got: v1,
    });
    expect(send(v1)).toEqual({ sent: { ref, etag: 'v1' }, got: v1 });
    const v2 = group('v2');
    expect(send(v2).sent).toEqual({ ref, entity: v2, keep: true });
    expect(send(v2)).toEqual({ sent: { ref, etag: 'v2' }, got: v2 });
    const unversioned = group();
    expect(send(unversioned).sent).toEqual({ ref, entity: unversioned });
    expect(send(unversioned).sent).toEqual({ ref, entity: unversioned });
  });

  it('refuses an etag it does not keep rather than evaluate with another version', () => {
    expect(() =>
      new KeptEntitiesReceiver().decode([
        { ref: 'group:default/x', etag: 'v1' },
      ]),
    ).toThrow('the worker does not have group:default/x at v1');
  });
});
