/**
 * A session's rate window: the frames it received, processed and dropped over
 * the last rateWindowMs (backpressure.ts), the state that makes, and when its
 * camera is told to slow down (slow-down.ts).
 */
import { Backpressure, type BackpressureReading } from './backpressure';
import type { SessionLimits } from './session-deps';
import { SlowDownNotices } from './slow-down';

export class SessionWindow extends Backpressure {
  private readonly slowDowns: SlowDownNotices;
  /** The last reading: what the session reports until the next one. */
  reading: BackpressureReading = { dropRate: 0, state: 'normal', fpsIn: 0, fpsOut: 0 };

  constructor(limits: SessionLimits, startedAt: number) {
    super(
      {
        windowMs: limits.rateWindowMs,
        dropThreshold: limits.dropThreshold,
        slowdownThreshold: limits.slowdownThreshold,
      },
      startedAt,
    );
    this.slowDowns = new SlowDownNotices(limits.slowdownIntervalMs, limits.rateWindowMs);
  }

  /**
   * Re-reads the window; returns the frame rate to suggest in a slow_down now,
   * or null (none is due, or the session is no longer streaming).
   */
  update(now: number, streaming: boolean): number | null {
    this.reading = this.read(now);
    return streaming ? this.slowDowns.due(now, this.reading) : null;
  }
}
