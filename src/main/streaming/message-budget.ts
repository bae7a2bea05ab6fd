/**
 * A session's message budget: frames that replace a waiting one, counted per
 * one-second window. A camera that waits for its replies never replaces a
 * frame, so it never spends any budget, however fast the station answers.
 */
import { MESSAGE_BUDGET_WINDOWS } from '../../shared/protocol';

const WINDOW_MS = 1000;

/** What reading a session's socket can do: wait, then go on (a ws WebSocket). */
export interface Readable {
  pause(): void;
  resume(): void;
}

export class MessageBudget {
  private windowStart: number | null = null;
  private inWindow = 0;
  /** Windows in a row, before the current one, that went over the budget. */
  private overInARow = 0;
  private paused = false;

  constructor(
    private readonly maxPerSecond: number,
    private readonly windows = MESSAGE_BUDGET_WINDOWS,
  ) {}

  /**
   * Counts a replacing frame; true once `windows` windows in a row went over the
   * budget. Over it before that, reading `socket` pauses until the window ends.
   */
  spend(now: number, socket?: Readable): boolean {
    this.advance(now);
    this.inWindow++;
    if (this.inWindow <= this.maxPerSecond) return false;
    if (this.overInARow + 1 >= this.windows) return true;
    if (socket) this.pauseUntilWindowEnds(socket, now);
    return false;
  }

  /**
   * The session's messages stay in the kernel until the window ends, so a flood costs
   * the event loop no more than the budget; TCP slows the sender meanwhile.
   */
  private pauseUntilWindowEnds(socket: Readable, now: number): void {
    if (this.paused || this.windowStart === null) return;
    this.paused = true;
    socket.pause();
    const left = Math.max(0, this.windowStart + WINDOW_MS - now);
    setTimeout(() => {
      this.paused = false;
      socket.resume();
    }, left + 1).unref();
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
