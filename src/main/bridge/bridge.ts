/**
 * The camera bridge: reads a source (MJPEG over HTTP, or ffmpeg), sends its
 * frames to the station as protocol frames, and keeps both ends alive. The
 * latest frame wins locally too: frames that come faster than the allowed
 * rate replace the one waiting to be sent.
 */
import { createSendRate } from '../../shared/send-rate';
import { createFramePacer } from './frame-pacer';
import type { BridgeError } from './errors';
import { createSourceSide } from './bridge-source-side';
import { createStationSide } from './bridge-station-side';
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

export function createBridge(options: BridgeOptions): Bridge {
  const log = options.logger;
  const rate = createSendRate(options.fps !== undefined ? { maxFps: options.fps } : {});
  const listeners = new Set<(event: BridgeEvent) => void>();
  const stats = initialStats(rate.snapshot());
  const run: BridgeRun = {
    options,
    log,
    stats,
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    active: () => stats.state === 'running',
    changed: () => emit({ type: 'state', stats: snapshot() }),
    emit,
    fail,
  };
  // While the source is down the station session is closed: no idle session held
  // open; the source's next frame opens a new one (and waits in the pacer for it).
  const source = createSourceSide(
    run,
    offer,
    () => void drainAndFinish(),
    () => station.park(),
  );
  const station = createStationSide(run, rate, {
    onHello: startSending,
    onFinished: finish,
    sourceFinished: source.finished,
  });
  const pacer = createFramePacer({
    rate,
    sink: station.link,
    onSent: () => (stats.sent += 1),
    onSkipped: () => (stats.skipped += 1),
  });
  let rateTimer: NodeJS.Timeout | undefined;
  let sourceOpened = false;
  let resolveDone: (stats: BridgeStats) => void = () => undefined;
  const donePromise = new Promise<BridgeStats>((resolve) => (resolveDone = resolve));

  function emit(event: BridgeEvent): void {
    for (const listener of listeners) listener(event);
  }
  function snapshot(): BridgeStats {
    return { ...stats, rate: rate.snapshot() };
  }

  /** The source opens at the first chance to send: no camera work before the station says hello. */
  function startSending(): void {
    if (!sourceOpened) {
      sourceOpened = true;
      source.open();
    }
    pacer.kick();
  }

  function offer(image: Buffer): void {
    const max = station.maxFrameBytes();
    if (image.length > max) {
      log.warn({ event: 'frame_too_large', bytes: image.length, max }, 'frame skipped');
      return;
    }
    pacer.offer(image);
    if (station.parked()) station.open();
  }

  function answered(): number {
    return stats.processed + stats.failed + stats.dropped;
  }

  async function drainAndFinish(): Promise<void> {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (
      run.active() &&
      (pacer.hasPending() || answered() < stats.sent) &&
      station.link() &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (run.active()) finish();
  }

  async function shutdown(state: Exclude<BridgeState, 'running'>): Promise<void> {
    if (!run.active()) return;
    stats.state = state;
    pacer.stop();
    clearInterval(rateTimer);
    const closing = Promise.all([source.close(), station.close()]);
    stats.source = 'waiting';
    stats.station = 'waiting';
    await closing;
    const final = snapshot();
    log.info(
      { event: `bridge_${state}`, ...countsOf(final), error: final.error?.code },
      `bridge ${state}`,
    );
    run.changed();
    resolveDone(final);
  }

  function fail(error: BridgeError): void {
    stats.error = error;
    emit({ type: 'error', error });
    // Closed on purpose at the station: a clean stop, so a supervisor does not restart us.
    if (error.code === 'disconnected_by_technician' || error.code === 'replaced') {
      log.warn(
        { event: 'station_ended_session', code: error.code, detail: error.detail },
        error.message,
      );
      void shutdown('stopped');
      return;
    }
    log.error({ event: 'bridge_error', code: error.code, detail: error.detail }, error.message);
    void shutdown('failed');
  }

  function finish(): void {
    void shutdown('finished');
  }

  function onRateTick(): void {
    if (!rate.tick(Date.now())) return;
    log.info(
      { event: 'rate_raised', limit_fps: rate.limitFps(), state: rate.snapshot().state },
      'send rate raised',
    );
    run.changed();
    startSending();
  }

  return {
    start() {
      log.info(
        {
          event: 'bridge_starting',
          station: station.text,
          source: source.text,
          source_kind: options.source.kind,
          camera_id: options.cameraId,
          pipeline_id: options.pipelineId ?? null,
          fps: options.fps ?? null,
        },
        'bridge starting',
      );
      rateTimer = setInterval(onRateTick, RATE_TICK_MS);
      // The source opens at the first hello: no camera work while the station
      // is unreachable or refuses us, and no frame is lost to a link not yet ready.
      station.open();
    },
    stop: () => shutdown('stopped'),
    stats: snapshot,
    done: () => donePromise,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
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
