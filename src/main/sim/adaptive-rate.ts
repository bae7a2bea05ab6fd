/**
 * How an adaptive camera follows `slow_down` (PROTOCOL.md, Backpressure): on a
 * warning it falls to the rate the station says it sustained; once it has heard
 * no warning for two intervals it climbs back by a quarter, two intervals at a
 * time, up to the rate it wants.
 */

export interface AdaptiveRateOptions {
  targetFps: number;
  /** The station's STREAM_SLOWDOWN_INTERVAL_MS. Default 1000. */
  intervalMs?: number;
  /** Never below this. Default 1. */
  minFps?: number;
}

export interface AdaptiveRate {
  readonly fps: number;
  readonly targetFps: number;
  /** A `slow_down` arrived. Returns the new rate. */
  onSlowDown(suggestedFps: number, now: number): number;
  /** Called periodically. Returns the new rate (unchanged when not yet time to climb). */
  tick(now: number): number;
}

export function createAdaptiveRate(options: AdaptiveRateOptions): AdaptiveRate {
  const intervalMs = options.intervalMs ?? 1000;
  const minFps = options.minFps ?? 1;
  const targetFps = options.targetFps;
  let fps = targetFps;
  let quietSince = Number.NEGATIVE_INFINITY;

  return {
    get fps() {
      return fps;
    },
    targetFps,
    onSlowDown(suggestedFps, now) {
      // The station's figure is what it actually sustained; when it has none
      // (0 or absent), halve. Never climb on a warning.
      const proposal = suggestedFps > 0 ? suggestedFps : fps / 2;
      fps = Math.max(minFps, Math.min(fps, proposal));
      quietSince = now;
      return fps;
    },
    tick(now) {
      if (fps >= targetFps) return fps;
      if (now - quietSince >= 2 * intervalMs) {
        fps = Math.min(targetFps, Math.max(fps * 1.25, fps + 1));
        quietSince = now;
      }
      return fps;
    },
  };
}
