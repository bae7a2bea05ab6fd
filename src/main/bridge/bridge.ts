/**
 * The camera bridge: reads a source (MJPEG over HTTP, or ffmpeg), sends its
 * frames to the station as protocol frames, and keeps both ends alive. The
 * latest frame wins locally too: frames that come faster than the allowed
 * rate replace the one waiting to be sent.
 */
import type { Logger } from 'pino';
import { Listeners } from '../../shared/listeners';
import { createSendRate, type SendRate } from '../../shared/send-rate';
import { createFramePacer, type FramePacer } from './frame-pacer';
import type { BridgeError } from './errors';
import { createSourceSide, type SourceSide } from './bridge-source-side';
import { createStationSide, type StationSide } from './bridge-station-side';
import type {
  Bridge,
  BridgeEvent,
  BridgeOptions,
  BridgeRun,
  BridgeState,
  BridgeStats,
} from './bridge-types';

export type {
  Bridge,
  BridgeEvent,
  BridgeOptions,
  BridgeState,
  BridgeStats,
  EndState,
} from './bridge-types';

const DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;
const RATE_TICK_MS = 250;
/** A finite source waits this long for the replies to its last frames. */
const DRAIN_TIMEOUT_MS = 10_000;

function initialStats(rate: BridgeStats['rate']): BridgeStats {
  return {
    state: 'running',
    source: 'waiting',
    station: 'waiting',
    session_id: null,
    pipeline_id: null,
    frames_read: 0,
    sent: 0,
    processed: 0,
    failed: 0,
    dropped: 0,
    skipped: 0,
    source_reconnects: 0,
    station_reconnects: 0,
    rate,
    last_result: null,
    error: null,
    last_error: null,
  };
}

class CameraBridge implements Bridge {
  private readonly log: Logger;
  private readonly rate: SendRate;
  private readonly listeners = new Listeners<BridgeEvent>();
  private readonly run: BridgeRun;
  private readonly source: SourceSide;
  private readonly station: StationSide;
  private readonly pacer: FramePacer;
  /** The figures and state, kept up to date by both ends. */
  private readonly live: BridgeStats;
  private readonly donePromise: Promise<BridgeStats>;
  private resolveDone: (stats: BridgeStats) => void = () => undefined;
  private rateTimer: NodeJS.Timeout | undefined;
  private sourceOpened = false;

  constructor(private readonly options: BridgeOptions) {
    this.log = options.logger;
    this.rate = createSendRate(options.fps !== undefined ? { maxFps: options.fps } : {});
    const stats = (this.live = initialStats(this.rate.snapshot()));
    this.run = {
      options,
      log: this.log,
      stats,
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      active: () => stats.state === 'running',
      changed: () => this.listeners.emit({ type: 'state', stats: this.stats() }),
      emit: (event) => this.listeners.emit(event),
      fail: (error) => this.fail(error),
    };
    // While the source is down the station session is closed: no idle session held
    // open; the source's next frame opens a new one (and waits in the pacer for it).
    this.source = createSourceSide(
      this.run,
      (image) => this.offer(image),
      () => void this.drainAndFinish(),
      () => this.station.park(),
    );
    this.station = createStationSide(this.run, this.rate, {
      onHello: () => this.startSending(),
      onFinished: () => this.finish(),
      sourceFinished: this.source.finished,
    });
    this.pacer = createFramePacer({
      rate: this.rate,
      sink: this.station.link,
      onSent: () => (stats.sent += 1),
      onSkipped: () => (stats.skipped += 1),
    });
    this.donePromise = new Promise<BridgeStats>((resolve) => (this.resolveDone = resolve));
  }

  start(): void {
    const { options } = this;
    this.log.info(
      {
        event: 'bridge_starting',
        station: this.station.text,
        source: this.source.text,
        source_kind: options.source.kind,
        camera_id: options.cameraId,
        pipeline_id: options.pipelineId ?? null,
        fps: options.fps ?? null,
      },
      'bridge starting',
    );
    this.rateTimer = setInterval(() => this.onRateTick(), RATE_TICK_MS);
    // The source opens at the first hello: no camera work while the station
    // is unreachable or refuses us, and no frame is lost to a link not yet ready.
    this.station.open();
  }

  stop(): Promise<void> {
    return this.shutdown('stopped');
  }

  stats(): BridgeStats {
    return { ...this.live, rate: this.rate.snapshot() };
  }

  done(): Promise<BridgeStats> {
    return this.donePromise;
  }

  subscribe(listener: (event: BridgeEvent) => void): () => void {
    return this.listeners.subscribe(listener);
  }

  /** The source opens at the first chance to send: no camera work before the station says hello. */
  private startSending(): void {
    if (!this.sourceOpened) {
      this.sourceOpened = true;
      this.source.open();
    }
    this.pacer.kick();
  }

  private offer(image: Buffer): void {
    const max = this.station.maxFrameBytes();
    if (image.length > max) {
      this.log.warn({ event: 'frame_too_large', bytes: image.length, max }, 'frame skipped');
      return;
    }
    this.pacer.offer(image);
    if (this.station.parked()) this.station.open();
  }

  private answered(): number {
    const stats = this.live;
    return stats.processed + stats.failed + stats.dropped;
  }

  private async drainAndFinish(): Promise<void> {
    const { run, pacer, station } = this;
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (
      run.active() &&
      (pacer.hasPending() || this.answered() < this.live.sent) &&
      station.link() &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (run.active()) this.finish();
  }

  private async shutdown(state: Exclude<BridgeState, 'running'>): Promise<void> {
    if (!this.run.active()) return;
    const stats = this.live;
    stats.state = state;
    this.pacer.stop();
    clearInterval(this.rateTimer);
    const closing = Promise.all([this.source.close(), this.station.close()]);
    stats.source = 'waiting';
    stats.station = 'waiting';
    await closing;
    const final = this.stats();
    this.log.info(
      { event: `bridge_${state}`, ...countsOf(final), error: final.error?.code },
      `bridge ${state}`,
    );
    this.run.changed();
    this.resolveDone(final);
  }

  private fail(error: BridgeError): void {
    this.live.error = error;
    this.listeners.emit({ type: 'error', error });
    // Closed on purpose at the station: a clean stop, so a supervisor does not restart us.
    if (error.code === 'disconnected_by_technician' || error.code === 'replaced') {
      this.log.warn(
        { event: 'station_ended_session', code: error.code, detail: error.detail },
        error.message,
      );
      void this.shutdown('stopped');
      return;
    }
    this.log.error(
      { event: 'bridge_error', code: error.code, detail: error.detail },
      error.message,
    );
    void this.shutdown('failed');
  }

  private finish(): void {
    void this.shutdown('finished');
  }

  private onRateTick(): void {
    const { rate } = this;
    if (!rate.tick(Date.now())) return;
    this.log.info(
      { event: 'rate_raised', limit_fps: rate.limitFps(), state: rate.snapshot().state },
      'send rate raised',
    );
    this.run.changed();
    this.startSending();
  }
}

export function createBridge(options: BridgeOptions): Bridge {
  return new CameraBridge(options);
}

function countsOf(stats: BridgeStats) {
  return {
    frames_read: stats.frames_read,
    sent: stats.sent,
    processed: stats.processed,
    failed: stats.failed,
    dropped: stats.dropped,
    skipped: stats.skipped,
    source_reconnects: stats.source_reconnects,
    station_reconnects: stats.station_reconnects,
  };
}
