/**
 * A simulated camera speaking the camera protocol (docs/protocol.md): it
 * connects, waits for the hello, streams JPEG frames in open loop (a fixed rate,
 * like a real camera) or closed loop (the next frame when the reply arrives),
 * and keeps count of every reply. With `adaptive` it follows `slow_down`.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Listeners } from '../../shared/listeners';
import type { HelloMessage, StationMessage } from '../../shared/protocol';
import { createSendRate, type SendRate } from '../../shared/send-rate';
import type {
  CameraClient,
  CameraClientOptions,
  CameraEvent,
  CameraState,
  CameraStats,
} from './camera-types';
import type { LatencyHistogram } from './latency-histogram';
import { createOpenLoop, type OpenLoop } from './open-loop';
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

/** The station's hello: the session, its pipeline and the message budget. */
type Hello = HelloMessage['hello'];

function parseMessage(data: Buffer, isBinary: boolean): StationMessage | null {
  if (isBinary) return null;
  try {
    return JSON.parse(data.toString('utf8')) as StationMessage;
  } catch {
    return null;
  }
}

class SimulatedCamera implements CameraClient {
  private readonly cameraId: string;
  private readonly intervalMs: number;
  private readonly listeners = new Listeners<CameraEvent>();
  private readonly tally = new ReplyTally();
  /** The same slow_down follower as the bridge and the camera page. */
  private readonly rate: SendRate | null;
  private readonly openLoop: OpenLoop;
  readonly latency: LatencyHistogram;

  private state: CameraState = 'idle';
  private socket: WebSocket | null = null;
  private hello: Hello | null = null;
  private slowDowns = 0;
  private lastSuggestedFps: number | null = null;
  private closeCode: number | null = null;
  private closeReason: string | null = null;
  private error: string | null = null;
  private adaptTimer: NodeJS.Timeout | null = null;
  private closedPromise: Promise<void> = Promise.resolve();

  constructor(private readonly options: CameraClientOptions) {
    if (!options.closedLoop && !(options.fps > 0 && options.fps <= 1000)) {
      throw new TypeError(`fps must be a number above 0 and at most 1000 (got ${options.fps})`);
    }
    this.cameraId = options.cameraId ?? 'sim';
    this.intervalMs = options.slowdownIntervalMs ?? 1000;
    this.rate = options.adaptive
      ? createSendRate({ maxFps: options.fps, initialIntervalMs: this.intervalMs })
      : null;
    this.latency = this.tally.latency;
    this.openLoop = createOpenLoop({
      fps: () => this.currentFps(),
      maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024,
      bufferedAmount: () => this.socket?.bufferedAmount ?? 0,
      send: () => this.sendFrame(),
      running: () => this.state === 'streaming',
    });
  }

  start(): Promise<Hello> {
    if (this.state !== 'idle') {
      return Promise.reject(new Error(`camera ${this.cameraId} already started`));
    }
    this.state = 'connecting';
    const { options } = this;
    const url = buildStreamUrl({
      url: options.url,
      pipelineId: options.pipelineId,
      cameraId: options.cameraId,
      token: options.token,
    });
    this.socket = new WebSocket(url, { headers: options.headers, perMessageDeflate: false });
    return this.connect(this.socket);
  }

  async stop(drainMs = 2000): Promise<CameraStats> {
    if (this.state === 'streaming') {
      await this.drainAndClose(drainMs);
    } else if (this.state === 'connecting') {
      this.socket?.terminate();
      await this.closedPromise;
    }
    return this.stats();
  }

  stats(): CameraStats {
    const { tally, hello } = this;
    return {
      cameraId: this.cameraId,
      state: this.state,
      sessionId: hello?.session_id ?? null,
      pipelineId: hello?.pipeline_id ?? null,
      sent: tally.sent,
      processed: tally.processed,
      dropped: tally.dropped,
      failed: tally.failed,
      skipped: this.openLoop.skipped,
      slowDowns: this.slowDowns,
      outstanding: tally.outstanding,
      violations: tally.violations,
      fps: this.currentFps(),
      targetFps: this.options.fps,
      lastSuggestedFps: this.lastSuggestedFps,
      latency: tally.latency.summary(),
      recentP50: tally.recentMedian(),
      closeCode: this.closeCode,
      closeReason: this.closeReason,
      error: this.error,
    };
  }

  subscribe(listener: (event: CameraEvent) => void): () => void {
    return this.listeners.subscribe(listener);
  }

  private rateFps(): number {
    return this.rate?.limitFps() ?? this.options.fps;
  }

  /** Never faster than the station's message budget (hello.max_fps) allows. */
  private currentFps(): number {
    return Math.min(this.rateFps(), this.hello?.max_fps ?? Infinity);
  }

  private sendFrame(): void {
    const { socket } = this;
    if (!socket || socket.readyState !== WebSocket.OPEN || this.state !== 'streaming') return;
    const frame = this.options.frames.next();
    this.tally.onSent();
    socket.send(frame, { binary: true });
  }

