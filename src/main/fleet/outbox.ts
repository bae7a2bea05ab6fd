/**
 * The bounded outbox between the frame path and the broker: pushing is O(1)
 * and never waits; when it is full the oldest message goes first and is
 * counted. A ring buffer, so memory is fixed by its capacity.
 */

/** What a message is, for the published and dropped counters. */
export type MessageKind = 'result' | 'event' | 'alert';

export interface OutboxMessage {
  kind: MessageKind;
  topic: string;
  payload: string;
}

export class Outbox {
  private readonly ring: (OutboxMessage | undefined)[];
  private head = 0;
  private count = 0;

  /** @param capacity messages held at most (at least 1). */
  constructor(
    readonly capacity: number,
    private readonly onEvicted: (message: OutboxMessage) => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new TypeError(`outbox capacity must be a positive integer, got ${capacity}`);
    }
    this.ring = new Array<OutboxMessage | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Appends; a full outbox first evicts its oldest message. */
  push(message: OutboxMessage): void {
    if (this.count === this.capacity) {
      const evicted = this.shift();
      if (evicted) this.onEvicted(evicted);
    }
    this.ring[(this.head + this.count) % this.capacity] = message;
    this.count++;
  }

  /** Puts a message that could not be delivered back at the front (it stays the oldest). */
  unshift(message: OutboxMessage): void {
    if (this.count === this.capacity) {
      // Full of newer messages: the returned one is the oldest, it goes.
      this.onEvicted(message);
      return;
    }
    this.head = (this.head - 1 + this.capacity) % this.capacity;
    this.ring[this.head] = message;
    this.count++;
  }

  shift(): OutboxMessage | undefined {
    if (this.count === 0) return undefined;
    const message = this.ring[this.head];
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return message;
  }
}
