/**
 * A simulated camera speaking the camera protocol (docs/protocol.md): it
 * connects, waits for the hello, streams JPEG frames in open loop (a fixed rate,
 * like a real camera) or closed loop (the next frame when the reply arrives),
 * and keeps count of every reply. With `adaptive` it follows `slow_down`.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { HelloMessage, StationMessage } from '../../shared/protocol';
import { createAdaptiveRate, type AdaptiveRate } from './adaptive-rate';
import {
  createLatencyHistogram,
  type LatencyHistogram,
  type LatencySummary,
} from './latency-histogram';
import { buildStreamUrl } from './stream-url';

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

const RECENT = 100;

export function createCameraClient(options: CameraClientOptions): CameraClient {
  if (!options.closedLoop && !(options.fps > 0 && options.fps <= 1000)) {
    throw new TypeError(`fps must be a number above 0 and at most 1000 (got ${options.fps})`);
  }
  const cameraId = options.cameraId ?? 'sim';
  const maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const intervalMs = options.slowdownIntervalMs ?? 1000;
  const listeners = new Set<(event: CameraEvent) => void>();
  const latency = createLatencyHistogram();
  const recent = new Float64Array(RECENT);
  let recentCount = 0;
  const sentAt = new Map<number, number>();
  const rate: AdaptiveRate | null = options.adaptive
    ? createAdaptiveRate({ targetFps: options.fps, intervalMs })
    : null;

  let state: CameraState = 'idle';
  let socket: WebSocket | null = null;
  let hello: HelloMessage['hello'] | null = null;
  let sent = 0;
  let processed = 0;
  let dropped = 0;
  let failed = 0;
  let skipped = 0;
  let slowDowns = 0;
  let violations = 0;
  let lastResultIndex = 0;
  let lastSuggestedFps: number | null = null;
  let closeCode: number | null = null;
  let closeReason: string | null = null;
  let error: string | null = null;
  let sendTimer: NodeJS.Timeout | null = null;
  let adaptTimer: NodeJS.Timeout | null = null;
  let nextDue = 0;
  let onDrained: (() => void) | null = null;
  let closedPromise: Promise<void> = Promise.resolve();

  const emit = (event: CameraEvent) => {
    for (const listener of listeners) listener(event);
  };
  const currentFps = () => rate?.fps ?? options.fps;

  function sendFrame(): void {
    if (!socket || socket.readyState !== WebSocket.OPEN || state !== 'streaming') return;
    const frame = options.frames.next();
    sent++;
    sentAt.set(sent, performance.now());
    socket.send(frame, { binary: true });
  }

  function scheduleOpenLoop(): void {
    const now = performance.now();
    const period = 1000 / currentFps();
    if (nextDue === 0) nextDue = now;
    while (nextDue <= now) {
      // A frame whose time came while the previous one still sits in the send
      // buffer is lost, as on a real camera; and a late timer does not burst.
      if (socket && socket.bufferedAmount > maxBufferedBytes) skipped++;
      else sendFrame();
      nextDue += period;
      if (nextDue < now - period) {
        skipped += Math.floor((now - nextDue) / period);
        nextDue = now + period;
      }
    }
    if (state === 'streaming') {
      sendTimer = setTimeout(scheduleOpenLoop, Math.max(0, nextDue - performance.now()));
    }
  }

  function onReply(frameIndex: number): number | null {
    const at = sentAt.get(frameIndex);
    if (at === undefined) {
      violations++;
      return null;
    }
    sentAt.delete(frameIndex);
    if (sentAt.size === 0 && onDrained) onDrained();
    return performance.now() - at;
  }

  function afterReply(): void {
    if (options.closedLoop && state === 'streaming') sendFrame();
  }

  function handleMessage(message: StationMessage): void {
    if ('hello' in message) {
      hello = message.hello;
      state = 'streaming';
      emit({ type: 'hello', hello });
      return;
    }
    if ('warning' in message) {
      slowDowns++;
      lastSuggestedFps = message.suggested_fps;
      if (rate) {
        const before = rate.fps;
        rate.onSlowDown(message.suggested_fps, performance.now());
        if (rate.fps !== before) emit({ type: 'fps_changed', fps: rate.fps });
      }
      emit({
        type: 'slow_down',
        dropRate: message.drop_rate,
        suggestedFps: message.suggested_fps,
        fps: currentFps(),
      });
      return;
    }
    if ('dropped' in message) {
      if (onReply(message.frame_index) !== null) dropped++;
      emit({ type: 'dropped', frameIndex: message.frame_index });
      afterReply();
      return;
    }
    if ('result' in message) {
      const ms = onReply(message.frame_index);
      if (message.frame_index <= lastResultIndex) violations++;
      lastResultIndex = message.frame_index;
      const isFailure = 'error' in message.result && message.result.error === 'pipeline_failure';
      if (ms !== null) {
        processed++;
        if (isFailure) failed++;
        latency.record(ms);
        recent[recentCount++ % RECENT] = ms;
        emit({ type: 'result', frameIndex: message.frame_index, latencyMs: ms, failed: isFailure });
      }
      afterReply();
      return;
    }
    if ('error' in message) {
      error = `${message.error}: ${message.detail}`;
      emit({ type: 'protocol_error', error: message.error, detail: message.detail });
    }
  }

  function clearTimers(): void {
    if (sendTimer) clearTimeout(sendTimer);
    if (adaptTimer) clearInterval(adaptTimer);
    sendTimer = null;
    adaptTimer = null;
  }

  function recentMedian(): number {
    const n = Math.min(recentCount, RECENT);
    if (n === 0) return 0;
    const sorted = Array.from(recent.subarray(0, n)).sort((a, b) => a - b);
    return sorted[Math.floor((n - 1) / 2)]!;
  }

  const client: CameraClient = {
    latency,
    start() {
      if (state !== 'idle') return Promise.reject(new Error(`camera ${cameraId} already started`));
      state = 'connecting';
      const url = buildStreamUrl({
        url: options.url,
        pipelineId: options.pipelineId,
        cameraId: options.cameraId,
        token: options.token,
      });
      const ws = new WebSocket(url, { headers: options.headers, perMessageDeflate: false });
      socket = ws;
      return new Promise((resolve, reject) => {
        closedPromise = new Promise((resolveClosed) => {
          ws.on('close', (code, reason) => {
            clearTimers();
            closeCode = code;
            closeReason = reason.toString();
            const before = state;
            state =
              before === 'stopping' || (before === 'streaming' && !error) ? 'closed' : 'failed';
            if (before === 'connecting') {
              reject(new Error(error ?? `closed ${code} before the hello ${closeReason}`.trim()));
            }
            onDrained?.();
            emit({ type: 'closed', code, reason: closeReason });
            resolveClosed();
          });
        });
        ws.on('unexpected-response', (_request, response) => {
          const statusCode = response.statusCode ?? 0;
          error = `HTTP ${statusCode}`;
          state = 'failed';
          emit({ type: 'refused', statusCode });
          response.resume();
          ws.terminate();
          reject(new Error(`station refused the camera: HTTP ${statusCode}`));
        });
        ws.on('error', (err) => {
          if (state === 'connecting') {
            error ??= err.message;
            reject(err);
          }
        });
        ws.on('message', (data: Buffer, isBinary) => {
          if (isBinary) {
            violations++;
            return;
          }
          let message: StationMessage;
          try {
            message = JSON.parse(data.toString('utf8')) as StationMessage;
          } catch {
            violations++;
            return;
          }
          const wasConnecting = state === 'connecting';
          handleMessage(message);
          if (wasConnecting && hello) {
            resolve(hello);
            if (options.closedLoop) sendFrame();
            else scheduleOpenLoop();
            if (rate) {
              adaptTimer = setInterval(
                () => {
                  const before = rate.fps;
                  if (rate.tick(performance.now()) !== before) {
                    emit({ type: 'fps_changed', fps: rate.fps });
                  }
                },
                Math.max(50, intervalMs / 4),
              );
            }
          }
        });
      });
    },

    async stop(drainMs = 2000) {
      if (state === 'streaming') {
        state = 'stopping';
        clearTimers();
        if (sentAt.size > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, drainMs);
            onDrained = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        socket?.close(1000, 'camera stopped');
        const forceTimer = setTimeout(() => socket?.terminate(), 2000);
        await closedPromise;
        clearTimeout(forceTimer);
      } else if (state === 'connecting') {
        socket?.terminate();
        await closedPromise;
      }
      return client.stats();
    },

    stats() {
      return {
        cameraId,
        state,
        sessionId: hello?.session_id ?? null,
        pipelineId: hello?.pipeline_id ?? null,
        sent,
        processed,
        dropped,
        failed,
        skipped,
        slowDowns,
        outstanding: sentAt.size,
        violations,
        fps: currentFps(),
        targetFps: options.fps,
        lastSuggestedFps,
        latency: latency.summary(),
        recentP50: recentMedian(),
        closeCode,
        closeReason,
        error,
      };
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return client;
}
