import { describe, expect, it } from 'vitest';
import { createLatencyHistogram } from '../../../src/main/sim/latency-histogram';

describe('createLatencyHistogram', () => {
  it('gives percentiles to the bucket width and the exact max', () => {
    const h = createLatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i / 10); // 0.1 .. 100 ms
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(50, 0);
    expect(s.p99).toBeCloseTo(99, 0);
    expect(s.max).toBe(100);
    expect(s.mean).toBeCloseTo(50.05, 5);
  });

  it('handles seconds and beyond ten seconds', () => {
    const h = createLatencyHistogram();
    h.record(2500.4);
    h.record(25_000);
    expect(h.percentile(50)).toBe(2501);
    expect(h.percentile(100)).toBe(25_000);
  });

  it('merges and resets', () => {
    const a = createLatencyHistogram();
    const b = createLatencyHistogram();
    a.record(1);
    b.record(3);
    b.record(5);
    a.merge(b);
    expect(a.count).toBe(3);
    expect(a.max).toBe(5);
    a.reset();
    expect(a.summary()).toEqual({ count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });
});

describe('latency snapshots', () => {
  it('round-trip through JSON into another histogram', () => {
    const a = createLatencyHistogram();
    for (const ms of [0.3, 7, 7, 250, 12_000]) a.record(ms);
    const b = createLatencyHistogram();
    b.mergeSnapshot(JSON.parse(JSON.stringify(a.snapshot())) as ReturnType<typeof a.snapshot>);
    expect(b.summary()).toEqual(a.summary());
  });
});
