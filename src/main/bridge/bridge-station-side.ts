/**
 * The bridge's station end: the protocol link (hello, replies, slow_down),
 * the counters it keeps, and reconnecting with back-off when the link is lost.
 */
import {
  CloseCode,
  type HelloMessage,
  type SlowDownWarning,
  type StationMessage,
} from '../../shared/protocol';
import type { SendRate } from '../../shared/send-rate';
import { createBackoff, type Backoff } from './backoff';
import { reportRetry, type BridgeRun } from './bridge-types';
import type { BridgeError } from './errors';
import {
  openStationLink,
  streamUrl,
  type StationLink,
  type StationLinkOptions,
} from './station-link';

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface StationSideHooks {
  /** The station said hello: the session is open and frames may go. */
  onHello: () => void;
  /** The link is gone for good with a finite source done: the bridge is finished. */
  onFinished: () => void;
  /** The source has ended: a lost link is not reopened. */
  sourceFinished: () => boolean;
}

export interface StationSide {
  readonly text: string;
  open(): void;
  /** The open link, or null while connecting or waiting. */
  link: () => StationLink | null;
  /** The smaller of our limit and the station's (from its hello). */
  maxFrameBytes(): number;
  /** Closes the link with 1000 and stops any pending reconnect. */
  close(): Promise<void>;
  /** Closes the link with 1000 until open() is called again (the source is down). */
  park(): void;
  /** True while parked: the next frame from the source reopens the link. */
  parked(): boolean;
}

class BridgeStationSide implements StationSide {
  readonly text: string;
  private readonly backoff: Backoff;
  private current: StationLink | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private frameLimit: number;
  /** Peers a full station named, tried in order before waiting; then home again. */
  private handoff: string[] = [];
  private target: string;
  private isParked = false;

  constructor(
    private readonly run: BridgeRun,
    private readonly rate: SendRate,
    private readonly hooks: StationSideHooks,
  ) {
    this.backoff = createBackoff(run.options.stationBackoff);
    this.text = streamUrl(run.options).origin;
    this.frameLimit = run.maxFrameBytes;
    this.target = run.options.station;
  }

  /** Passed on unbound (the pacer's sink), hence an arrow. */
  readonly link = (): StationLink | null => this.current;

  open(): void {
    const { run } = this;
    if (!run.active()) return;
    this.isParked = false;
    run.stats.station = 'connecting';
    run.changed();
    this.target = this.handoff.shift() ?? run.options.station;
    this.current = openStationLink(this.linkOptions(this.target), {
      onHello: (hello) => this.onHello(hello),
      onMessage: (message) => this.onMessage(message),
      onEnd: (error) => this.ended(error),
    });
  }

  maxFrameBytes(): number {
    return this.frameLimit;
  }

  async close(): Promise<void> {
    clearTimeout(this.retryTimer);
    const closing = this.current?.close(CloseCode.normal);
    this.current = null;
    await closing;
  }

  park(): void {
    const { run } = this;
    if (this.isParked || !run.active()) return;
    this.isParked = true;
    clearTimeout(this.retryTimer);
    void this.current?.close(CloseCode.normal);
    this.current = null;
    run.stats.station = 'waiting';
    run.stats.session_id = null;
    run.log.info(
      { event: 'station_parked', station: this.text },
      'source down: station session closed',
    );
    run.changed();
  }

  parked(): boolean {
    return this.isParked;
  }

  private linkOptions(station: string): StationLinkOptions {
    const { options } = this.run;
    return {
      station,
      cameraId: options.cameraId,
      ...(options.pipelineId ? { pipelineId: options.pipelineId } : {}),
      ...(options.token ? { token: options.token } : {}),
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
    };
  }

  private onHello(hello: HelloMessage['hello']): void {
    const { run, rate } = this;
    const { stats, options } = run;
    this.backoff.reset();
    stats.station = 'open';
    if (stats.last_error?.end === 'station')
      stats.last_error = { ...stats.last_error, retry_at: null };
    stats.session_id = hello.session_id;
    stats.pipeline_id = hello.pipeline_id;
    this.frameLimit = Math.min(run.maxFrameBytes, hello.max_frame_bytes);
    // The station's message budget caps our rate (an older station names none).
    if (hello.max_fps > 0) rate.setMaxFps(Math.min(options.fps ?? Infinity, hello.max_fps));
    run.log.info(
      {
        event: 'station_connected',
        station: this.text,
        session_id: hello.session_id,
        camera_id: hello.camera_id,
        pipeline_id: hello.pipeline_id,
        pipeline_source: hello.pipeline_source,
      },
      'connected to the station',
    );
    run.changed();
    this.hooks.onHello();
  }

  private onMessage(message: StationMessage): void {
    const { stats, log } = this.run;
    this.run.emit({ type: 'message', message });
    if ('warning' in message) this.onSlowDown(message);
    else if ('dropped' in message) stats.dropped += 1;
    else if ('result' in message) {
      if (message.result.error === 'pipeline_failure') stats.failed += 1;
      else stats.processed += 1;
      stats.last_result = message.result;
    } else if ('error' in message) {
      log.error(
        { event: 'station_error', code: message.error, detail: message.detail },
        message.detail,
      );
    }
  }

  private onSlowDown(message: SlowDownWarning): void {
    const { rate, run } = this;
    const lowered = rate.onSlowDown(message.suggested_fps, Date.now());
    run.log.warn(
      {
        event: 'slow_down',
        drop_rate: message.drop_rate,
        suggested_fps: message.suggested_fps,
        limit_fps: rate.limitFps(),
        lowered,
      },
      'station asked to slow down',
    );
    run.changed();
  }

  private ended(lost: BridgeError): void {
    const { run, hooks } = this;
    this.current = null;
    run.stats.station = 'waiting';
    run.stats.session_id = null;
    if (!run.active()) return;
    const error =
      lost.code === 'replaced' && run.options.retryWhenReplaced ? { ...lost, retry: true } : lost;
    if (!error.retry) return run.fail(error);
    if (hooks.sourceFinished()) return hooks.onFinished();
    if (this.target === run.options.station && error.alternatives)
      this.handoff = [...error.alternatives];
    if (this.handoff.length > 0) this.handOff();
    else this.reconnectLater(error);
  }

  /** A full station named peers with room: the next one is tried at once. */
  private handOff(): void {
    this.run.log.info(
      { event: 'station_handoff', station: this.text, to: this.handoff[0] },
      'station full: trying a peer',
    );
    this.retryTimer = setTimeout(() => this.open(), 0);
  }

  private reconnectLater(error: BridgeError): void {
    const { stats } = this.run;
    // A refused camera name comes back no sooner than the station asked.
    const delay = Math.max(this.backoff.next(), (error.retryAfterSeconds ?? 0) * 1000);
    stats.station_reconnects += 1;
    reportRetry(this.run, 'station', error, delay, stats.station_reconnects, this.text);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }
}

export function createStationSide(
  run: BridgeRun,
  rate: SendRate,
  hooks: StationSideHooks,
): StationSide {
  return new BridgeStationSide(run, rate, hooks);
}
