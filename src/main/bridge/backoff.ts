/** Exponential back-off with jitter, reset after a connection that worked. */

export interface BackoffOptions {
  /** First delay, ms. Default 500. */
  initialMs?: number;
  /** Longest delay, ms. Default 15000. */
  maxMs?: number;
  /** Each delay is multiplied by this. Default 2. */
  factor?: number;
  /** ± this fraction of randomness, so many bridges do not retry in step. Default 0.2. */
  jitter?: number;
}

export interface Backoff {
  /** The delay before the next attempt; grows with each call. */
  next(): number;
  reset(): void;
  attempts(): number;
}

export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? 500;
  const maxMs = options.maxMs ?? 15_000;
  const factor = options.factor ?? 2;
  const jitter = options.jitter ?? 0.2;
  if (!(initialMs > 0) || !(maxMs >= initialMs) || !(factor >= 1) || !(jitter >= 0 && jitter < 1)) {
    throw new TypeError('backoff: need 0 < initialMs <= maxMs, factor >= 1, 0 <= jitter < 1');
  }
  let attempt = 0;
  return {
    next() {
      const base = Math.min(maxMs, initialMs * factor ** attempt);
      attempt += 1;
      const spread = base * jitter * (Math.random() * 2 - 1);
      return Math.max(1, Math.round(Math.min(maxMs, base + spread)));
    },
    reset() {
      attempt = 0;
    },
    attempts: () => attempt,
  };
}
