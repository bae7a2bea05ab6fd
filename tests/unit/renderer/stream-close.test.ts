import { describe, expect, it } from 'vitest';
import { closeOutcome } from '../../../src/renderer/camera/stream-close';
import { CloseCode } from '../../../src/shared/protocol';

const context = { cameraId: 'bench-1', retries: 0, opened: true, lastError: '' };

describe('closeOutcome (the camera page after a close)', () => {
  it('stops for good after a technician disconnects or a replacement', () => {
    expect(closeOutcome(CloseCode.disconnectedByTechnician, '', context)).toMatchObject({
      kind: 'final',
      state: 'stopped',
    });
    expect(closeOutcome(CloseCode.replaced, '', context)).toMatchObject({
      kind: 'final',
      state: 'stopped',
    });
  });

  it('reports a refused stream with the station’s last error before the close reason', () => {
    const outcome = closeOutcome(CloseCode.policyViolation, 'unknown pipeline', {
      ...context,
      lastError: 'unknown_pipeline: no pipeline "x"',
    });
    expect(outcome).toEqual({
      kind: 'final',
      state: 'error',
      message: 'The station refused the stream (1008: unknown_pipeline: no pipeline "x").',
    });
  });

  it('reconnects with a doubling delay capped at 10 s', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((retries) => {
      const outcome = closeOutcome(1006, '', { ...context, retries });
      return outcome.kind === 'retry' ? outcome.delayMs : null;
    });
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(closeOutcome(1006, '', context).message).toBe(
      'Connection lost (1006); reconnecting in 1 s.',
    );
    expect(closeOutcome(1006, '', { ...context, opened: false }).message).toMatch(
      /^Could not connect/,
    );
  });

  it('waits as long as the station asks when the camera name is in use elsewhere', () => {
    const outcome = closeOutcome(CloseCode.cameraInUse, 'camera_in_use retry_after=30', context);
    expect(outcome).toMatchObject({ kind: 'retry', delayMs: 30_000 });
    expect(outcome.message).toContain('camera "bench-1"; retrying in 30 s');
  });
});
