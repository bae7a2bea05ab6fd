/**
 * The camera protocol from the browser: connects to the station that served
 * this page, waits for the hello, sends one JPEG per binary message at the
 * chosen rate, counts every reply, follows `slow_down`, and reconnects after a
 * lost connection — but not after a technician's close (4001) or a
 * replacement (4002). A camera name in use elsewhere (4003) is retried no
 * sooner than the station asks (stream-close.ts).
 */
import {
  CloseCode,
  STREAM_PATH,
  type HelloMessage,
  type StationMessage,
} from '../../shared/protocol';
import { createSendRate, type SendRate, type SendRateState } from '../../shared/send-rate';
import { closeOutcome } from './stream-close';

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
/** How often a slowed rate may rise again. */
const RATE_TICK_MS = 250;

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

function initialStats(fps: number, limitFps: number | null): StreamStats {
  return {
    state: 'idle',
    sent: 0,
    processed: 0,
    failed: 0,
    dropped: 0,
    slowDowns: 0,
    targetFps: fps,
    limitFps,
    rateState: 'free',
    sessionId: null,
    pipelineId: null,
    lastResult: null,
    encodeMs: null,
    message: '',
  };
}

/** One camera's stream: the socket, the station's replies, closes and the frame pump. */
class CameraStream implements StreamClient {
  private readonly rate: SendRate;
  private readonly current: StreamStats;
  private ws: WebSocket | null = null;
  private maxFrameBytes = Number.POSITIVE_INFINITY;
  private lastSentAt: number | null = null;
  private pumpTimer: number | undefined;
  private retryTimer: number | undefined;
  private rateTimer: number | undefined;
  private retries = 0;
  private opened = false;
  private lastError = '';

  constructor(private readonly options: StreamClientOptions) {
    this.rate = createSendRate({ maxFps: options.fps });
    this.current = initialStats(options.fps, this.rate.limitFps());
  }

  start(): void {
    this.rateTimer = window.setInterval(() => this.raiseRate(), RATE_TICK_MS);
    this.connect();
  }

  stop(): void {
    this.current.state = 'stopped';
    this.current.message = '';
    this.cleanup();
    const socket = this.ws;
    this.ws = null;
    socket?.close(CloseCode.normal);
    this.changed();
  }

  stats(): StreamStats {
    return { ...this.current };
  }

  private changed(): void {
    const snap = this.rate.snapshot();
    this.current.limitFps = snap.limitFps;
    this.current.rateState = snap.state;
    this.options.onChange({ ...this.current });
  }

  private raiseRate(): void {
    if (!this.rate.tick(performance.now())) return;
    const limit = this.rate.limitFps();
    this.current.message =
      this.rate.snapshot().state === 'free'
        ? ''
        : `Raising the rate again: ${limit?.toFixed(1) ?? '–'} fps.`;
    this.changed();
  }

  private connect(): void {
    this.current.state = this.retries === 0 ? 'connecting' : 'reconnecting';
    this.opened = false;
    this.lastError = '';
    this.changed();
    const socket = new WebSocket(streamSocketUrl(window.location, this.options));
    socket.binaryType = 'arraybuffer';
    this.ws = socket;
    socket.onopen = () => {
      this.opened = true;
    };
    socket.onmessage = (event: MessageEvent<unknown>) => {
      if (typeof event.data !== 'string') return;
      this.onMessage(JSON.parse(event.data) as StationMessage);
    };
    socket.onclose = (event) => this.onClose(socket, event.code, event.reason);
  }

  private onMessage(message: StationMessage): void {
    if ('hello' in message) return this.onHello(message.hello);
    const stats = this.current;
    if ('warning' in message) {
      stats.slowDowns += 1;
      this.rate.onSlowDown(message.suggested_fps, performance.now());
      stats.message = `The station is behind: sending at ${message.suggested_fps.toFixed(1)} fps for now.`;
    } else if ('dropped' in message) {
      stats.dropped += 1;
    } else if ('result' in message) {
      if (message.result.error === 'pipeline_failure') stats.failed += 1;
      else stats.processed += 1;
      stats.lastResult = message.result;
    } else if ('error' in message) {
      this.lastError = `${message.error}: ${message.detail}`;
    }
    this.changed();
  }

