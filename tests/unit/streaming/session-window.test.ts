import { describe, expect, it } from 'vitest';
import type { SessionLimits } from '../../../src/main/streaming/session-deps';
import { SessionWindow } from '../../../src/main/streaming/session-window';

const limits: SessionLimits = {
  queueDepth: 2,
  rateWindowMs: 1000,
  dropThreshold: 0.1,
  slowdownThreshold: 0.3,
  slowdownIntervalMs: 500,
  maxFrameBytes: 1 << 20,
  maxFps: 60,
};

const T0 = 10_000;

/** 20 frames received over the first 200 ms, `dropped` of them dropped, the rest processed. */
function windowWith(dropped: number): SessionWindow {
  const window = new SessionWindow(limits, T0);
  for (let i = 0; i < 20; i++) {
    const at = T0 + i * 10;
    window.onReceived(at);
    if (i < dropped) window.onDropped(at);
    else window.onProcessed(at);
  }
  return window;
}

describe('a session rate window', () => {
  it('reads normal with no frames, before its first update', () => {
    const window = new SessionWindow(limits, T0);
    expect(window.reading).toEqual({ dropRate: 0, state: 'normal', fpsIn: 0, fpsOut: 0 });
    expect(window.update(T0 + 100, true)).toBeNull();
  });

  it('keeps the last reading: the drop rate, the state and the rates in and out', () => {
    const window = windowWith(3);
    expect(window.update(T0 + 200, true)).toBeNull();
    expect(window.reading.state).toBe('degraded');
    expect(window.reading.dropRate).toBeCloseTo(0.15);
    expect(window.reading.fpsIn).toBeCloseTo(100);
    expect(window.reading.fpsOut).toBeCloseTo(85);
  });

  it('suggests what the station sustained in slow_down, then not again within the interval', () => {
    const window = windowWith(8);
    expect(window.update(T0 + 200, true)).toBeCloseTo(60);
    expect(window.reading.state).toBe('slow_down');
    expect(window.update(T0 + 400, true)).toBeNull();
    expect(window.update(T0 + 700, true)).not.toBeNull();
  });

  it('suggests nothing once the session has stopped streaming, yet still reads the state', () => {
    const window = windowWith(8);
    expect(window.update(T0 + 200, false)).toBeNull();
    expect(window.reading.state).toBe('slow_down');
    // The notice was not spent: a session streaming again is told at once.
    expect(window.update(T0 + 210, true)).not.toBeNull();
  });
});
