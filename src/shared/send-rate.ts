/**
 * How fast a camera may send, following the station's `slow_down` warnings
 * (PROTOCOL.md, Backpressure). Process-neutral: the camera bridge (Node), the
 * simulator (`simulate --adaptive`) and the browser camera page use the same rules.
 *
 * - On `slow_down`: the limit drops to the station's `suggested_fps` (never
 *   below `minFps`), and never rises because of a warning.
 * - After two intervals without a warning the camera may raise its rate: the
 *   limit grows by half each further quiet interval until it reaches the
 *   requested rate again.
 * - The interval is learnt from the gap between two warnings (the station
 *   repeats them every STREAM_SLOWDOWN_INTERVAL_MS while the state lasts).
 */

export type SendRateState = 'free' | 'slowed' | 'recovering';

export interface SendRateOptions {
  /** The rate asked for by the user; undefined or 0: as fast as frames come. */
  maxFps?: number;
  /** Floor for a slowed rate. Default 0.5 fps. */
  minFps?: number;
  /** The station's warning interval until two warnings show the real one. Default 1000 ms. */
  initialIntervalMs?: number;
}

export interface SendRateSnapshot {
  state: SendRateState;
  /** Current limit in frames per second; null means no limit. */
  limitFps: number | null;
  intervalMs: number;
  slowDowns: number;
}

/** Above this a recovering limit is simply lifted when the user asked for no limit. */
const UNLIMITED_ABOVE_FPS = 60;
const MIN_INTERVAL_MS = 250;
const MAX_INTERVAL_MS = 10_000;

export interface SendRate {
  snapshot(): SendRateSnapshot;
  /** Current limit in fps, or null when none. */
  limitFps(): number | null;
  /** Earliest time the next frame may go, given when the last one went. */
  nextSendAt(lastSentAt: number | null): number;
  /** A `slow_down` warning arrived. Returns true when the limit changed. */
  onSlowDown(suggestedFps: number, now: number): boolean;
  /** Call about once per interval; raises the limit after quiet intervals. Returns true when it changed. */
  tick(now: number): boolean;
  /** The user changed the requested rate. */
  setMaxFps(maxFps: number | undefined): void;
}

export function createSendRate(options: SendRateOptions = {}): SendRate {
  let maxFps = normaliseFps(options.maxFps);
  const minFps = options.minFps ?? 0.5;
  let intervalMs = options.initialIntervalMs ?? 1000;
  let limit: number | null = maxFps;
  let state: SendRateState = 'free';
  let lastWarningAt: number | null = null;
  let lastRaiseAt: number | null = null;
  let slowDowns = 0;

  function ceiling(): number {
    return maxFps ?? Number.POSITIVE_INFINITY;
  }

  return {
    snapshot: () => ({ state, limitFps: limit, intervalMs, slowDowns }),
    limitFps: () => limit,
    nextSendAt(lastSentAt) {
      if (limit === null || lastSentAt === null) return lastSentAt ?? 0;
      return lastSentAt + 1000 / limit;
    },
    onSlowDown(suggestedFps, now) {
      slowDowns += 1;
      if (lastWarningAt !== null) {
        const gap = now - lastWarningAt;
        // Two warnings close together show the station's interval.
        if (gap >= MIN_INTERVAL_MS && gap <= MAX_INTERVAL_MS) intervalMs = gap;
      }
      lastWarningAt = now;
      lastRaiseAt = null;
      const suggested = Number.isFinite(suggestedFps) && suggestedFps > 0 ? suggestedFps : minFps;
      const target = Math.min(ceiling(), Math.max(minFps, suggested));
      const before = limit;
      limit = limit === null ? target : Math.min(limit, target);
      state = 'slowed';
      return before !== limit;
    },
    tick(now) {
      if (state === 'free' || lastWarningAt === null) return false;
      if (now - lastWarningAt < 2 * intervalMs) return false;
      if (lastRaiseAt !== null && now - lastRaiseAt < intervalMs) return false;
      lastRaiseAt = now;
      const current = limit ?? ceiling();
      const raised = current * 1.5;
      if (raised >= ceiling() || (maxFps === null && raised > UNLIMITED_ABOVE_FPS)) {
        limit = maxFps;
        state = 'free';
        lastWarningAt = null;
      } else {
        limit = raised;
        state = 'recovering';
      }
      return true;
    },
    setMaxFps(next) {
      maxFps = normaliseFps(next);
      if (state === 'free') limit = maxFps;
      else if (limit !== null && maxFps !== null) limit = Math.min(limit, maxFps);
    },
  };
}

function normaliseFps(fps: number | undefined): number | null {
  return fps !== undefined && Number.isFinite(fps) && fps > 0 ? fps : null;
}
