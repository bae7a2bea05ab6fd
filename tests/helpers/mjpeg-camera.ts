/** Fixtures for bridge tests: a real MJPEG-over-HTTP camera and a bridge logger whose lines tests read. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import pino, { type Logger } from 'pino';
import sharp from 'sharp';
import { createBridge, type Bridge, type BridgeOptions } from '../../src/main/bridge/bridge';
import type { ResultReply } from '../../src/shared/protocol';
import type { Cleanups } from './cleanups';
import { captureLogs, type LogCapture } from './station';

/** Distinct JPEGs: frame i is (100 + 4i) pixels wide, so a result names the frame it came from. */
export async function numberedJpegs(count: number): Promise<Buffer[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      sharp({
        create: {
          width: 100 + 4 * i,
          height: 60,
          channels: 3,
          background: { r: (i * 37) % 256, g: 90, b: 200 },
        },
      })
        .jpeg({ quality: 70 })
        .toBuffer(),
    ),
  );
}

export function widthOfFrame(index: number): number {
  return 100 + 4 * index;
}

export interface MjpegCameraOptions {
  frames: Buffer[];
  fps: number;
  /** true: repeat the frames forever; false: send each once per connection, then hold. */
  loop: boolean;
  /** Send Content-Length in each part (many cameras do not). */
  contentLength?: boolean;
  /** Require HTTP basic auth. */
  credentials?: { user: string; password: string };
}

export interface MjpegCamera {
  port: number;
  /** The stream URL, with credentials when the camera requires them. */
  url: string;
  /** Parts written to all clients so far. */
  served(): number;
  connections(): number;
  /** Stops listening and cuts every client. */
  kill(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

/** A real MJPEG camera on 127.0.0.1: multipart/x-mixed-replace of the given JPEGs. */
export async function startMjpegCamera(options: MjpegCameraOptions): Promise<MjpegCamera> {
  let served = 0;
  let connections = 0;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const boundary = 'fsCamBoundary';

  const handler: Parameters<typeof createServer>[1] = (req, res) => {
    if (options.credentials) {
      const expected = Buffer.from(
        `${options.credentials.user}:${options.credentials.password}`,
      ).toString('base64');
      if (req.headers.authorization !== `Basic ${expected}`) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="cam"' }).end();
        return;
      }
    }
    connections += 1;
    res.writeHead(200, {
      'Content-Type': `multipart/x-mixed-replace; boundary=--${boundary}`,
      'Cache-Control': 'no-cache',
    });
    let index = 0;
    const timer = setInterval(() => {
      if (!options.loop && index >= options.frames.length) return;
      const frame = options.frames[index % options.frames.length]!;
      index += 1;
      const length = options.contentLength ? `Content-Length: ${frame.length}\r\n` : '';
      res.write(`--${boundary}\r\nContent-Type: image/jpeg\r\n${length}\r\n`);
      res.write(frame);
      res.write('\r\n');
      served += 1;
    }, 1000 / options.fps);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };

  let server: Server = createServer(handler);
  const track = (s: Server) =>
    s.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
  track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const auth = options.credentials
    ? `${options.credentials.user}:${options.credentials.password}@`
    : '';

  return {
    port,
    url: `http://${auth}127.0.0.1:${port}/video.mjpg`,
    served: () => served,
    connections: () => connections,
    async kill() {
      for (const timer of timers) clearInterval(timer);
      timers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    async restart() {
      server = createServer(handler);
      track(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
    },
  };
}

/** A pino logger for a bridge, writing JSON lines the test can read. */
export function bridgeLogger(): { logger: Logger; logs: LogCapture } {
  const logs = captureLogs();
  const logger = pino(
    {
      level: 'debug',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    logs.stream,
  );
  return { logger, logs };
}

/**
 * A started camera bridge to `station` (fast retries), stopped after the test, with its
 * logs and the results the station sent back.
 */
export function bridgeForTest(
  cleanups: Cleanups,
  station: string,
  options: Partial<BridgeOptions> & Pick<BridgeOptions, 'source' | 'cameraId'>,
): { bridge: Bridge; logs: LogCapture; results: ResultReply[] } {
  const { logger, logs } = bridgeLogger();
  const bridge = createBridge({
    station,
    pipelineId: 'metadata',
    logger,
    sourceBackoff: { initialMs: 100, maxMs: 400 },
    stationBackoff: { initialMs: 100, maxMs: 400 },
    ...options,
  });
  const results: ResultReply[] = [];
  bridge.subscribe((event) => {
    if (event.type === 'message' && 'result' in event.message) {
      results.push(event.message as ResultReply);
    }
  });
  cleanups.push(() => bridge.stop());
  bridge.start();
  return { bridge, logs, results };
}
