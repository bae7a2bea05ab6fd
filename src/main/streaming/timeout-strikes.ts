/**
 * Frames in a row whose pipeline outlived its node timeout: a camera whose
 * frames keep doing so costs more than its share, and PIPELINE_TIMEOUT_STRIKES
 * of them close its session. Any frame that finishes in time starts the count again.
 */
import { PIPELINE_TIMEOUT_STRIKES } from '../../shared/protocol';

export class TimeoutStrikes {
  private inARow = 0;

  constructor(private readonly limit = PIPELINE_TIMEOUT_STRIKES) {}

  /** Counts one processed frame; true once the frames in a row reach the limit. */
  count(timedOut: boolean): boolean {
    this.inARow = timedOut ? this.inARow + 1 : 0;
    return this.inARow >= this.limit;
  }
}
