/** The dashboard's push channel over HTTP: server-sent events, one StationEvent per message. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StationEvent } from '../../shared/contract';

/** A client that cannot keep up loses its stream (it reconnects and re-reads the snapshot). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function openEventStream(
  req: IncomingMessage,
  res: ServerResponse,
  subscribe: (listener: (event: StationEvent) => void) => () => void,
): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 2000\n\n');
  const unsubscribe = subscribe((event) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      return;
    }
    res.write(`data: ${JSON.stringify(event)}\n\n`);
  });
  // Comments keep proxies and idle timeouts from closing a quiet stream.
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  keepAlive.unref();
  const end = () => {
    clearInterval(keepAlive);
    unsubscribe();
  };
  req.on('close', end);
  res.on('error', end);
}
