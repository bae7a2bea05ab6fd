/**
 * A session's message budget: frames that replace a waiting one, counted per
 * one-second window. A camera that waits for its replies never replaces a
 * frame, so it never spends any budget, however fast the station answers.
 */
import { MESSAGE_BUDGET_WINDOWS } from '../../shared/protocol';

const WINDOW_MS = 1000;

export class MessageBudget {
  private windowStart: number | null = null;
  private inWindow = 0;
  /** Windows in a row, before the current one, that went over the budget. */
  private overInARow = 0;

  constructor(
    private readonly maxPerSecond: number,
    private readonly windows = MESSAGE_BUDGET_WINDOWS,
  ) {}

  /** Counts a replacing frame; true once `windows` windows in a row went over the budget. */
  spend(now: number): boolean {
    this.advance(now);
    this.inWindow++;
    return this.inWindow > this.maxPerSecond && this.overInARow + 1 >= this.windows;
  }

  /** Closes the windows that ended before `now`; a window with no replacement breaks the run. */
  private advance(now: number): void {
    if (this.windowStart === null) {
      this.windowStart = now;
      return;
    }
    const elapsed = Math.floor((now - this.windowStart) / WINDOW_MS);
    if (elapsed <= 0) return;
    const wasOver = this.inWindow > this.maxPerSecond;
    this.overInARow = wasOver && elapsed === 1 ? this.overInARow + 1 : 0;
    this.windowStart += elapsed * WINDOW_MS;
    this.inWindow = 0;
  }
}
