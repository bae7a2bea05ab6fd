/** A simulated camera's options, counters, events and handle. */
import type { HelloMessage } from '../../shared/protocol';
import type { LatencyHistogram, LatencySummary } from './latency-histogram';

export type CameraState = 'idle' | 'connecting' | 'streaming' | 'stopping' | 'closed' | 'failed';

export interface FrameProvider {
  next(): Buffer;
}

export interface CameraClientOptions {
  /** ws://HOST:PORT, with or without /ws/video/stream. */
  url: string;
  cameraId?: string;
  pipelineId?: string;
  token?: string;
  /** Frames per second in open loop (the starting and highest rate when adaptive). */
  fps: number;
  adaptive?: boolean;
  /** Send the next frame only when the previous one got its reply. */
  closedLoop?: boolean;
  frames: FrameProvider;
  /** The station's slow_down interval, for the adaptive climb. Default 1000. */
  slowdownIntervalMs?: number;
  /**
   * In open loop, a frame due while the socket still holds this many unsent
   * bytes is skipped (counted in `skipped`), as a camera with a full send buffer
   * would. Default 4 MiB.
   */
  maxBufferedBytes?: number;
  /** Extra upgrade request headers (e.g. Origin, Authorization). */
  headers?: Record<string, string>;
}

export interface CameraStats {
  cameraId: string;
  state: CameraState;
  sessionId: string | null;
  pipelineId: string | null;
  sent: number;
  processed: number;
  dropped: number;
  failed: number;
  skipped: number;
  slowDowns: number;
  /** Frames sent that have no reply yet. */
  outstanding: number;
  /** Replies that broke the protocol: unknown frame index, results out of order. */
  violations: number;
  fps: number;
  targetFps: number;
  lastSuggestedFps: number | null;
  /** Send-to-result time of processed frames, ms. */
  latency: LatencySummary;
  /** Median of the last 100 results, ms. */
  recentP50: number;
  closeCode: number | null;
  closeReason: string | null;
  /** Protocol error or HTTP refusal that ended the session. */
  error: string | null;
}

export type CameraEvent =
  | { type: 'hello'; hello: HelloMessage['hello'] }
  | { type: 'result'; frameIndex: number; latencyMs: number; failed: boolean }
  | { type: 'dropped'; frameIndex: number }
  | { type: 'slow_down'; dropRate: number; suggestedFps: number; fps: number }
  | { type: 'fps_changed'; fps: number }
  | { type: 'protocol_error'; error: string; detail: string }
  | { type: 'refused'; statusCode: number }
  | { type: 'closed'; code: number; reason: string };

export interface CameraClient {
  /** Connects; resolves with the hello once streaming started, rejects if refused. */
  start(): Promise<HelloMessage['hello']>;
  /** Stops sending, waits up to `drainMs` for the outstanding replies, closes 1000. */
  stop(drainMs?: number): Promise<CameraStats>;
  stats(): CameraStats;
  /** Send-to-result times of processed frames: benchmarks merge and reset it. */
  readonly latency: LatencyHistogram;
  /** Returns unsubscribe. */
  subscribe(listener: (event: CameraEvent) => void): () => void;
}
