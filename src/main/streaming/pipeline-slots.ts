/**
 * Station-wide pipeline slots: at most `size` frames run at once, whatever the
 * number of cameras (by default one per core plus one, so a core never idles
 * while a frame's JavaScript part runs; measured best on 2 cores: 3 slots). A frame waiting for a slot stays
 * in its session's latest-wins queue, so it is never staler than its camera's
 * frame interval; and the next free slot goes to the session whose next frame
 * has waited longest, so a quiet camera is served before the floods that keep
 * replacing their frames.
 */

export interface SlotClient {
  /** Arrival time of the frame that would run next; Infinity when there is none. */
  nextFrameSince(): number;
  /** The slot is this client's: run one frame, then call `release()`. */
  grant(): void;
}

export class PipelineSlots {
  private busy = 0;
  private readonly waiting = new Set<SlotClient>();

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError('size must be a positive integer');
  }

  /** Grants at once when a slot is free, else when one frees up. One request per client. */
  request(client: SlotClient): void {
    if (this.busy < this.size) {
      this.busy++;
      client.grant();
    } else {
      this.waiting.add(client);
    }
  }

  /** A client that goes away before its grant. */
  cancel(client: SlotClient): void {
    this.waiting.delete(client);
  }

  /** Hands the slot to the longest-waiting frame, or frees it. */
  release(): void {
    let next: SlotClient | null = null;
    let since = Infinity;
    for (const client of this.waiting) {
      const t = client.nextFrameSince();
      if (next === null || t < since) {
        next = client;
        since = t;
      }
    }
    if (next) {
      this.waiting.delete(next);
      next.grant();
    } else {
      this.busy--;
    }
  }

  /** Frames running now and sessions waiting for a slot (for tests and metrics). */
  load(): { running: number; waiting: number } {
    return { running: this.busy, waiting: this.waiting.size };
  }
}
