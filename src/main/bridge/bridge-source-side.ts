/**
 * The bridge's source end: opens the MJPEG or ffmpeg source, counts its
 * frames, hands an HTTP stream that is not MJPEG to ffmpeg on the same
 * connection, and reopens a lost source with back-off.
 */
import type { Readable } from 'node:stream';
import { createBackoff, type Backoff } from './backoff';
import { locateFfmpeg, type FfmpegSpec } from './ffmpeg';
import { openFfmpegSource } from './ffmpeg-source';
import { openMjpegHttpSource } from './mjpeg-http-source';
import { reportRetry, type BridgeRun } from './bridge-types';
import type { BridgeError } from './errors';
import type { DetectedStream, SourceAttempt, SourceHandlers, SourceOutcome } from './source';
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

class BridgeSourceSide implements SourceSide {
  readonly text: string;
  private readonly backoff: Backoff;
  private readonly handlers: SourceHandlers;
  private source: SourceAttempt | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private sourceFinished = false;
  private framesThisAttempt = 0;

  constructor(
    private readonly run: BridgeRun,
    private readonly onFrame: (image: Buffer) => void,
    private readonly onFinished: () => void,
    private readonly onLost: () => void,
  ) {
    this.backoff = createBackoff(run.options.sourceBackoff);
    this.text = describeSource(run.options.source);
    this.handlers = {
      onOpen: () => this.opened(),
      onFrame: (image) => this.frameRead(image),
      onDetected: (kind, detail) => this.detected(kind, detail),
      onDiscard: (reason, bytes) => {
        run.log.warn({ event: 'source_bytes_discarded', reason, bytes }, 'source bytes discarded');
      },
      onEnd: (outcome) => this.ended(outcome),
    };
  }

  /** Passed on unbound (the station side asks it), hence an arrow. */
  readonly finished = (): boolean => this.sourceFinished;

  open(): void {
    const { run } = this;
    if (!run.active() || this.sourceFinished) return;
    run.stats.source = 'connecting';
    this.framesThisAttempt = 0;
    run.changed();
    const spec: SourceSpec = run.options.source;
    this.source =
      spec.kind === 'mjpeg' ? this.openMjpeg(spec.url) : this.openFfmpeg(spec, this.handlers);
  }

  async close(): Promise<void> {
    clearTimeout(this.retryTimer);
    const closing = this.source?.close();
    this.source = null;
    await closing;
  }

  private stallMs(): number {
    return this.run.options.stallMs ?? DEFAULT_STALL_MS;
  }

  /** MJPEG read here; any other HTTP stream goes to ffmpeg on the same open connection. */
  private openMjpeg(url: string): SourceAttempt {
    const { options, maxFrameBytes } = this.run;
    return openMjpegHttpSource(
      {
        url,
        maxPartBytes: maxFrameBytes,
        stallMs: this.stallMs(),
        connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        readOther: (input, otherHandlers) =>
          this.openFfmpeg({ kind: 'ffmpeg_url', url }, otherHandlers, input) ?? closedAttempt,
      },
      this.handlers,
    );
  }

  /** ffmpeg reading `ffmpegSpec`, or `input` (an HTTP response already open) on its stdin. */
  private openFfmpeg(
    ffmpegSpec: FfmpegSpec,
    sourceHandlers: SourceHandlers,
    input?: Readable,
  ): SourceAttempt | null {
    const { run } = this;
    const ffmpeg = locateFfmpeg(run.options.ffmpegPath);
    if (!ffmpeg.ok) {
      run.fail(ffmpeg.error);
      return null;
    }
    return openFfmpegSource(
      {
        ...run.options.ffmpeg,
        ffmpegPath: ffmpeg.path,
        spec: ffmpegSpec,
        maxPartBytes: run.maxFrameBytes,
        stallMs: this.stallMs(),
        ...(input ? { input } : {}),
      },
      sourceHandlers,
    );
  }

  private opened(): void {
    const { stats, log } = this.run;
    stats.source = 'open';
    if (stats.last_error?.end === 'source')
      stats.last_error = { ...stats.last_error, retry_at: null };
    log.info({ event: 'source_connected', source: this.text }, 'source connected');
    this.run.changed();
  }

  private frameRead(image: Buffer): void {
    this.run.stats.frames_read += 1;
    this.framesThisAttempt += 1;
    // A source that delivers frames has recovered: its next failure starts the back-off over.
    if (this.framesThisAttempt === 1) this.backoff.reset();
    this.onFrame(image);
  }

  private detected(kind: DetectedStream, detail: string | undefined): void {
    const { log } = this.run;
    if (kind === 'other') {
      log.info(
        { event: 'source_via_ffmpeg', source: this.text, detail },
        'not MJPEG: ffmpeg reads the open stream',
      );
    } else log.info({ event: 'source_detected', source: this.text, stream: kind }, 'MJPEG stream');
  }

  private ended(outcome: SourceOutcome): void {
    this.source = null;
    if (!this.run.active()) return;
    if (outcome.kind === 'finished') this.finish();
    else if (!outcome.error.retry) this.run.fail(outcome.error);
    else this.reopenLater(outcome.error);
  }

  /** A finite source read to its end: the bridge drains and finishes. */
  private finish(): void {
    const { run } = this;
    this.sourceFinished = true;
    run.stats.source = 'waiting';
    run.log.info(
      { event: 'source_finished', source: this.text, frames_read: run.stats.frames_read },
      'source finished',
    );
    run.changed();
    this.onFinished();
  }

  private reopenLater(error: BridgeError): void {
    const { stats } = this.run;
    stats.source = 'waiting';
    const delay = this.backoff.next();
    stats.source_reconnects += 1;
    reportRetry(this.run, 'source', error, delay, stats.source_reconnects, this.text);
    this.retryTimer = setTimeout(() => this.open(), delay);
    this.onLost();
  }
}

export function createSourceSide(
  run: BridgeRun,
  onFrame: (image: Buffer) => void,
  onFinished: () => void,
  /** The source is down and will be reopened (the station session is closed meanwhile). */
  onLost: () => void = () => undefined,
): SourceSide {
  return new BridgeSourceSide(run, onFrame, onFinished, onLost);
}