  private onHello(hello: HelloMessage['hello']): void {
    this.retries = 0;
    this.current.state = 'streaming';
    this.current.sessionId = hello.session_id;
    this.current.pipelineId = hello.pipeline_id;
    this.maxFrameBytes = hello.max_frame_bytes;
    // The station's message budget caps the rate (an older station names none).
    if (hello.max_fps > 0) this.rate.setMaxFps(Math.min(this.options.fps, hello.max_fps));
    this.current.message =
      hello.pipeline_source === 'pinned'
        ? `The station runs pipeline "${hello.pipeline_id}" for this camera (chosen by the technician).`
        : '';
    this.changed();
    this.schedulePump(0);
  }

  private onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.ws) return;
    this.ws = null;
    window.clearTimeout(this.pumpTimer);
    this.current.sessionId = null;
    if (this.current.state === 'stopped') return this.changed();
    const outcome = closeOutcome(code, reason, {
      cameraId: this.options.cameraId,
      retries: this.retries,
      opened: this.opened,
      lastError: this.lastError,
    });
    if (outcome.kind === 'final') return this.finish(outcome.state, outcome.message);
    this.retries += 1;
    if (!this.opened) this.options.onRefused?.();
    this.current.state = 'reconnecting';
    this.current.message = outcome.message;
    this.changed();
    this.retryTimer = window.setTimeout(() => this.connect(), outcome.delayMs);
  }

  private finish(state: 'stopped' | 'error', message: string): void {
    this.current.state = state;
    this.current.message = message;
    this.cleanup();
    this.changed();
  }

  private cleanup(): void {
    window.clearTimeout(this.pumpTimer);
    window.clearTimeout(this.retryTimer);
    window.clearInterval(this.rateTimer);
  }

  private schedulePump(ms: number): void {
    window.clearTimeout(this.pumpTimer);
    this.pumpTimer = window.setTimeout(() => void this.pump(), Math.max(0, ms));
  }

  /** Sends the next frame when the rate and the socket allow, then schedules the one after. */
  private async pump(): Promise<void> {
    const socket = this.ws;
    if (!socket || this.current.state !== 'streaming' || socket.readyState !== WebSocket.OPEN)
      return;
    const now = performance.now();
    const at = this.rate.nextSendAt(this.lastSentAt);
    if (now < at) return this.schedulePump(at - now);
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return this.schedulePump(20);
    const frame = await this.grabTimed();
    if (socket !== this.ws || this.current.state !== 'streaming') return;
    if (!frame || frame.byteLength === 0) return this.schedulePump(50);
    if (frame.byteLength > this.maxFrameBytes) {
      this.current.message = `Frames are larger than the station accepts (${this.maxFrameBytes} bytes): pick a lower resolution or quality.`;
      this.changed();
      return this.schedulePump(1000);
    }
    socket.send(frame);
    this.current.sent += 1;
    const limit = this.rate.limitFps();
    // Keep the average rate: pace from the ideal slot unless we fell far behind.
    this.lastSentAt =
      limit !== null && this.lastSentAt !== null && now - at < 1000 / limit ? at : now;
    this.changed();
    this.schedulePump(this.rate.nextSendAt(this.lastSentAt) - performance.now());
  }

  /** The page's frame, with the time it took to grab and encode (smoothed). */
  private async grabTimed(): Promise<ArrayBuffer | null> {
    const started = performance.now();
    const frame = await this.options.grab();
    const took = performance.now() - started;
    const previous = this.current.encodeMs;
    this.current.encodeMs = previous === null ? took : previous * 0.8 + took * 0.2;
    return frame;
  }
}

export function createStreamClient(options: StreamClientOptions): StreamClient {
  return new CameraStream(options);
}