  private afterReply(): void {
    if (this.options.closedLoop && this.state === 'streaming') this.sendFrame();
  }

  private onSlowDown(dropRate: number, suggestedFps: number): void {
    this.slowDowns++;
    this.lastSuggestedFps = suggestedFps;
    if (this.rate?.onSlowDown(suggestedFps, performance.now())) {
      this.listeners.emit({ type: 'fps_changed', fps: this.rateFps() });
    }
    this.listeners.emit({ type: 'slow_down', dropRate, suggestedFps, fps: this.currentFps() });
  }

  private onResult(frameIndex: number, result: Record<string, unknown>): void {
    const isFailure = 'error' in result && result.error === 'pipeline_failure';
    const ms = this.tally.onResult(frameIndex, isFailure);
    if (ms !== null)
      this.listeners.emit({ type: 'result', frameIndex, latencyMs: ms, failed: isFailure });
    this.afterReply();
  }

  private handleMessage(message: StationMessage): void {
    if ('hello' in message) {
      this.hello = message.hello;
      this.state = 'streaming';
      this.listeners.emit({ type: 'hello', hello: message.hello });
    } else if ('warning' in message) {
      this.onSlowDown(message.drop_rate, message.suggested_fps);
    } else if ('dropped' in message) {
      this.tally.onDropped(message.frame_index);
      this.listeners.emit({ type: 'dropped', frameIndex: message.frame_index });
      this.afterReply();
    } else if ('result' in message) {
      this.onResult(message.frame_index, message.result);
    } else if ('error' in message) {
      this.error = `${message.error}: ${message.detail}`;
      this.listeners.emit({ type: 'protocol_error', error: message.error, detail: message.detail });
    }
  }

  private clearTimers(): void {
    this.openLoop.stop();
    if (this.adaptTimer) clearInterval(this.adaptTimer);
    this.adaptTimer = null;
  }

  /** The hello arrived: frames start, and an adaptive camera starts climbing back. */
  private startStreaming(): void {
    if (this.options.closedLoop) this.sendFrame();
    else this.openLoop.start();
    const { rate } = this;
    if (!rate) return;
    this.adaptTimer = setInterval(
      () => {
        if (rate.tick(performance.now()))
          this.listeners.emit({ type: 'fps_changed', fps: this.rateFps() });
      },
      Math.max(50, this.intervalMs / 4),
    );
  }

  private onClose(code: number, reason: string, refuseStart: (err: Error) => void): void {
    this.clearTimers();
    this.closeCode = code;
    this.closeReason = reason;
    const before = this.state;
    const clean = before === 'stopping' || (before === 'streaming' && !this.error);
    this.state = clean ? 'closed' : 'failed';
    if (before === 'connecting') {
      refuseStart(new Error(this.error ?? `closed ${code} before the hello ${reason}`.trim()));
    }
    this.tally.onDrained?.();
    this.listeners.emit({ type: 'closed', code, reason });
  }

  private onMessage(data: Buffer, isBinary: boolean, started: (hello: Hello) => void): void {
    const message = parseMessage(data, isBinary);
    if (!message) {
      this.tally.violations++;
      return;
    }
    const wasConnecting = this.state === 'connecting';
    this.handleMessage(message);
    if (wasConnecting && this.hello) {
      started(this.hello);
      this.startStreaming();
    }
  }

  private connect(ws: WebSocket): Promise<Hello> {
    return new Promise((resolve, reject) => {
      this.closedPromise = new Promise((resolveClosed) => {
        ws.on('close', (code, reason) => {
          this.onClose(code, reason.toString(), reject);
          resolveClosed();
        });
      });
      ws.on('unexpected-response', (_request, response) => {
        const statusCode = response.statusCode ?? 0;
        this.error = `HTTP ${statusCode}`;
        this.state = 'failed';
        this.listeners.emit({ type: 'refused', statusCode });
        // A full station's body names peers with room (docs/fleet.md).
        void readRefusal(response).then((refusal) => {
          ws.terminate();
          reject(new StationRefusedError(refusal));
        });
      });
      ws.on('error', (err) => {
        if (this.state !== 'connecting') return;
        this.error ??= err.message;
        reject(err);
      });
      ws.on('message', (data: Buffer, isBinary) => this.onMessage(data, isBinary, resolve));
    });
  }

  /** Stops sending, waits up to drainMs for the outstanding replies, then closes 1000. */
  private async drainAndClose(drainMs: number): Promise<void> {
    this.state = 'stopping';
    this.clearTimers();
    const { tally } = this;
    if (tally.outstanding > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, drainMs);
        tally.onDrained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.socket?.close(1000, 'camera stopped');
    const forceTimer = setTimeout(() => this.socket?.terminate(), 2000);
    await this.closedPromise;
    clearTimeout(forceTimer);
  }
}

export function createCameraClient(options: CameraClientOptions): CameraClient {
  return new SimulatedCamera(options);
}
