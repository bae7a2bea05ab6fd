/**
 * The camera bridge: reads a source (MJPEG over HTTP, or ffmpeg), sends its
 * frames to the station as protocol frames, and keeps both ends alive. The
 * latest frame wins locally too: frames that come faster than the allowed
 * rate replace the one waiting to be sent.
 */
import type { Logger } from 'pino';
import { CloseCode, type StationMessage } from '../../shared/protocol';
import { createSendRate, type SendRateSnapshot } from '../../shared/send-rate';
import { createBackoff, type BackoffOptions } from './backoff';
import { createFramePacer } from './frame-pacer';
import type { BridgeError } from './errors';
import { locateFfmpeg, type FfmpegArgsOptions } from './ffmpeg';
import { openFfmpegSource } from './ffmpeg-source';
import { openMjpegHttpSource } from './mjpeg-http-source';
import type { SourceAttempt, SourceHandlers, SourceOutcome } from './source';
import { describeSource, type SourceSpec } from './source-spec';
import { openStationLink, streamUrl, type StationLink } from './station-link';

export type BridgeState =
  /** Running; see `source` and `station` for each end. */
  | 'running'
  /** A finite source ended and every sent frame was answered. */
  | 'finished'
  | 'stopped'
  /** Gave up: a non-retryable error (see `error`). */
  | 'failed';

export type EndState = 'connecting' | 'open' | 'waiting';

export interface BridgeOptions {
  station: string;
  source: SourceSpec;
  cameraId: string;
  pipelineId?: string;
  token?: string;
  /** Upper bound on frames sent per second; undefined: as fast as the source. */
  fps?: number;
  /** Frames above this are not read (and the station's own limit is also respected). Default 8 MiB. */
  maxFrameBytes?: number;
  ffmpegPath?: string;
  ffmpeg?: Omit<FfmpegArgsOptions, 'fps'>;
  sourceBackoff?: BackoffOptions;
  stationBackoff?: BackoffOptions;
  /** No frame for this long restarts the source. Default 15000 ms. */
  stallMs?: number;
  connectTimeoutMs?: number;
  /** Ping interval towards the station. Default 10000 ms. */
  heartbeatMs?: number;
  logger: Logger;
}

export interface BridgeStats {
  state: BridgeState;
  source: EndState;
  station: EndState;
  session_id: string | null;
  pipeline_id: string | null;
  frames_read: number;
  sent: number;
  processed: number;
  failed: number;
  dropped: number;
  /** Replaced locally by a newer frame before they could be sent. */
  skipped: number;
  source_reconnects: number;
  station_reconnects: number;
  rate: SendRateSnapshot;
  last_result: Record<string, unknown> | null;
  error: BridgeError | null;
}

export type BridgeEvent =
  | { type: 'state'; stats: BridgeStats }
  | { type: 'message'; message: StationMessage }
  | { type: 'error'; error: BridgeError };

export interface Bridge {
  start(): void;
  /** Closes the station link with 1000 and stops the source. */
  stop(): Promise<void>;
  stats(): BridgeStats;
  /** Resolves when the bridge is finished, stopped or failed. */
  done(): Promise<BridgeStats>;
  subscribe(listener: (event: BridgeEvent) => void): () => void;
}

const DEFAULT_MAX_FRAME_BYTES = 8 * 1024 * 1024;
const RATE_TICK_MS = 250;
/** A finite source waits this long for the replies to its last frames. */
const DRAIN_TIMEOUT_MS = 10_000;

