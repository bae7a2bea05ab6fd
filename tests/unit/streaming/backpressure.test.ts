import { describe, expect, it } from 'vitest';
import { Backpressure, EventWindow, stateFor } from '../../../src/main/streaming/backpressure';

const options = { windowMs: 1000, dropThreshold: 0.1, slowdownThreshold: 0.3 };

describe('EventWindow', () => {
  it('counts only events inside the window', () => {
    const w = new EventWindow(1000);
    for (let t = 0; t < 2000; t += 100) w.push(t);
    expect(w.count(1900)).toBe(10); // 1000..1900
    expect(w.count(5000)).toBe(0);
  });
});

describe('Backpressure', () => {
  it('reports no drop rate until the window holds 10 frames', () => {
    const bp = new Backpressure(options, 0);
    for (let i = 0; i < 9; i++) {
      bp.onReceived(i * 10);
      bp.onDropped(i * 10);
    }
    expect(bp.read(100)).toMatchObject({ dropRate: 0, state: 'normal' });
    bp.onReceived(100);
    expect(bp.read(100).dropRate).toBeCloseTo(0.9);
    expect(bp.read(100).state).toBe('slow_down');
  });

  it('moves normal → degraded → slow_down → normal as drops rise and age out', () => {
    const bp = new Backpressure(options, 0);
    for (let i = 0; i < 20; i++) bp.onReceived(i);
    for (let i = 0; i < 3; i++) bp.onDropped(i);
    expect(bp.read(20).state).toBe('degraded'); // 0.15
    for (let i = 0; i < 5; i++) bp.onDropped(10 + i);
    expect(bp.read(20).state).toBe('slow_down'); // 0.4
    expect(bp.read(2000).state).toBe('normal'); // window passed
  });

  it('reports fps over the window, or since start when younger', () => {
    const bp = new Backpressure(options, 0);
    for (let i = 0; i < 10; i++) {
      bp.onReceived(i * 50);
      if (i % 2 === 0) bp.onProcessed(i * 50);
    }
    const reading = bp.read(500);
    expect(reading.fpsIn).toBeCloseTo(20); // 10 frames in 0.5 s
    expect(reading.fpsOut).toBeCloseTo(10);
  });

  it('maps rates to states at the thresholds exactly', () => {
    expect(stateFor(0.1, options)).toBe('normal');
    expect(stateFor(0.11, options)).toBe('degraded');
    expect(stateFor(0.3, options)).toBe('degraded');
    expect(stateFor(0.31, options)).toBe('slow_down');
  });
});
