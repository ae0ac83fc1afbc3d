import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { ShardRunner } from './ShardRunner';

const shard = (index: number) => ({ index, count: 4 });
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function setup(trigger: (id: string) => Promise<void> = async () => {}) {
  const logger = mockServices.logger.mock();
  const triggered: string[] = [];
  const evaluated: number[] = [];
  let finish = () => {};
  const runner = new ShardRunner({
    scheduler: {
      triggerTask: async id => {
        triggered.push(id);
        await trigger(id);
      },
    },
    logger,
    evaluate: async s => {
      evaluated.push(s.index);
      await new Promise<void>(r => {
        finish = r;
      });
    },
    retryDelaysMs: [1, 1, 1],
  });
  return { runner, logger, triggered, evaluated, finish: () => finish() };
}

describe('ShardRunner', () => {
  it('gives a shard back while this instance runs another, and triggers it again', async () => {
    const { runner, triggered, evaluated, finish } = setup();
    const first = runner.run(shard(0));
    // Returns at once, without evaluating: another instance may take it.
    await runner.run(shard(1));
    expect(evaluated).toEqual([0]);
    await sleep(10);
    expect(triggered).toEqual(['maturity-evaluate-shard-2-of-4']);

    finish();
    await first;
    // Idle again: the next shard it claims is evaluated.
    const second = runner.run(shard(1));
    expect(evaluated).toEqual([0, 1]);
    finish();
    await second;
  });

  it('retries while the given-back run is still being released, and stops quietly once another instance runs it', async () => {
    let conflicts = 0;
    const { runner, logger, triggered, finish } = setup(async () => {
      conflicts++;
      throw new ConflictError('Task is currently running');
    });
    const first = runner.run(shard(0));
    await runner.run(shard(2));
    await sleep(50);
    // The first attempt and one per retry delay, then it lets go.
    expect(conflicts).toBe(4);
    expect(triggered.every(id => id === 'maturity-evaluate-shard-3-of-4')).toBe(
      true,
    );
    expect(logger.warn).not.toHaveBeenCalled();
    finish();
    await first;
  });

  it('logs a warning when the task cannot be triggered for another reason', async () => {
    const { runner, logger, finish } = setup(async () => {
      throw new NotFoundError('Task does not exist');
    });
    const first = runner.run(shard(0));
    await runner.run(shard(3));
    await sleep(10);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('shard 4 of 4 could not be triggered again'),
    );
    finish();
    await first;
  });

  it('neither runs nor triggers anything once closed', async () => {
    const { runner, triggered, evaluated } = setup();
    runner.close();
    await runner.run(shard(0));
    await sleep(10);
    expect(evaluated).toEqual([]);
    expect(triggered).toEqual([]);
  });
});
