import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { onRequest } from './ipc';

/**
 * CPU profiles of the backend on the driver's request (`--profile`): only
 * what runs between start and stop, e.g. one cycle, not the ingestion.
 * The file opens in Chrome DevTools or speedscope.
 */
export function registerProfiler() {
  let session: Session | undefined;
  onRequest('profile-start', async () => {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    // 1 ms samples keep a 40 s cycle's profile small enough to open.
    await session.post('Profiler.setSamplingInterval', { interval: 1000 });
    await session.post('Profiler.start');
    return true;
  });
  onRequest('profile-stop', async (message: { file: string }) => {
    if (!session) throw new Error('no profile running');
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    session = undefined;
    fs.writeFileSync(message.file, JSON.stringify(profile));
    return message.file;
  });
}
