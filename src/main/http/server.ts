/**
 * The one HTTP server on the camera port: listening, the WebSocket upgrade
 * handed to the camera server, raw answers to requests too broken for the
 * router, timeouts against slow peers, and closing.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { parseRequestUrl } from './request-url';
import { findRendererDir } from './static-files';

/** Takes the upgrade (true) or leaves it to the caller's 404 (false). */
export type UpgradeHandler = (
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  url: URL,
) => boolean;

/** Slow or half-open requests must not pin sockets forever. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

function rawReply(status: string, length = true): string {
  return `HTTP/1.1 ${status}\r\nConnection: close\r\n${length ? 'Content-Length: 0\r\n' : ''}\r\n`;
}

/** Listens on host:port (0: any free port); resolves with the server and its port. */
export async function listenHttp(
  host: string,
  port: number,
): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** Routes requests, hands upgrades to the camera server, answers broken requests with 400. */
export function serveHttp(
  server: Server,
  onRequest: RequestListener,
  onUpgrade: UpgradeHandler,
): void {
  server.on('request', onRequest);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = parseRequestUrl(req.url);
    if (!url) socket.end(rawReply('400 Bad Request'));
    else if (!onUpgrade(req, socket, head, url)) socket.end(rawReply('404 Not Found'));
  });
  server.on('clientError', (_err, socket: Duplex) => {
    if (socket.writable) socket.end(rawReply('400 Bad Request', false));
    else socket.destroy();
  });
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
}

/** Stops listening and closes every connection still open. */
export function closeHttp(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The built dashboard beside the compiled main process, or under out/ in a checkout. */
export function defaultRendererDir(mainDir: string): string | null {
  return findRendererDir([
    join(mainDir, '..', 'renderer'),
    join(mainDir, '..', '..', 'renderer'),
    join(process.cwd(), 'out', 'renderer'),
  ]);
}
