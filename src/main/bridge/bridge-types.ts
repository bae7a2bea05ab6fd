/** The camera bridge's options, counters, events and handle. */
import type { Logger } from 'pino';
import type { StationMessage } from '../../shared/protocol';
import type { SendRateSnapshot } from '../../shared/send-rate';
import type { BackoffOptions } from './backoff';
import type { BridgeError } from './errors';
import type { FfmpegArgsOptions } from './ffmpeg';
import type { SourceSpec } from './source-spec';

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
  ffmpeg?: FfmpegArgsOptions;
  sourceBackoff?: BackoffOptions;
  stationBackoff?: BackoffOptions;
  /** No frame for this long restarts the source. Default 15000 ms. */
  stallMs?: number;
  connectTimeoutMs?: number;
  /** Ping interval towards the station. Default 10000 ms. */
  heartbeatMs?: number;
  /**
   * Reconnect with back-off after close 4002 (replaced) instead of giving up:
   * the sources the station runs itself never switch off because of it.
   */
  retryWhenReplaced?: boolean;
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
  /** The error the bridge gave up on (state `failed`). */
  error: BridgeError | null;
  /** The latest failure it is retrying after, from either end; kept after recovery. */
  last_error: RetriedError | null;
}

/** A failure the bridge retries after: which end, when, and when it tries again. */
export interface RetriedError extends BridgeError {
  end: 'source' | 'station';
  /** ISO time of the failure. */
  at: string;
  /** ISO time of the next attempt; null once that end is open again. */
  retry_at: string | null;
  /** How many times this end has been retried (its reconnect count). */
  attempt: number;
}

function retriedError(
  end: RetriedError['end'],
  error: BridgeError,
  delayMs: number,
  attempt: number,
): RetriedError {
  const now = Date.now();
  return {
    ...error,
    end,
    at: new Date(now).toISOString(),
    retry_at: new Date(now + delayMs).toISOString(),
    attempt,
  };
}

/** One end failed and will be retried: kept as its last error, logged, told to listeners. */
export function reportRetry(
  run: BridgeRun,
  end: RetriedError['end'],
  error: BridgeError,
  delayMs: number,
  attempt: number,
  where: string,
): void {
  const retried = retriedError(end, error, delayMs, attempt);
  run.stats.last_error = retried;
  run.log.warn(
    {
      event: `${end}_lost`,
      code: error.code,
      detail: error.detail,
      retry_in_ms: delayMs,
      retry_at: retried.retry_at,
      attempt: retried.attempt,
      [end]: where,
    },
    error.message,
  );
  run.emit({ type: 'error', error });
  run.changed();
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

/** What both ends of a running bridge share. */
export interface BridgeRun {
  readonly options: BridgeOptions;
  readonly log: Logger;
  readonly stats: BridgeStats;
  /** Frames above this are not read. */
  readonly maxFrameBytes: number;
  active: () => boolean;
  /** Tells listeners the stats changed. */
  changed: () => void;
  emit: (event: BridgeEvent) => void;
  /** Ends the bridge on a non-retryable error. */
  fail: (error: BridgeError) => void;
}
