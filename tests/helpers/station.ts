/** Test fixtures: a real station on 127.0.0.1:0 in a temp data dir, and real camera sockets. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import WebSocket from 'ws';
import { createStation, type Station, type StationOptions } from '../../src/main/station';
import { STREAM_PATH } from '../../src/shared/protocol';

export interface LogCapture {
  stream: Writable;
  lines: Array<Record<string, unknown>>;
}

export function captureLogs(): LogCapture {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      cb();
    },
  });
  return { stream, lines };
}

export interface TestStation {
  station: Station;
  port: number;
  dataDir: string;
  logs: LogCapture;
  url(query?: Record<string, string>): string;
  http(path: string): string;
  close(): Promise<void>;
}

export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'station-test-'));
}

/** Writes a user pipeline file into <dataDir>/pipelines. */
export function writePipeline(
  dataDir: string,
  definition: Record<string, unknown>,
  file?: string,
): string {
  const dir = join(dataDir, 'pipelines');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file ?? `${String(definition.id)}.json`);
  writeFileSync(path, JSON.stringify(definition, null, 2));
  return path;
}

/** A pipeline that takes `ms` per frame: makes backpressure deterministic. */
export function slowPipeline(id: string, ms: number): Record<string, unknown> {
  return {
    id,
    name: `Slow ${ms} ms`,
    description: 'Waits to simulate an expensive pipeline',
    nodes: [{ id: 'wait', op: 'delay', needs: [], params: { ms } }],
    outputs: ['wait'],
  };
}

export async function startStation(
  options: StationOptions = {},
  dataDir = makeDataDir(),
): Promise<TestStation> {
  const logs = captureLogs();
  const station = createStation({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    logLevel: 'info',
    logStream: logs.stream,
    rendererDir: null,
    ...options,
  });
  const info = await station.start();
  const port = info.port;
  return {
    station,
    port,
    dataDir,
    logs,
    url(query = {}) {
      const qs = new URLSearchParams(query).toString();
      return `ws://127.0.0.1:${port}${STREAM_PATH}${qs ? `?${qs}` : ''}`;
    },
    http(path: string) {
      return `http://127.0.0.1:${port}${path}`;
    },
    async close() {
      await station.stop();
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Stops a test's station and removes its data dir; returns null for the test's variable. */
export async function disposeStation(station: TestStation | null): Promise<null> {
  if (station) {
    await station.close();
    removeDir(station.dataDir);
  }
  return null;
}

const jpegCache = new Map<string, Buffer>();

/** A real JPEG of the given size (a gradient with a square, so it has structure). */
export async function makeJpeg(width = 320, height = 240, shade = 0): Promise<Buffer> {
  const key = `${width}x${height}:${shade}`;
  const cached = jpegCache.get(key);
  if (cached) return cached;
  const svg = `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">
    <rect width="100%" height="100%" fill="rgb(${shade},${80 + (shade % 100)},160)"/>
    <rect x="${width / 4}" y="${height / 4}" width="${width / 3}" height="${height / 3}" fill="white"/></svg>`;
  const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
  jpegCache.set(key, jpeg);
  return jpeg;
}

export type Message = Record<string, unknown>;

/** A camera socket that records every JSON message and how the socket closed. */
export class TestCamera {
  readonly ws: WebSocket;
  readonly messages: Message[] = [];
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<void>;
  private waiters: Array<() => void> = [];

  constructor(url: string, options?: WebSocket.ClientOptions) {
    this.ws = new WebSocket(url, options);
    this.ws.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`HTTP ${res.statusCode}`)),
      );
    });
    this.opened.catch(() => undefined);
    this.ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) this.messages.push(JSON.parse(data.toString('utf8')) as Message);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const w of this.waiters.splice(0)) w();
      });
    });
  }

  /** Resolves once `predicate` holds over the messages so far (or rejects after `ms`). */
  async until(predicate: (messages: Message[]) => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate(this.messages)) {
      if (Date.now() > deadline) {
        throw new Error(`Timed out; messages: ${JSON.stringify(this.messages.slice(-5))}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  hello(): Message {
    const hello = this.messages.find((m) => 'hello' in m);
    if (!hello) throw new Error('no hello');
    return hello.hello as Message;
  }

  /** Replies that answer a frame (results and drop notices). */
  replies(): Message[] {
    return this.messages.filter((m) => typeof m.frame_index === 'number');
  }

  send(data: Buffer | string): void {
    this.ws.send(data);
  }

  close(): void {
    this.ws.close();
  }
}

/** POSTs a JSON body; the status and the parsed JSON answer. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function waitFor(predicate: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('Timed out waiting for condition');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits for the station's heartbeat to end every session, then checks `cameraId` went offline for it. */
export async function expectEndedByHeartbeat(
  current: TestStation,
  cameraId: string,
): Promise<void> {
  await waitFor(() => current.station.snapshot().sessions.length === 0, 5000);
  const camera = current.station.snapshot().cameras.find((c) => c.camera_id === cameraId);
  if (camera?.online !== false || camera.last_close_reason !== 'heartbeat_timeout') {
    throw new Error(`${cameraId} was not ended by the heartbeat: ${JSON.stringify(camera)}`);
  }
}
