/**
 * The bridge's source end: opens the MJPEG or ffmpeg source, counts its
 * frames, hands an HTTP stream that is not MJPEG to ffmpeg on the same
 * connection, and reopens a lost source with back-off.
 */
import { createBackoff } from './backoff';
import type { Readable } from 'node:stream';
import { locateFfmpeg, type FfmpegSpec } from './ffmpeg';
import { openFfmpegSource } from './ffmpeg-source';
import { openMjpegHttpSource } from './mjpeg-http-source';
import { reportRetry, type BridgeRun } from './bridge-types';
import type { SourceAttempt, SourceHandlers, SourceOutcome } from './source';
import { describeSource, type SourceSpec } from './source-spec';

const DEFAULT_STALL_MS = 15_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Stands for an attempt that never started (the bridge has already failed). */
const closedAttempt: SourceAttempt = { close: () => Promise.resolve() };

export interface SourceSide {
  readonly text: string;
  open(): void;
  /** A finite source has ended (every frame read). */
  finished: () => boolean;
  /** Stops the source and any pending reopen; resolves when it is closed. */
  close(): Promise<void>;
}

export function createSourceSide(
  run: BridgeRun,
  onFrame: (image: Buffer) => void,
  onFinished: () => void,
  /** The source is down and will be reopened (the station session is closed meanwhile). */
  onLost: () => void = () => undefined,
): SourceSide {
  const { options, log, stats } = run;
  const backoff = createBackoff(options.sourceBackoff);
  const text = describeSource(options.source);
  const spec: SourceSpec = options.source;
  let source: SourceAttempt | null = null;
  let retryTimer: NodeJS.Timeout | undefined;
  let sourceFinished = false;
  let framesThisAttempt = 0;

  const handlers: SourceHandlers = {
    onOpen() {
      stats.source = 'open';
      if (stats.last_error?.end === 'source')
        stats.last_error = { ...stats.last_error, retry_at: null };
      log.info({ event: 'source_connected', source: text }, 'source connected');
      run.changed();
    },
    onFrame(image) {
      stats.frames_read += 1;
      framesThisAttempt += 1;
      // A source that delivers frames has recovered: its next failure starts the back-off over.
      if (framesThisAttempt === 1) backoff.reset();
      onFrame(image);
    },
    onDetected(kind, detail) {
      if (kind === 'other') {
        log.info(
          { event: 'source_via_ffmpeg', source: text, detail },
          'not MJPEG: ffmpeg reads the open stream',
        );
      } else log.info({ event: 'source_detected', source: text, stream: kind }, 'MJPEG stream');
    },
    onDiscard(reason, bytes) {
      log.warn({ event: 'source_bytes_discarded', reason, bytes }, 'source bytes discarded');
    },
    onEnd: ended,
  };

  function open(): void {
    if (!run.active() || sourceFinished) return;
    stats.source = 'connecting';
    framesThisAttempt = 0;
    run.changed();
    const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
    if (spec.kind === 'mjpeg') {
      const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
      const url = spec.url;
      source = openMjpegHttpSource(
        {
          url,
          maxPartBytes: run.maxFrameBytes,
          stallMs,
          connectTimeoutMs,
          readOther: (input, otherHandlers) =>
            openFfmpeg({ kind: 'ffmpeg_url', url }, otherHandlers, input) ?? closedAttempt,
        },
        handlers,
      );
      return;
    }
    source = openFfmpeg(spec, handlers);
  }

  /** ffmpeg reading `ffmpegSpec`, or `input` (an HTTP response already open) on its stdin. */
  function openFfmpeg(
    ffmpegSpec: FfmpegSpec,
    sourceHandlers: SourceHandlers,
    input?: Readable,
  ): SourceAttempt | null {
    const ffmpeg = locateFfmpeg(options.ffmpegPath);
    if (!ffmpeg.ok) {
      run.fail(ffmpeg.error);
      return null;
    }
    return openFfmpegSource(
      {
        ...options.ffmpeg,
        ffmpegPath: ffmpeg.path,
        spec: ffmpegSpec,
        maxPartBytes: run.maxFrameBytes,
        stallMs: options.stallMs ?? DEFAULT_STALL_MS,
        ...(input ? { input } : {}),
      },
      sourceHandlers,
    );
  }

  function ended(outcome: SourceOutcome): void {
    source = null;
    if (!run.active()) return;
    if (outcome.kind === 'finished') {
      sourceFinished = true;
      stats.source = 'waiting';
      log.info(
        { event: 'source_finished', source: text, frames_read: stats.frames_read },
        'source finished',
      );
      run.changed();
      onFinished();
      return;
    }
    const error = outcome.error;
    if (!error.retry) return run.fail(error);
    stats.source = 'waiting';
    const delay = backoff.next();
    stats.source_reconnects += 1;
    reportRetry(run, 'source', error, delay, stats.source_reconnects, text);
    retryTimer = setTimeout(open, delay);
    onLost();
  }

  return {
    text,
    open,
    finished: () => sourceFinished,
    async close() {
      clearTimeout(retryTimer);
      const closing = source?.close();
      source = null;
      await closing;
    },
  };
}
