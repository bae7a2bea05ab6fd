import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bridgeError } from '../../../src/main/bridge/errors';
import { AttemptEnding } from '../../../src/main/bridge/attempt-ending';
import type { SourceOutcome } from '../../../src/main/bridge/source';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function ending() {
  const outcomes: SourceOutcome[] = [];
  let released = 0;
  const end = new AttemptEnding({ onEnd: (outcome) => outcomes.push(outcome) }, () => {
    released += 1;
  });
  return { end, outcomes, released: () => released };
}

const stalled = () => bridgeError('source_stalled', 'no data for 100 ms');

describe('AttemptEnding', () => {
  it('reports the first outcome only, and releases once', () => {
    const { end, outcomes, released } = ending();
    end.end({ kind: 'finished' });
    end.fail(bridgeError('source_ended'));
    expect(outcomes).toEqual([{ kind: 'finished' }]);
    expect(released()).toBe(1);
    expect(end.over).toBe(true);
  });

  it('fails a stalled attempt, and each new watch postpones the stall', () => {
    const { end, outcomes } = ending();
    end.watch(100, stalled);
    vi.advanceTimersByTime(90);
    end.watch(100, stalled);
    vi.advanceTimersByTime(90);
    expect(outcomes).toEqual([]);
    vi.advanceTimersByTime(10);
    expect(outcomes).toEqual([{ kind: 'failed', error: stalled() }]);
  });

  it('stops the watchdog on unwatch', () => {
    const { end, outcomes } = ending();
    end.watch(100, stalled);
    end.unwatch();
    vi.advanceTimersByTime(1000);
    expect(outcomes).toEqual([]);
    expect(end.over).toBe(false);
  });

  it('reports nothing after close, and leaves releasing to the closer', () => {
    const { end, outcomes, released } = ending();
    end.watch(100, stalled);
    end.close();
    vi.advanceTimersByTime(1000);
    end.fail(bridgeError('source_ended'));
    expect(outcomes).toEqual([]);
    expect(released()).toBe(0);
    expect(end.over).toBe(true);
  });
});
