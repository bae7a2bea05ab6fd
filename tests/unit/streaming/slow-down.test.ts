import { describe, expect, it } from 'vitest';
import type { BackpressureReading } from '../../../src/main/streaming/backpressure';
import { SlowDownNotices } from '../../../src/main/streaming/slow-down';

const reading = (state: BackpressureReading['state'], fpsOut: number): BackpressureReading => ({
  state,
  dropRate: state === 'slow_down' ? 0.5 : 0,
  fpsIn: 20,
  fpsOut,
});

describe('slow_down notices', () => {
  it('tells on entering the state, then at most once per interval while it lasts', () => {
    const notices = new SlowDownNotices(1000, 5000);
    expect(notices.due(10_000, reading('slow_down', 6))).toBe(6);
    expect(notices.due(10_400, reading('slow_down', 6))).toBeNull();
    // Leaving and re-entering inside the interval is not a new notice.
    expect(notices.due(10_600, reading('normal', 6))).toBeNull();
    expect(notices.due(10_800, reading('slow_down', 6))).toBeNull();
    expect(notices.due(11_000, reading('slow_down', 4))).toBe(4);
  });

  it('never suggests less than one frame per rate window', () => {
    const notices = new SlowDownNotices(1000, 5000);
    expect(notices.due(10_000, reading('slow_down', 0))).toBe(0.2);
  });
});
