/**
 * Open-loop sending, like a real camera: a frame every 1/fps whatever the
 * replies. A frame due while the previous one still sits in the send buffer
 * is skipped, and a late timer does not send a burst.
 */
import { performance } from 'node:perf_hooks';

export interface OpenLoopOptions {
  /** The current rate (it may change between frames). */
  fps: () => number;
  /** Unsent bytes above which a due frame is skipped. */
  maxBufferedBytes: number;
  bufferedAmount: () => number;
  send: () => void;
  /** False once the camera stops streaming: no further timer. */
  running: () => boolean;
}

export interface OpenLoop {
  start(): void;
  stop(): void;
  /** Frames due that were not sent (full send buffer, late timer). */
  readonly skipped: number;
}

export function createOpenLoop(options: OpenLoopOptions): OpenLoop {
  let nextDue = 0;
  let skipped = 0;
  let timer: NodeJS.Timeout | null = null;

  function step(): void {
    const now = performance.now();
    const period = 1000 / options.fps();
    if (nextDue === 0) nextDue = now;
    while (nextDue <= now) {
      if (options.bufferedAmount() > options.maxBufferedBytes) skipped++;
      else options.send();
      nextDue += period;
      if (nextDue < now - period) {
        skipped += Math.floor((now - nextDue) / period);
        nextDue = now + period;
      }
    }
    if (options.running()) timer = setTimeout(step, Math.max(0, nextDue - performance.now()));
  }

  return {
    start: step,
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
    get skipped() {
      return skipped;
    },
  };
}
