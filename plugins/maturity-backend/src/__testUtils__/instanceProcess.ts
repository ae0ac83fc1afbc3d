import { startTestBackend } from '@backstage/backend-test-utils';
import { FromChild, instanceFeatures, ToChild } from './backendInstances';

/*
 * One backend instance of the plugin in a process of its own, started by
 * SharedPostgres.forkInstance, so that a test can kill it with SIGKILL as
 * a crashed pod dies: mid-cycle, with no shutdown hook and no scheduler
 * lock released, which a backend in the test's own process cannot do.
 * The options come in, and the log lines go out, over the IPC channel.
 */

const send = (message: FromChild) => process.send!(message);

process.once('message', async (message: ToChild) => {
  try {
    await startTestBackend({
      features: instanceFeatures(message.database, message.options, {
        push: entry => send({ type: 'log', entry }),
      }),
    });
    send({ type: 'started' });
  } catch (e) {
    send({ type: 'failed', error: String(e) });
    process.exit(1);
  }
});

// No orphan outlives the test process that started it.
process.once('disconnect', () => process.exit(1));
