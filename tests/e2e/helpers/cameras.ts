/**
 * Simulated cameras for the UI tests: the project's simulator (src/main/sim)
 * for fleets, and a raw protocol client that keeps every reply, to see what
 * results a camera receives.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  createCameraClient,
  createFrameSource,
  type CameraClient,
  type FrameSource,
} from '../../../src/main/sim';

export interface Fleet {
  clients: CameraClient[];
  stop(): Promise<void>;
}

export interface FleetOptions {
  url: string;
  count: number;
  fps: number;
  prefix: string;
  pipelineId?: string;
  width?: number;
  height?: number;
}

const sources = new Map<string, Promise<FrameSource>>();

/** Frames are rendered once per size and shared: rendering 32 rings would cost seconds. */
function framesFor(width: number, height: number, label: string): Promise<FrameSource> {
  const key = `${width}x${height}:${label}`;
  let source = sources.get(key);
  if (!source) {
    source = createFrameSource({ width, height, cameraId: label, ringSize: 12 });
    sources.set(key, source);
  }
  return source;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const width = options.width ?? 320;
  const height = options.height ?? 180;
  const clients: CameraClient[] = [];
  for (let i = 1; i <= options.count; i += 1) {
    const cameraId = `${options.prefix}-${String(i).padStart(2, '0')}`;
    // A handful of distinct looks is enough to tell previews apart.
    const frames = await framesFor(width, height, `${options.prefix}-${i % 4}`);
    const client = createCameraClient({
      url: options.url,
      cameraId,
      pipelineId: options.pipelineId,
      fps: options.fps,
      frames,
    });
    await client.start();
    clients.push(client);
  }
  return {
    clients,
    async stop() {
      await Promise.all(clients.map((c) => c.stop(500)));
    },
  };
}

export interface ReplyRecord {
  frame_index?: number;
  dropped?: boolean;
  result?: Record<string, unknown>;
  pipeline?: { id: string; version: string };
  hello?: { session_id: string; pipeline_id: string; pipeline_source: string };
  warning?: string;
}

/** A camera that keeps every message the station sends it. */
export interface RecordingCamera {
  replies: ReplyRecord[];
  sessionId: string;
  /** Stops sending frames but keeps the connection open (a camera that hangs). */
  pause(): void;
  stop(): Promise<void>;
}

export async function startRecordingCamera(options: {
  url: string;
  cameraId: string;
  pipelineId?: string;
  fps: number;
}): Promise<RecordingCamera> {
  const frames = await framesFor(320, 180, options.cameraId);
  const url = new URL(options.url);
  url.searchParams.set('camera_id', options.cameraId);
  if (options.pipelineId) url.searchParams.set('pipeline_id', options.pipelineId);
  const socket = new WebSocket(url);
  const replies: ReplyRecord[] = [];
  const hello = new Promise<string>((resolve, reject) => {
    socket.once('error', reject);
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as ReplyRecord;
      replies.push(message);
      if (message.hello) resolve(message.hello.session_id);
    });
  });
  const sessionId = await hello;
  const timer = setInterval(() => {
    if (socket.readyState === WebSocket.OPEN) socket.send(frames.next());
  }, 1000 / options.fps);
  return {
    replies,
    sessionId,
    pause() {
      clearInterval(timer);
    },
    async stop() {
      clearInterval(timer);
      if (socket.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close(1000, 'test done');
      });
    },
  };
}

/** A recorded session on disk: its folder and the lines of its results.jsonl. */
export interface RecordedOnDisk {
  sessionDir: string;
  lines: string[];
}

/** One simulated camera streams through the `record` pipeline for `ms`, then leaves. */
export async function recordSession(options: {
  url: string;
  dataDir: string;
  prefix: string;
  ms: number;
}): Promise<RecordedOnDisk> {
  const fleet = await startFleet({
    url: options.url,
    count: 1,
    fps: 10,
    prefix: options.prefix,
    pipelineId: 'record',
  });
  await new Promise((r) => setTimeout(r, options.ms));
  await fleet.stop();
  const cameraDir = join(options.dataDir, 'recordings', `${options.prefix}-01`);
  const sessionDir = join(cameraDir, readdirSync(cameraDir)[0]!);
  const lines = readFileSync(join(sessionDir, 'results.jsonl'), 'utf8').trim().split('\n');
  return { sessionDir, lines };
}
