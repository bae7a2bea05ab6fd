/** The last minute of a session's drop rate, one sample a second, for its sparkline. */
export interface DropHistory {
  /** Unix seconds. */
  readonly times: readonly number[];
  /** Drop rate 0..1. */
  readonly rates: readonly number[];
}

export const HISTORY_SECONDS = 60;

export const EMPTY_HISTORY: DropHistory = { times: [], rates: [] };

/** A new history with one more sample, keeping only the last minute. */
export function appendSample(history: DropHistory, timeSec: number, rate: number): DropHistory {
  const from = timeSec - HISTORY_SECONDS;
  let start = 0;
  while (start < history.times.length && (history.times[start] ?? 0) < from) start += 1;
  return {
    times: [...history.times.slice(start), timeSec],
    rates: [...history.rates.slice(start), rate],
  };
}
