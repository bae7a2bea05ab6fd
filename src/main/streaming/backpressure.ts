/**
 * Backpressure bookkeeping of one session: what was received, dropped and
 * processed over the last `windowMs`, the drop rate, and the state it implies.
 */
import type { SessionState } from '../../shared/protocol';

/** The drop rate counts only once the window holds this many frames. */
const MIN_FRAMES_FOR_RATE = 10;

/** Timestamps of events in a sliding window; O(1) amortised push and count. */
export class EventWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  push(now: number): void {
    this.times.push(now);
  }

  count(now: number): number {
    const cutoff = now - this.windowMs;
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) this.head++;
    // Compact once the dead prefix dominates, so memory stays bounded by the window.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
}

export interface BackpressureOptions {
  windowMs: number;
  dropThreshold: number;
  slowdownThreshold: number;
}

export interface BackpressureReading {
  /** Dropped / received over the window; 0 until the window holds MIN_FRAMES_FOR_RATE frames. */
  dropRate: number;
  state: SessionState;
  /** Frames per second received over the window (or since start when younger). */
  fpsIn: number;
  /** Frames per second actually processed: what the station sustained. */
  fpsOut: number;
}

export function stateFor(dropRate: number, options: BackpressureOptions): SessionState {
  if (dropRate > options.slowdownThreshold) return 'slow_down';
  if (dropRate > options.dropThreshold) return 'degraded';
  return 'normal';
}

export class Backpressure {
  private readonly received: EventWindow;
  private readonly dropped: EventWindow;
  private readonly processed: EventWindow;

  constructor(
    private readonly options: BackpressureOptions,
    private readonly startedAt: number,
  ) {
    this.received = new EventWindow(options.windowMs);
    this.dropped = new EventWindow(options.windowMs);
    this.processed = new EventWindow(options.windowMs);
  }

  onReceived(now: number): void {
    this.received.push(now);
  }

  onDropped(now: number): void {
    this.dropped.push(now);
  }

  onProcessed(now: number): void {
    this.processed.push(now);
  }

  read(now: number): BackpressureReading {
    const received = this.received.count(now);
    const dropped = this.dropped.count(now);
    const processed = this.processed.count(now);
    const dropRate = received >= MIN_FRAMES_FOR_RATE ? Math.min(1, dropped / received) : 0;
    const seconds = Math.max(0.001, Math.min(this.options.windowMs, now - this.startedAt) / 1000);
    return {
      dropRate,
      state: stateFor(dropRate, this.options),
      fpsIn: received / seconds,
      fpsOut: processed / seconds,
    };
  }
}
