import { EvaluationQueue } from './EvaluationQueue';

/** A worker whose jobs finish when the test says so. */
function fakeWorker(room: number) {
  const running: Array<(r: string | undefined) => void> = [];
  return {
    running,
    hasRoom: () => running.length < room,
    send: (name: string) => () =>
      new Promise<string | undefined>(resolve =>
        running.push(r =>
          resolve(r === undefined ? undefined : `${name} ${r}`),
        ),
      ),
  };
}

const turn = () => new Promise(resolve => setImmediate(resolve));
const microtasks = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('EvaluationQueue', () => {
  it('gives the worker what it has room for and the event loop one job per turn', async () => {
    const worker = fakeWorker(2);
    const queue = new EvaluationQueue<string>(worker.hasRoom);
    const done: string[] = [];
    const jobs = ['a', 'b', 'c', 'd', 'e'].map(name =>
      queue
        .submit(worker.send(name), () => `${name} on the loop`)
        .then(r => done.push(r)),
    );
    expect(worker.running).toHaveLength(2);
    expect(done).toEqual([]);
    await turn();
    // One turn of the event loop: one job, the next in line.
    expect(done).toEqual(['c on the loop']);
    // The worker finishes one: it is sent the next at once.
    worker.running.shift()!('on a worker');
    await microtasks();
    expect(worker.running).toHaveLength(2);
    await turn();
    worker.running.splice(0).forEach(finish => finish('on a worker'));
    await Promise.all(jobs);
    expect(done.sort()).toEqual([
      'a on a worker',
      'b on a worker',
      'c on the loop',
      'd on a worker',
      'e on the loop',
    ]);
  });

  it('runs a job on the event loop when the worker gives it back, and passes on errors', async () => {
    const worker = fakeWorker(1);
    const queue = new EvaluationQueue<string>(worker.hasRoom);
    const given = queue.submit(worker.send('a'), () => 'a on the loop');
    const failing = queue.submit(worker.send('b'), () => {
      throw new Error('b is malformed');
    });
    worker.running.shift()!(undefined);
    await expect(given).resolves.toBe('a on the loop');
    // The worker had room again before the event loop's turn: b went there.
    await microtasks();
    worker.running.shift()!(undefined);
    await expect(failing).rejects.toThrow('b is malformed');
  });
});
