/**
 * A simulated camera speaking the camera protocol (docs/protocol.md): it
 * connects, waits for the hello, streams JPEG frames in open loop (a fixed rate,
 * like a real camera) or closed loop (the next frame when the reply arrives),
 * and keeps count of every reply. With `adaptive` it follows `slow_down`.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { HelloMessage, StationMessage } from '../../shared/protocol';
import { createSendRate, type SendRate } from '../../shared/send-rate';
import type { CameraClient, CameraClientOptions, CameraEvent, CameraState } from './camera-types';
import { createOpenLoop } from './open-loop';
import { ReplyTally } from './reply-tally';
import { readRefusal, StationRefusedError } from '../fleet/refusal';
import { buildStreamUrl } from './stream-url';

export type {
  CameraClient,
  CameraClientOptions,
  CameraEvent,
  CameraState,
  CameraStats,
  FrameProvider,
} from './camera-types';

export function createCameraClient(options: CameraClientOptions): CameraClient {
  if (!options.closedLoop && !(options.fps > 0 && options.fps <= 1000)) {
    throw new TypeError(`fps must be a number above 0 and at most 1000 (got ${options.fps})`);
  }
  const cameraId = options.cameraId ?? 'sim';
  const intervalMs = options.slowdownIntervalMs ?? 1000;
  const listeners = new Set<(event: CameraEvent) => void>();
  const tally = new ReplyTally();
  // The same slow_down follower as the bridge and the camera page.
  const rate: SendRate | null = options.adaptive
    ? createSendRate({ maxFps: options.fps, initialIntervalMs: intervalMs })
    : null;
  const rateFps = () => rate?.limitFps() ?? options.fps;

  let state: CameraState = 'idle';
  let socket: WebSocket | null = null;
  let hello: HelloMessage['hello'] | null = null;
  let slowDowns = 0;
  let lastSuggestedFps: number | null = null;
  let closeCode: number | null = null;
  let closeReason: string | null = null;
  let error: string | null = null;
  let adaptTimer: NodeJS.Timeout | null = null;
  let closedPromise: Promise<void> = Promise.resolve();

  const emit = (event: CameraEvent) => {
    for (const listener of listeners) listener(event);
  };
  // Never faster than the station's message budget (hello.max_fps) allows.
  const currentFps = () => Math.min(rateFps(), hello?.max_fps ?? Infinity);
  const openLoop = createOpenLoop({
    fps: currentFps,
    maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024,
    bufferedAmount: () => socket?.bufferedAmount ?? 0,
    send: sendFrame,
    running: () => state === 'streaming',
  });

  function sendFrame(): void {
    if (!socket || socket.readyState !== WebSocket.OPEN || state !== 'streaming') return;
    const frame = options.frames.next();
    tally.onSent();
    socket.send(frame, { binary: true });
  }

  function afterReply(): void {
    if (options.closedLoop && state === 'streaming') sendFrame();
  }

  function onSlowDown(dropRate: number, suggestedFps: number): void {
    slowDowns++;
    lastSuggestedFps = suggestedFps;
    if (rate?.onSlowDown(suggestedFps, performance.now())) {
      emit({ type: 'fps_changed', fps: rateFps() });
    }
    emit({ type: 'slow_down', dropRate, suggestedFps, fps: currentFps() });
  }

  function handleMessage(message: StationMessage): void {
    if ('hello' in message) {
      hello = message.hello;
      state = 'streaming';
      emit({ type: 'hello', hello });
    } else if ('warning' in message) {
      onSlowDown(message.drop_rate, message.suggested_fps);
    } else if ('dropped' in message) {
      tally.onDropped(message.frame_index);
      emit({ type: 'dropped', frameIndex: message.frame_index });
      afterReply();
    } else if ('result' in message) {
      const isFailure = 'error' in message.result && message.result.error === 'pipeline_failure';
      const ms = tally.onResult(message.frame_index, isFailure);
      if (ms !== null) {
        emit({ type: 'result', frameIndex: message.frame_index, latencyMs: ms, failed: isFailure });
      }
      afterReply();
    } else if ('error' in message) {
      error = `${message.error}: ${message.detail}`;
      emit({ type: 'protocol_error', error: message.error, detail: message.detail });
    }
  }

  function clearTimers(): void {
    openLoop.stop();
    if (adaptTimer) clearInterval(adaptTimer);
    adaptTimer = null;
  }

  /** The hello arrived: frames start, and an adaptive camera starts climbing back. */
  function startStreaming(): void {
    if (options.closedLoop) sendFrame();
    else openLoop.start();
    if (!rate) return;
    adaptTimer = setInterval(
      () => {
        if (rate.tick(performance.now())) emit({ type: 'fps_changed', fps: rateFps() });
      },
      Math.max(50, intervalMs / 4),
    );
  }

  function parseMessage(data: Buffer, isBinary: boolean): StationMessage | null {
    if (isBinary) return null;
    try {
      return JSON.parse(data.toString('utf8')) as StationMessage;
    } catch {
      return null;
    }
  }

  function connect(ws: WebSocket): Promise<HelloMessage['hello']> {
    return new Promise((resolve, reject) => {
      closedPromise = new Promise((resolveClosed) => {
        ws.on('close', (code, reason) => {
          clearTimers();
          closeCode = code;
          closeReason = reason.toString();
          const before = state;
          state = before === 'stopping' || (before === 'streaming' && !error) ? 'closed' : 'failed';
          if (before === 'connecting') {
            reject(new Error(error ?? `closed ${code} before the hello ${closeReason}`.trim()));
          }
          tally.onDrained?.();
          emit({ type: 'closed', code, reason: closeReason });
          resolveClosed();
        });
      });
      ws.on('unexpected-response', (_request, response) => {
        const statusCode = response.statusCode ?? 0;
        error = `HTTP ${statusCode}`;
        state = 'failed';
        emit({ type: 'refused', statusCode });
        // A full station's body names peers with room (docs/fleet.md).
        void readRefusal(response).then((refusal) => {
          ws.terminate();
          reject(new StationRefusedError(refusal));
        });
      });
      ws.on('error', (err) => {
        if (state === 'connecting') {
          error ??= err.message;
          reject(err);
        }
      });
      ws.on('message', (data: Buffer, isBinary) => {
        const message = parseMessage(data, isBinary);
        if (!message) {
          tally.violations++;
          return;
        }
        const wasConnecting = state === 'connecting';
        handleMessage(message);
        if (wasConnecting && hello) {
          resolve(hello);
          startStreaming();
        }
      });
    });
  }

  /** Stops sending, waits up to drainMs for the outstanding replies, then closes 1000. */
  async function drainAndClose(drainMs: number): Promise<void> {
    state = 'stopping';
    clearTimers();
    if (tally.outstanding > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, drainMs);
        tally.onDrained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    socket?.close(1000, 'camera stopped');
    const forceTimer = setTimeout(() => socket?.terminate(), 2000);
    await closedPromise;
    clearTimeout(forceTimer);
  }

  const client: CameraClient = {
    latency: tally.latency,
    start() {
      if (state !== 'idle') return Promise.reject(new Error(`camera ${cameraId} already started`));
      state = 'connecting';
      const url = buildStreamUrl({
        url: options.url,
        pipelineId: options.pipelineId,
        cameraId: options.cameraId,
        token: options.token,
      });
      socket = new WebSocket(url, { headers: options.headers, perMessageDeflate: false });
      return connect(socket);
    },

    async stop(drainMs = 2000) {
      if (state === 'streaming') {
        await drainAndClose(drainMs);
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
        sent: tally.sent,
        processed: tally.processed,
        dropped: tally.dropped,
        failed: tally.failed,
        skipped: openLoop.skipped,
        slowDowns,
        outstanding: tally.outstanding,
        violations: tally.violations,
        fps: currentFps(),
        targetFps: options.fps,
        lastSuggestedFps,
        latency: tally.latency.summary(),
        recentP50: tally.recentMedian(),
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