export function createBridge(options: BridgeOptions): Bridge {
  const log = options.logger;
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const rate = createSendRate(options.fps !== undefined ? { maxFps: options.fps } : {});
  const sourceBackoff = createBackoff(options.sourceBackoff);
  const stationBackoff = createBackoff(options.stationBackoff);
  const listeners = new Set<(event: BridgeEvent) => void>();
  const sourceText = describeSource(options.source);
  /** What is read now: an http source that turns out not to be MJPEG moves to ffmpeg. */
  let spec: SourceSpec = options.source;
  const stationText = streamUrl(options).origin;

  const stats: BridgeStats = {
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
    rate: rate.snapshot(),
    last_result: null,
    error: null,
  };

  let source: SourceAttempt | null = null;
  let link: StationLink | null = null;
  let stationMaxFrameBytes = maxFrameBytes;
  const pacer = createFramePacer({
    rate,
    sink: () => link,
    onSent: () => (stats.sent += 1),
    onSkipped: () => (stats.skipped += 1),
  });
  let sourceRetryTimer: NodeJS.Timeout | undefined;
  let stationRetryTimer: NodeJS.Timeout | undefined;
  let rateTimer: NodeJS.Timeout | undefined;
  let sourceFinished = false;
  let sourceOpened = false;
  let framesThisAttempt = 0;
  let resolveDone: (stats: BridgeStats) => void = () => undefined;
  const donePromise = new Promise<BridgeStats>((resolve) => (resolveDone = resolve));

  function emit(event: BridgeEvent): void {
    for (const listener of listeners) listener(event);
  }
  function snapshot(): BridgeStats {
    return { ...stats, rate: rate.snapshot() };
  }
  function changed(): void {
    emit({ type: 'state', stats: snapshot() });
  }
  function active(): boolean {
    return stats.state === 'running';
  }

  // ---- source side ----
  function openSource(): void {
    if (!active() || sourceFinished) return;
    stats.source = 'connecting';
    framesThisAttempt = 0;
    changed();
    const handlers: SourceHandlers = {
      onOpen() {
        stats.source = 'open';
        log.info({ event: 'source_connected', source: sourceText }, 'source connected');
        changed();
      },
      onFrame(image) {
        stats.frames_read += 1;
        framesThisAttempt += 1;
        // A source that delivers frames has recovered: its next failure starts the back-off over.
        if (framesThisAttempt === 1) sourceBackoff.reset();
        offer(image);
      },
      onDiscard(reason, bytes) {
        log.warn({ event: 'source_bytes_discarded', reason, bytes }, 'source bytes discarded');
      },
      onEnd: sourceEnded,
    };
    if (spec.kind === 'mjpeg') {
      source = openMjpegHttpSource(
        {
          url: spec.url,
          maxPartBytes: maxFrameBytes,
          stallMs: options.stallMs ?? 15_000,
          connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
        },
        handlers,
      );
      return;
    }
    const ffmpeg = locateFfmpeg(options.ffmpegPath);
    if (!ffmpeg.ok) return fail(ffmpeg.error);
    source = openFfmpegSource(
      {
        ...options.ffmpeg,
        ...(options.fps !== undefined ? { fps: options.fps } : {}),
        ffmpegPath: ffmpeg.path,
        spec,
        maxPartBytes: maxFrameBytes,
        stallMs: options.stallMs ?? 15_000,
      },
      handlers,
    );
  }

  function sourceEnded(outcome: SourceOutcome): void {
    source = null;
    if (!active()) return;
    if (outcome.kind === 'finished') {
      sourceFinished = true;
      stats.source = 'waiting';
      log.info(
        { event: 'source_finished', source: sourceText, frames_read: stats.frames_read },
        'source finished',
      );
      changed();
      void drainAndFinish();
      return;
    }
    const error = outcome.error;
    if (!error.retry) return fail(error);
    if (error.code === 'source_not_mjpeg' && spec.kind === 'mjpeg') {
      // An HTTP stream that is not MJPEG (MPEG-TS, HLS, ...): let ffmpeg read it.
      spec = { kind: 'ffmpeg_url', url: spec.url };
      log.info(
        { event: 'source_via_ffmpeg', source: sourceText, detail: error.detail },
        'not MJPEG: reading the source with ffmpeg',
      );
      openSource();
      return;
    }
    stats.source = 'waiting';
    const delay = sourceBackoff.next();
    stats.source_reconnects += 1;
    log.warn(
      {
        event: 'source_lost',
        code: error.code,
        detail: error.detail,
        retry_in_ms: delay,
        source: sourceText,
      },
      error.message,
    );
    emit({ type: 'error', error });
    changed();
    sourceRetryTimer = setTimeout(openSource, delay);
  }

  // ---- station side ----
  function openLink(): void {
    if (!active()) return;
    stats.station = 'connecting';
    changed();
    link = openStationLink(
      {
        station: options.station,
        cameraId: options.cameraId,
        ...(options.pipelineId ? { pipelineId: options.pipelineId } : {}),
        ...(options.token ? { token: options.token } : {}),
        connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
        ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
      },
      {
        onHello(hello) {
          stationBackoff.reset();
          stats.station = 'open';
          stats.session_id = hello.session_id;
          stats.pipeline_id = hello.pipeline_id;
          stationMaxFrameBytes = Math.min(maxFrameBytes, hello.max_frame_bytes);
          log.info(
            {
              event: 'station_connected',
              station: stationText,
              session_id: hello.session_id,
              camera_id: hello.camera_id,
              pipeline_id: hello.pipeline_id,
              pipeline_source: hello.pipeline_source,
            },
            'connected to the station',
          );
          changed();
          if (!sourceOpened) {
            sourceOpened = true;
            openSource();
          }
          pacer.kick();
        },
        onMessage: onStationMessage,
        onEnd: stationEnded,
      },
    );
  }

  function onStationMessage(message: StationMessage): void {
    emit({ type: 'message', message });
    if ('warning' in message) {
      const lowered = rate.onSlowDown(message.suggested_fps, Date.now());
      log.warn(
        {
          event: 'slow_down',
          drop_rate: message.drop_rate,
          suggested_fps: message.suggested_fps,
          limit_fps: rate.limitFps(),
          lowered,
        },
        'station asked to slow down',
      );
      changed();
      return;
    }
    if ('dropped' in message) stats.dropped += 1;
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

  function stationEnded(error: BridgeError): void {
    link = null;
    stats.station = 'waiting';
    stats.session_id = null;
    if (!active()) return;
    if (!error.retry) return fail(error);
    if (sourceFinished) return finish();
    const delay = stationBackoff.next();
    stats.station_reconnects += 1;
    log.warn(
      {
        event: 'station_lost',
        code: error.code,
        detail: error.detail,
        retry_in_ms: delay,
        station: stationText,
      },
      error.message,
    );
    emit({ type: 'error', error });
    changed();
    stationRetryTimer = setTimeout(openLink, delay);
  }

  // ---- sending ----
  function offer(image: Buffer): void {
    if (image.length > stationMaxFrameBytes) {
      log.warn(
        { event: 'frame_too_large', bytes: image.length, max: stationMaxFrameBytes },
        'frame skipped',
      );
      return;
    }
    pacer.offer(image);
  }

  function answered(): number {
    return stats.processed + stats.failed + stats.dropped;
  }

  async function drainAndFinish(): Promise<void> {
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (
      active() &&
      (pacer.hasPending() || answered() < stats.sent) &&
      link &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (active()) finish();
  }

  // ---- endings ----
  async function shutdown(state: Exclude<BridgeState, 'running'>): Promise<void> {
    if (!active()) return;
    stats.state = state;
    pacer.stop();
    clearTimeout(sourceRetryTimer);
    clearTimeout(stationRetryTimer);
    clearInterval(rateTimer);
    const closing: Promise<void>[] = [];
    if (source) closing.push(source.close());
    if (link) closing.push(link.close(CloseCode.normal));
    source = null;
    link = null;
    stats.source = 'waiting';
    stats.station = 'waiting';
    await Promise.all(closing);
    const final = snapshot();
    log.info(
      { event: `bridge_${state}`, ...countsOf(final), error: final.error?.code },
      `bridge ${state}`,
    );
    changed();
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

  return {
    start() {
      log.info(
        {
          event: 'bridge_starting',
          station: stationText,
          source: sourceText,
          source_kind: options.source.kind,
          camera_id: options.cameraId,
          pipeline_id: options.pipelineId ?? null,
          fps: options.fps ?? null,
        },
        'bridge starting',
      );
      rateTimer = setInterval(() => {
        if (rate.tick(Date.now())) {
          log.info(
            { event: 'rate_raised', limit_fps: rate.limitFps(), state: rate.snapshot().state },
            'send rate raised',
          );
          changed();
          if (!sourceOpened) {
            sourceOpened = true;
            openSource();
          }
          pacer.kick();
        }
      }, RATE_TICK_MS);
      // The source opens at the first hello: no camera work while the station
      // is unreachable or refuses us, and no frame is lost to a link not yet ready.
      openLink();
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
