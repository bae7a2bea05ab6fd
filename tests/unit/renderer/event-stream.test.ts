import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StationEvent } from '../../../src/shared/contract';
import { StationEventStream } from '../../../src/renderer/src/bridge/event-stream';

/** Just enough of the browser's EventSource: the test opens, fails and feeds it. */
class FakeEventSource {
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;

  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }

  close(): void {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }

  /** An HTTP error (a draining station's 503): the browser gives up on this source. */
  failForGood(): void {
    this.readyState = FakeEventSource.CLOSED;
    this.onerror?.();
  }
}

const EVENT: StationEvent = { type: 'sources_changed', sources: [] };

describe('the HTTP bridge event stream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.opened = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('shares one source between listeners and closes it after the last leaves', () => {
    const stream = new StationEventStream('http://127.0.0.1:1/api/events');
    const first: StationEvent[] = [];
    const second: StationEvent[] = [];
    const offFirst = stream.subscribe((e) => first.push(e));
    const offSecond = stream.subscribe((e) => second.push(e));
    expect(FakeEventSource.opened).toHaveLength(1);
    const source = FakeEventSource.opened[0]!;
    source.onmessage?.({ data: JSON.stringify(EVENT) });
    source.onmessage?.({ data: 'not json' });
    expect(first).toEqual([EVENT]);
    expect(second).toEqual([EVENT]);
    offFirst();
    expect(source.closed).toBe(false);
    offSecond();
    expect(source.closed).toBe(true);
  });

  it('reports the connection and reopens after an HTTP error with a doubling delay', () => {
    const stream = new StationEventStream('http://127.0.0.1:1/api/events');
    const states: string[] = [];
    stream.onConnectionChange((s) => states.push(s));
    stream.subscribe(() => undefined);
    FakeEventSource.opened[0]!.onopen?.();
    FakeEventSource.opened[0]!.failForGood();
    expect(states).toEqual(['live', 'lost']);
    vi.advanceTimersByTime(999);
    expect(FakeEventSource.opened).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.opened).toHaveLength(2);
    FakeEventSource.opened[1]!.failForGood();
    vi.advanceTimersByTime(1999);
    expect(FakeEventSource.opened).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.opened).toHaveLength(3);
  });

  it('stops retrying once nobody listens', () => {
    const stream = new StationEventStream('http://127.0.0.1:1/api/events');
    const off = stream.subscribe(() => undefined);
    FakeEventSource.opened[0]!.failForGood();
    off();
    vi.advanceTimersByTime(20_000);
    expect(FakeEventSource.opened).toHaveLength(1);
  });
});
