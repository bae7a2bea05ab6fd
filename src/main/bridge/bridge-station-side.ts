/**
 * The bridge's station end: the protocol link (hello, replies, slow_down),
 * the counters it keeps, and reconnecting with back-off when the link is lost.
 */
import { CloseCode, type HelloMessage, type StationMessage } from '../../shared/protocol';
import type { SendRate } from '../../shared/send-rate';
import { createBackoff } from './backoff';
import { reportRetry, type BridgeRun } from './bridge-types';
import type { BridgeError } from './errors';
import { openStationLink, streamUrl, type StationLink } from './station-link';

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

export function createStationSide(
  run: BridgeRun,
  rate: SendRate,
  hooks: StationSideHooks,
): StationSide {
  const { options, log, stats } = run;
  const backoff = createBackoff(options.stationBackoff);
  const text = streamUrl(options).origin;
  let link: StationLink | null = null;
  let retryTimer: NodeJS.Timeout | undefined;
  let maxFrameBytes = run.maxFrameBytes;
  /** Peers a full station named, tried in order before waiting; then home again. */
  let handoff: string[] = [];
  let target = options.station;
  let isParked = false;

  function open(): void {
    if (!run.active()) return;
    isParked = false;
    stats.station = 'connecting';
    run.changed();
    target = handoff.shift() ?? options.station;
    link = openStationLink(
      {
        station: target,
        cameraId: options.cameraId,
        ...(options.pipelineId ? { pipelineId: options.pipelineId } : {}),
        ...(options.token ? { token: options.token } : {}),
        connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
      },
      { onHello, onMessage, onEnd: ended },
    );
  }

  function onHello(hello: HelloMessage['hello']): void {
    backoff.reset();
    stats.station = 'open';
    if (stats.last_error?.end === 'station')
      stats.last_error = { ...stats.last_error, retry_at: null };
    stats.session_id = hello.session_id;
    stats.pipeline_id = hello.pipeline_id;
    maxFrameBytes = Math.min(run.maxFrameBytes, hello.max_frame_bytes);
    // The station's message budget caps our rate (an older station names none).
    if (hello.max_fps > 0) rate.setMaxFps(Math.min(options.fps ?? Infinity, hello.max_fps));
    log.info(
      {
        event: 'station_connected',
        station: text,
        session_id: hello.session_id,
        camera_id: hello.camera_id,
        pipeline_id: hello.pipeline_id,
        pipeline_source: hello.pipeline_source,
      },
      'connected to the station',
    );
    run.changed();
    hooks.onHello();
  }

  function onMessage(message: StationMessage): void {
    run.emit({ type: 'message', message });
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
      run.changed();
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

  function ended(error: BridgeError): void {
    link = null;
    stats.station = 'waiting';
    stats.session_id = null;
    if (!run.active()) return;
    if (error.code === 'replaced' && options.retryWhenReplaced) error = { ...error, retry: true };
    if (!error.retry) return run.fail(error);
    if (hooks.sourceFinished()) return hooks.onFinished();
    if (target === options.station && error.alternatives) handoff = [...error.alternatives];
    if (handoff.length > 0) {
      log.info(
        { event: 'station_handoff', station: text, to: handoff[0] },
        'station full: trying a peer',
      );
      retryTimer = setTimeout(open, 0);
      return;
    }
    // A refused camera name comes back no sooner than the station asked.
    const delay = Math.max(backoff.next(), (error.retryAfterSeconds ?? 0) * 1000);
    stats.station_reconnects += 1;
    reportRetry(run, 'station', error, delay, stats.station_reconnects, text);
    retryTimer = setTimeout(open, delay);
  }

  return {
    text,
    open,
    link: () => link,
    maxFrameBytes: () => maxFrameBytes,
    async close() {
      clearTimeout(retryTimer);
      const closing = link?.close(CloseCode.normal);
      link = null;
      await closing;
    },
    park() {
      if (isParked || !run.active()) return;
      isParked = true;
      clearTimeout(retryTimer);
      void link?.close(CloseCode.normal);
      link = null;
      stats.station = 'waiting';
      stats.session_id = null;
      log.info({ event: 'station_parked', station: text }, 'source down: station session closed');
      run.changed();
    },
    parked: () => isParked,
  };
}
