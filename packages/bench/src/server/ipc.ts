/**
 * Messages between the benchmark driver and the backend it forked: the
 * backend answers requests (`{ id, type }` -> `{ id, result }`) and sends
 * notifications (`{ type, ... }`) such as catalog progress.
 */
type Handler = (message: any) => unknown;

const handlers = new Map<string, Handler>();
let listening = false;

/** Answers driver requests of this type. */
export function onRequest(type: string, handler: Handler) {
  handlers.set(type, handler);
  if (listening || !process.send) return;
  listening = true;
  process.on('message', async (message: any) => {
    const handle = handlers.get(message?.type);
    if (!handle || message.id === undefined) return;
    try {
      const result = await handle(message);
      process.send?.({ id: message.id, result });
    } catch (e) {
      process.send?.({ id: message.id, error: String(e) });
    }
  });
  // The IPC channel must not keep a stopping backend alive.
  process.channel?.unref();
}

/** Tells the driver something happened. */
export function notify(message: { type: string; [key: string]: unknown }) {
  process.send?.(message);
}
