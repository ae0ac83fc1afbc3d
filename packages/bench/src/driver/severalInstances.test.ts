import { EventEmitter } from 'node:events';
import type { BackendProcess } from './backendProcess';
import type { BackendClient } from './http';
import {
  runShardedCycle,
  ShardedCycle,
  shardedCycleWarnings,
  shardTaskId,
} from './severalInstances';

/** A backend of which the test writes the log lines. */
function fakeBackend(cpuMs: () => number) {
  const listeners = new Set<(line: string) => void>();
  const child = new EventEmitter();
  const backend = {
    child,
    exitReason: undefined as string | undefined,
    cpuCgroup: undefined,
    cpuMs,
    onLine(listener: (line: string) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    backend: backend as unknown as BackendProcess,
    log: (line: string) => listeners.forEach(l => l(line)),
    listeners,
    child,
  };
}

const shardLine = (shard: number, evaluated: number) =>
  `maturity info Maturity cycle (shard ${shard} of 2): ${evaluated} evaluated, 0 unchanged, 1 failed in 900 ms; repositories: ${evaluated} downloaded, 0 unchanged, 1 failed`;

/** The scheduler REST API of instance 1: triggers, then the tasks' states. */
function fakeClient(onTrigger: (id: string) => void, busyPolls = 0) {
  const posts: string[] = [];
  let polls = 0;
  const client = {
    async post(p: string) {
      posts.push(p);
      onTrigger(p.split('/').slice(-2)[0]);
    },
    async json() {
      polls++;
      return {
        tasks: [1, 2].map(i => ({
          taskId: shardTaskId(i, 2),
          taskState:
            polls <= busyPolls
              ? { status: 'running' }
              : { status: 'idle', lastRunEndedAt: 'x' },
        })),
      };
    },
  };
  return { client: client as unknown as BackendClient, posts };
}

describe('runShardedCycle', () => {
  it('triggers every shard on instance 1 and tells which instance ran which', async () => {
    let cpuA = 0;
    let cpuB = 0;
    const a = fakeBackend(() => (cpuA += 100));
    const b = fakeBackend(() => (cpuB += 1000));
    const { client, posts } = fakeClient(id => {
      // Instance 2 takes shard 1, instance 1 shard 2, later.
      if (id === shardTaskId(2, 2)) {
        setTimeout(() => b.log(shardLine(1, 40)), 20);
        setTimeout(() => a.log(shardLine(2, 60)), 40);
      }
    });
    const cycle = await runShardedCycle(
      [a.backend, b.backend],
      client,
      2,
      10_000,
    );
    expect(posts).toEqual([
      '/api/maturity/.backstage/scheduler/v1/tasks/maturity-evaluate-shard-1-of-2/trigger',
      '/api/maturity/.backstage/scheduler/v1/tasks/maturity-evaluate-shard-2-of-2/trigger',
    ]);
    expect(cycle).toMatchObject({
      instances: 2,
      linesPerShard: [1, 1],
      settled: true,
      shards: [
        { shard: 1, instance: 2, evaluated: 40, durationMs: 900 },
        { shard: 2, instance: 1, evaluated: 60, failed: 1 },
      ],
    });
    expect(cycle.wallMs).toBeGreaterThanOrEqual(35);
    expect(cycle.wallMs).toBe(Math.max(...cycle.shards.map(r => r.doneMs)));
    // Each instance's CPU from before the trigger to after the last line.
    expect(cycle.cpuMs).toEqual([100, 1000]);
    // Nothing listens any more.
    expect(a.listeners.size + b.listeners.size).toBe(0);
    expect(a.child.listenerCount('exit')).toBe(0);
  });

  it('fails on a failed shard and when a backend exits', async () => {
    const a = fakeBackend(() => 0);
    const failing = fakeClient(id => {
      if (id !== shardTaskId(1, 2)) return;
      setTimeout(
        () => a.log('Maturity cycle (shard 1 of 2) stopped after 3 evaluated'),
        10,
      );
    });
    await expect(
      runShardedCycle([a.backend], failing.client, 2, 10_000),
    ).rejects.toThrow('Instance 1: Maturity cycle (shard 1 of 2) stopped');
    const b = fakeBackend(() => 0);
    const exiting = fakeClient(id => {
      if (id === shardTaskId(1, 2)) setTimeout(() => b.child.emit('exit'), 10);
    });
    await expect(
      runShardedCycle([b.backend], exiting.client, 2, 10_000),
    ).rejects.toThrow('a backend exited');
  });
});

describe('shardedCycleWarnings', () => {
  const cycle = (over: Partial<ShardedCycle> = {}): ShardedCycle => ({
    instances: 2,
    wallMs: 1000,
    shards: [1, 2].map(shard => ({
      shard,
      instance: shard,
      evaluated: 50,
      unchanged: 0,
      failed: 0,
      durationMs: 900,
      repositories: { downloaded: 48, notModified: 0, failed: 0 },
      doneMs: 1000,
    })),
    linesPerShard: [1, 1],
    settled: true,
    cpuMs: [900, 900],
    throttledMs: [0, 0],
    startupMs: 5000,
    ...over,
  });
  const full = {
    evaluated: 100,
    repositories: { downloaded: 96, notModified: 0, failed: 0 },
  };

  it('has nothing to say of a cycle shared as it should be', () => {
    expect(shardedCycleWarnings('two instances', cycle(), full)).toEqual([]);
  });

  it('says what went wrong', () => {
    const c = cycle();
    expect(
      shardedCycleWarnings(
        'two instances',
        cycle({
          shards: c.shards.map(r => ({ ...r, instance: 1 })),
          linesPerShard: [2, 1],
          settled: false,
        }),
        {
          ...full,
          evaluated: 120,
          repositories: { ...full.repositories, downloaded: 100 },
        },
      ),
    ).toEqual([
      'two instances: the shards evaluated 100 entities (50 + 50), the full cycle 120',
      'two instances: the shards downloaded 96 repositories, the full cycle 100',
      'two instances: shard 1 ran 2 times',
      "two instances: a shard task was still running or due 15 s after the last shard's line (run again?)",
      'two instances: instance 1 ran every shard, the other none',
    ]);
  });
});
