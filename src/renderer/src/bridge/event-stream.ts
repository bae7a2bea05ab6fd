/**
 * The station's events over one shared EventSource: opened for the first
 * listener, closed after the last, reopened with back-off when the station
 * answers an HTTP error.
 */
import type { StationEvent } from '../../../shared/contract';
import { Listeners } from '../../../shared/listeners';
import type { ConnectionState } from '../state/connection';

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10_000;

export class StationEventStream {
  /** The stream closes when the last of them leaves. */
  private readonly listeners = new Listeners<StationEvent>();
  private readonly connection = new Listeners<ConnectionState>();
  private source: EventSource | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private retryMs = RETRY_MIN_MS;

  constructor(private readonly streamUrl: string) {}

  subscribe(listener: (event: StationEvent) => void): () => void {
    const unsubscribe = this.listeners.subscribe(listener);
    if (!this.source) this.open();
    return () => {
      unsubscribe();
      if (this.listeners.size === 0 && this.source) this.close();
    };
  }

  /** 'live' each time the stream (re)opens, 'lost' when it drops. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    return this.connection.subscribe(listener);
  }

  private open(): void {
    const current = new EventSource(this.streamUrl);
    this.source = current;
    current.onopen = () => {
      this.retryMs = RETRY_MIN_MS;
      this.connection.emit('live');
    };
    // The store refetches the snapshot on the next 'live'.
    current.onerror = () => {
      this.connection.emit('lost');
      // EventSource retries a dropped connection by itself, but gives up for good on
      // an HTTP error (a station draining answers 503): then try again ourselves.
      if (current.readyState === EventSource.CLOSED && this.source === current) {
        this.retryLater(current);
      }
    };
    current.onmessage = (message: { data: string }) => this.deliver(message.data);
  }

  private retryLater(closed: EventSource): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.source === closed) this.open();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private deliver(data: string): void {
    let event: StationEvent;
    try {
      event = JSON.parse(data) as StationEvent;
    } catch {
      return;
    }
    this.listeners.emit(event);
  }

  private close(): void {
    this.source?.close();
    this.source = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
