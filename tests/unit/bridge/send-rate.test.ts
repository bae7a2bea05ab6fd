import { describe, expect, it } from 'vitest';
import { createSendRate } from '../../../src/shared/send-rate';

describe('send rate', () => {
  it('has no limit until the station asks, then uses suggested_fps', () => {
    const rate = createSendRate();
    expect(rate.limitFps()).toBeNull();
    expect(rate.nextSendAt(1000)).toBe(1000);
    expect(rate.onSlowDown(4, 0)).toBe(true);
    expect(rate.limitFps()).toBe(4);
    expect(rate.nextSendAt(1000)).toBe(1250);
    expect(rate.snapshot().state).toBe('slowed');
  });

  it('never rises because of a warning, never drops below the floor', () => {
    const rate = createSendRate({ maxFps: 20, minFps: 1 });
    rate.onSlowDown(5, 0);
    rate.onSlowDown(8, 1000);
    expect(rate.limitFps()).toBe(5);
    rate.onSlowDown(0, 2000);
    expect(rate.limitFps()).toBe(1);
  });

  it('recovers only after two quiet intervals, stepwise, up to the requested rate', () => {
    const rate = createSendRate({ maxFps: 10 });
    rate.onSlowDown(2, 0);
    rate.onSlowDown(2, 500); // learns a 500 ms interval
    expect(rate.snapshot().intervalMs).toBe(500);
    expect(rate.tick(1400)).toBe(false);
    expect(rate.tick(1500)).toBe(true);
    expect(rate.limitFps()).toBe(3);
    expect(rate.snapshot().state).toBe('recovering');
    expect(rate.tick(1700)).toBe(false); // one raise per interval
    const seen: (number | null)[] = [];
    for (let t = 2000; t <= 6000; t += 500) if (rate.tick(t)) seen.push(rate.limitFps());
    expect(seen.at(-1)).toBe(10);
    expect(rate.snapshot().state).toBe('free');
    expect([...seen].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(seen);
  });

  it('a warning during recovery slows again', () => {
    const rate = createSendRate({ maxFps: 30 });
    rate.onSlowDown(4, 0);
    rate.tick(2000);
    expect(rate.limitFps()).toBe(6);
    rate.onSlowDown(5, 2100);
    expect(rate.limitFps()).toBe(5);
    expect(rate.snapshot().state).toBe('slowed');
  });

  it('without a requested rate, lifts the limit once it is high', () => {
    const rate = createSendRate();
    rate.onSlowDown(30, 0);
    let t = 2000;
    while (rate.snapshot().state !== 'free' && t < 20_000) {
      rate.tick(t);
      t += 1000;
    }
    expect(rate.limitFps()).toBeNull();
  });
});
