import { describe, expect, it } from 'vitest';
import { createAdaptiveRate } from '../../../src/main/sim/adaptive-rate';

describe('createAdaptiveRate', () => {
  it('falls to the suggested rate on slow_down and never climbs on a warning', () => {
    const rate = createAdaptiveRate({ targetFps: 30, intervalMs: 1000 });
    expect(rate.onSlowDown(12, 0)).toBe(12);
    expect(rate.onSlowDown(20, 500)).toBe(12);
    expect(rate.onSlowDown(0, 900)).toBe(6);
  });

  it('climbs back only after two quiet intervals, a step at a time, up to the target', () => {
    const rate = createAdaptiveRate({ targetFps: 20, intervalMs: 1000 });
    rate.onSlowDown(8, 0);
    expect(rate.tick(1000)).toBe(8);
    expect(rate.tick(1999)).toBe(8);
    expect(rate.tick(2000)).toBe(10);
    expect(rate.tick(3000)).toBe(10);
    expect(rate.tick(4000)).toBe(12.5);
    let now = 4000;
    while (rate.fps < 20 && now < 100_000) rate.tick((now += 2000));
    expect(rate.fps).toBe(20);
  });

  it('a warning during the climb restarts the quiet period', () => {
    const rate = createAdaptiveRate({ targetFps: 20, intervalMs: 1000 });
    rate.onSlowDown(8, 0);
    rate.onSlowDown(8, 1500);
    expect(rate.tick(2500)).toBe(8);
    expect(rate.tick(3500)).toBe(10);
  });

  it('never goes below the floor', () => {
    const rate = createAdaptiveRate({ targetFps: 4, minFps: 1 });
    rate.onSlowDown(0, 0);
    rate.onSlowDown(0, 1);
    rate.onSlowDown(0, 2);
    expect(rate.fps).toBe(1);
  });
});
