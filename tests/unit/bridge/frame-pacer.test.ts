import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFramePacer } from '../../../src/main/bridge/frame-pacer';
import { createSendRate } from '../../../src/shared/send-rate';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Offers `perBurst` frames at once every `everyMs` for `seconds`; returns frames sent and skipped. */
function run(limitFps: number, perBurst: number, everyMs: number, seconds: number) {
  let sent = 0;
  let skipped = 0;
  const pacer = createFramePacer({
    rate: createSendRate({ maxFps: limitFps }),
    sink: () => ({ ready: () => true, send: () => undefined, bufferedAmount: () => 0 }),
    onSent: () => (sent += 1),
    onSkipped: () => (skipped += 1),
  });
  const frame = Buffer.alloc(1);
  for (let t = 0; t < seconds * 1000; t += everyMs) {
    for (let i = 0; i < perBurst; i++) pacer.offer(frame);
    vi.advanceTimersByTime(everyMs);
  }
  pacer.stop();
  return { sent, skipped };
}

describe('frame pacer (--fps)', () => {
  it('holds the limit exactly from a faster source', () => {
    const { sent } = run(10, 1, 1000 / 30, 10);
    expect(sent).toBeGreaterThanOrEqual(99);
    expect(sent).toBeLessThanOrEqual(101);
  });

  it('keeps the full rate of a source at the limit that delivers in bursts', () => {
    // 10 fps on average, three frames at a time (ffmpeg's pipe on a busy machine).
    const { sent } = run(10, 3, 300, 10);
    expect(sent).toBeGreaterThanOrEqual(95);
    expect(sent).toBeLessThanOrEqual(102);
  });

  it('never goes above the limit, whatever the bursts (one frame ahead at most)', () => {
    const { sent } = run(5, 10, 100, 10);
    // 10 s at 5 fps, plus the first frame and the one allowed early.
    expect(sent).toBeLessThanOrEqual(52);
    expect(sent).toBeGreaterThanOrEqual(49);
  });
});
