/**
 * The camera protocol from the browser: connects to the station that served
 * this page, waits for the hello, sends one JPEG per binary message at the
 * chosen rate, counts every reply, follows `slow_down`, and reconnects after a
 * lost connection — but not after a technician's close (4001) or a
 * replacement (4002). A camera name in use elsewhere (4003) is retried no
 * sooner than the station asks.
 */
import {
  CloseCode,
  retryAfterFromReason,
  STREAM_PATH,
  type StationMessage,
} from '../../shared/protocol';
import { createSendRate, type SendRate, type SendRateState } from '../../shared/send-rate';

export type StreamState =
  'idle' | 'connecting' | 'streaming' | 'reconnecting' | 'stopped' | 'error';

export interface StreamStats {
  state: StreamState;
  sent: number;
  processed: number;
  failed: number;
  dropped: number;
  slowDowns: number;
  targetFps: number;
  limitFps: number | null;
  rateState: SendRateState;
  sessionId: string | null;
  pipelineId: string | null;
  lastResult: unknown;
  /** Time to grab and encode one frame in the page, ms (smoothed). */
  encodeMs: number | null;
  /** What the technician should know now (an error, why streaming stopped). */
  message: string;
}

export interface StreamClientOptions {
  cameraId: string;
  /** Empty: the station's default pipeline. */
  pipelineId: string;
  token: string;
  fps: number;
  /** The current frame as JPEG bytes, or null when there is none yet. */
  grab(): Promise<ArrayBuffer | null>;
  onChange(stats: StreamStats): void;
  /** The station did not take the socket (no hello): it may be full (see handoff.ts). */
  onRefused?(): void;
}

export interface StreamClient {
  start(): void;
  stop(): void;
  stats(): StreamStats;
}

