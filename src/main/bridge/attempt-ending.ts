/**
 * How a source attempt ends, whatever it reads (ffmpeg, MJPEG over HTTP):
 * once, by its own outcome or by a stall of its watchdog, releasing what it
 * holds; and after close(), silently (the closer releases it).
 */
import type { BridgeError } from './errors';
import type { SourceHandlers, SourceOutcome } from './source';

export class AttemptEnding {
  private done = false;
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly handlers: Pick<SourceHandlers, 'onEnd'>,
    /** Frees the attempt's resources (kills the process, destroys the request). */
    private readonly release: () => void,
  ) {}

  /** True once the attempt has ended or been closed: nothing more is reported. */
  get over(): boolean {
    return this.done;
  }

  /** (Re)starts the watchdog: without another call within `ms`, the attempt fails with `stalled()`. */
  watch(ms: number, stalled: () => BridgeError): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => this.fail(stalled()), ms);
  }

  /** Stops the watchdog (another reader has taken the stream over). */
  unwatch(): void {
    clearTimeout(this.stallTimer);
  }

  fail(error: BridgeError): void {
    this.end({ kind: 'failed', error });
  }

  end(outcome: SourceOutcome): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.stallTimer);
    this.release();
    this.handlers.onEnd(outcome);
  }

  /** The attempt is being closed: its end is not reported. */
  close(): void {
    this.done = true;
    clearTimeout(this.stallTimer);
  }
}
