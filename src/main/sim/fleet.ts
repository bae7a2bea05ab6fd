/**
 * A fleet of simulated cameras: frame rings rendered in parallel, clients
 * started together, stopped together, their counters and latencies merged.
 */
import {
  createCameraClient,
  type CameraClient,
  type CameraClientOptions,
  type CameraStats,
} from './camera-client';
import { startWithHandoff } from '../fleet/refusal';
import { createFrameSource, type FrameSource } from './frame-source';
import { createLatencyHistogram, type LatencySummary } from './latency-histogram';

export interface FleetOptions {
  url: string;
  cameras: number;
  fps: number;
  width: number;
  height: number;
  pipelineId?: string;
  token?: string;
  adaptive?: boolean;
  closedLoop?: boolean;
  /** Camera ids are PREFIX-1 … PREFIX-N. Default `sim`. */
  cameraPrefix?: string;
  quality?: number;
  /** Frames pre-rendered per camera. Default 30. */
  ringSize?: number;
  slowdownIntervalMs?: number;
  headers?: Record<string, string>;
  /** Per-camera overrides, by position (e.g. one slow camera among flooding ones). */
  overrides?: Partial<Pick<CameraClientOptions, 'fps' | 'adaptive' | 'closedLoop'>>[];
  /** A camera refused by a full station streams to a peer it named instead. */
  onHandoff?: (cameraId: string, url: string) => void;
}

/** The fleet's counters: every camera's summed, latencies merged. */
export type FleetTotals = Pick<
  CameraStats,
  | 'sent'
  | 'processed'
  | 'dropped'
  | 'failed'
  | 'skipped'
  | 'slowDowns'
  | 'outstanding'
  | 'violations'
> & { cameras: number; latency: LatencySummary };

export interface Fleet {
  readonly clients: readonly CameraClient[];
  readonly frameBytes: number;
  /** Connects every camera; resolves once each has its hello or was refused (listed). */
  start(): Promise<{ refused: { cameraId: string; error: string }[] }>;
  stop(drainMs?: number): Promise<CameraStats[]>;
  stats(): CameraStats[];
  totals(): FleetTotals;
}

function cameraIdFor(prefix: string, position: number): string {
  return `${prefix}-${position + 1}`;
}

export async function renderFrameSources(options: FleetOptions): Promise<FrameSource[]> {
  const prefix = options.cameraPrefix ?? 'sim';
  return Promise.all(
    Array.from({ length: options.cameras }, (_, i) =>
      createFrameSource({
        width: options.width,
        height: options.height,
        cameraId: cameraIdFor(prefix, i),
        quality: options.quality,
        ringSize: options.ringSize,
      }),
    ),
  );
}

export function totalsOf(clients: readonly CameraClient[]): FleetTotals {
  const merged = createLatencyHistogram();
  const totals = {
    cameras: clients.length,
    sent: 0,
    processed: 0,
    dropped: 0,
    failed: 0,
    skipped: 0,
    slowDowns: 0,
    outstanding: 0,
    violations: 0,
  };
  for (const client of clients) {
    const s = client.stats();
    totals.sent += s.sent;
    totals.processed += s.processed;
    totals.dropped += s.dropped;
    totals.failed += s.failed;
    totals.skipped += s.skipped;
    totals.slowDowns += s.slowDowns;
    totals.outstanding += s.outstanding;
    totals.violations += s.violations;
    merged.merge(client.latency);
  }
  return { ...totals, latency: merged.summary() };
}

export async function createFleet(options: FleetOptions): Promise<Fleet> {
  const sources = await renderFrameSources(options);
  const prefix = options.cameraPrefix ?? 'sim';
  const clientAt = (i: number, url: string) =>
    createCameraClient({
      url,
      cameraId: cameraIdFor(prefix, i),
      pipelineId: options.pipelineId,
      token: options.token,
      fps: options.fps,
      adaptive: options.adaptive,
      closedLoop: options.closedLoop,
      slowdownIntervalMs: options.slowdownIntervalMs,
      headers: options.headers,
      frames: sources[i]!,
      ...options.overrides?.[i],
    });
  const clients = sources.map((_frames, i) => clientAt(i, options.url));
  /** A full station names peers: the camera goes to the first that takes it. */
  const startCamera = (i: number) =>
    startWithHandoff(options.url, (url) => {
      if (url !== options.url) clients[i] = clientAt(i, url);
      return clients[i]!.start();
    }).then(({ url }) => {
      if (url !== options.url) options.onHandoff?.(cameraIdFor(prefix, i), url);
    });
  const frameBytes = sources.reduce((sum, s) => sum + s.meanBytes, 0) / Math.max(1, sources.length);
  return {
    clients,
    frameBytes,
    async start() {
      const outcomes = await Promise.allSettled(clients.map((_client, i) => startCamera(i)));
      const refused = outcomes.flatMap((outcome, i) =>
        outcome.status === 'rejected'
          ? [{ cameraId: clients[i]!.stats().cameraId, error: String(outcome.reason) }]
          : [],
      );
      return { refused };
    },
    stop(drainMs) {
      return Promise.all(clients.map((client) => client.stop(drainMs)));
    },
    stats() {
      return clients.map((client) => client.stats());
    },
    totals() {
      return totalsOf(clients);
    },
  };
}

/** `1280x720` → { width, height }. */
export function parseSize(text: string): { width: number; height: number } {
  const match = /^(\d+)x(\d+)$/.exec(text.trim());
  if (!match) throw new TypeError(`size must look like 1280x720 (got ${text})`);
  return { width: Number(match[1]), height: Number(match[2]) };
}
