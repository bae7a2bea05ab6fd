/**
 * When a session in the slow_down state tells its camera so: on entering the
 * state and once per interval while it lasts, so a drop rate hovering at the
 * threshold (re-entering often) is still heard at most once per interval.
 */
import type { BackpressureReading } from './backpressure';

export class SlowDownNotices {
  private lastAt = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly rateWindowMs: number,
  ) {}

  /** The frame rate to suggest now, or null when no notice is due. */
  due(now: number, reading: BackpressureReading): number | null {
    if (reading.state !== 'slow_down' || now - this.lastAt < this.intervalMs) return null;
    this.lastAt = now;
    // What the station sustained; at least one frame per window, never "stop".
    return Math.max(reading.fpsOut, 1000 / this.rateWindowMs);
  }
}