/** Do not queue frames in a slow socket. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10_000;

export function streamSocketUrl(
  location: Location,
  options: Pick<StreamClientOptions, 'cameraId' | 'pipelineId' | 'token'>,
): string {
  const url = new URL(STREAM_PATH, location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('camera_id', options.cameraId);
  if (options.pipelineId) url.searchParams.set('pipeline_id', options.pipelineId);
  // Browsers cannot set an Authorization header on a WebSocket: the query parameter it is.
  if (options.token) url.searchParams.set('token', options.token);
  return url.toString();
}

export function createStreamClient(options: StreamClientOptions): StreamClient {
  const rate: SendRate = createSendRate({ maxFps: options.fps });
  const stats: StreamStats = {
    state: 'idle',
    sent: 0,
    processed: 0,
    failed: 0,
    dropped: 0,
    slowDowns: 0,
    targetFps: options.fps,
    limitFps: rate.limitFps(),
    rateState: 'free',
    sessionId: null,
    pipelineId: null,
    lastResult: null,
    encodeMs: null,
    message: '',
  };
  let ws: WebSocket | null = null;
  let maxFrameBytes = Number.POSITIVE_INFINITY;
  let lastSentAt: number | null = null;
  let pumpTimer: number | undefined;
  let retryTimer: number | undefined;
  let rateTimer: number | undefined;
  let retries = 0;
  let opened = false;
  let lastError = '';

  function changed(): void {
    const snap = rate.snapshot();
    stats.limitFps = snap.limitFps;
    stats.rateState = snap.state;
    options.onChange({ ...stats });
  }

  function connect(): void {
    stats.state = retries === 0 ? 'connecting' : 'reconnecting';
    opened = false;
    lastError = '';
    changed();
    const socket = new WebSocket(streamSocketUrl(window.location, options));
    socket.binaryType = 'arraybuffer';
    ws = socket;
    socket.onopen = () => {
      opened = true;
    };
    socket.onmessage = (event: MessageEvent<unknown>) => {
      if (typeof event.data !== 'string') return;
      onMessage(JSON.parse(event.data) as StationMessage);
    };
    socket.onclose = (event) => onClose(socket, event.code, event.reason);
  }

  function onMessage(message: StationMessage): void {
    if ('hello' in message) {
      retries = 0;
      stats.state = 'streaming';
      stats.sessionId = message.hello.session_id;
      stats.pipelineId = message.hello.pipeline_id;
      maxFrameBytes = message.hello.max_frame_bytes;
      // The station's message budget caps the rate (an older station names none).
      if (message.hello.max_fps > 0) rate.setMaxFps(Math.min(options.fps, message.hello.max_fps));
      stats.message =
        message.hello.pipeline_source === 'pinned'
          ? `The station runs pipeline "${message.hello.pipeline_id}" for this camera (chosen by the technician).`
          : '';
      changed();
      schedulePump(0);
      return;
    }
    if ('warning' in message) {
      stats.slowDowns += 1;
      rate.onSlowDown(message.suggested_fps, performance.now());
      stats.message = `The station is behind: sending at ${message.suggested_fps.toFixed(1)} fps for now.`;
    } else if ('dropped' in message) {
      stats.dropped += 1;
    } else if ('result' in message) {
      if (message.result.error === 'pipeline_failure') stats.failed += 1;
      else stats.processed += 1;
      stats.lastResult = message.result;
    } else if ('error' in message) {
      lastError = `${message.error}: ${message.detail}`;
    }
    changed();
  }

  function onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== ws) return;
    ws = null;
    window.clearTimeout(pumpTimer);
    stats.sessionId = null;
    if (stats.state === 'stopped') return changed();
    const why = lastError || reason;
    switch (code) {
      case CloseCode.disconnectedByTechnician:
        return finish('stopped', 'A technician disconnected this camera at the station.');
      case CloseCode.replaced:
        return finish(
          'stopped',
          'Another camera with the same name connected and replaced this one.',
        );
      case CloseCode.policyViolation:
      case CloseCode.unsupportedData:
      case CloseCode.invalidPayload:
      case CloseCode.messageTooBig:
        return finish('error', `The station refused the stream (${code}${why ? `: ${why}` : ''}).`);
    }
    const inUse = code === CloseCode.cameraInUse;
    const asked = inUse ? (retryAfterFromReason(reason) ?? 0) * 1000 : 0;
    const delay = Math.max(asked, Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** retries));
    retries += 1;
    if (!opened) options.onRefused?.();
    stats.state = 'reconnecting';
    const seconds = Math.round(delay / 1000);
    stats.message = inUse
      ? `Another device is streaming as camera "${options.cameraId}"; retrying in ${seconds} s. Pick another camera name if it stays.`
      : opened
        ? `Connection lost (${code}); reconnecting in ${seconds} s.`
        : `Could not connect (wrong token, page origin refused, or station full?); retrying in ${seconds} s.`;
    changed();
    retryTimer = window.setTimeout(connect, delay);
  }

  function finish(state: 'stopped' | 'error', message: string): void {
    stats.state = state;
    stats.message = message;
    cleanup();
    changed();
  }

  function cleanup(): void {
    window.clearTimeout(pumpTimer);
    window.clearTimeout(retryTimer);
    window.clearInterval(rateTimer);
  }

  function schedulePump(ms: number): void {
    window.clearTimeout(pumpTimer);
    pumpTimer = window.setTimeout(() => void pump(), Math.max(0, ms));
  }

  async function pump(): Promise<void> {
    const socket = ws;
    if (!socket || stats.state !== 'streaming' || socket.readyState !== WebSocket.OPEN) return;
    const now = performance.now();
    const at = rate.nextSendAt(lastSentAt);
    if (now < at) return schedulePump(at - now);
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return schedulePump(20);
    const started = performance.now();
    const frame = await options.grab();
    const took = performance.now() - started;
    stats.encodeMs = stats.encodeMs === null ? took : stats.encodeMs * 0.8 + took * 0.2;
    if (socket !== ws || stats.state !== 'streaming') return;
    if (!frame || frame.byteLength === 0) return schedulePump(50);
    if (frame.byteLength > maxFrameBytes) {
      stats.message = `Frames are larger than the station accepts (${maxFrameBytes} bytes): pick a lower resolution or quality.`;
      changed();
      return schedulePump(1000);
    }
    socket.send(frame);
    stats.sent += 1;
    const limit = rate.limitFps();
    // Keep the average rate: pace from the ideal slot unless we fell far behind.
    lastSentAt = limit !== null && lastSentAt !== null && now - at < 1000 / limit ? at : now;
    changed();
    schedulePump(rate.nextSendAt(lastSentAt) - performance.now());
  }

  return {
    start() {
      rateTimer = window.setInterval(() => {
        if (rate.tick(performance.now())) {
          const limit = rate.limitFps();
          stats.message =
            rate.snapshot().state === 'free'
              ? ''
              : `Raising the rate again: ${limit?.toFixed(1) ?? '–'} fps.`;
          changed();
        }
      }, 250);
      connect();
    },
    stop() {
      stats.state = 'stopped';
      stats.message = '';
      cleanup();
      const socket = ws;
      ws = null;
      socket?.close(CloseCode.normal);
      changed();
    },
    stats: () => ({ ...stats }),
  };
}
