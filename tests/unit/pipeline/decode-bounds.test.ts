import { describe, expect, it } from 'vitest';
import { progressiveScanBomb } from '../../../bench/fuzz/decode-bombs';
import type { DecodeEvent } from '../../../src/main/pipeline/frame';
import { nativeAddon } from '../../../src/main/pipeline/native';
import { compileTest, frame, solidJpeg } from './helpers';

describe('bounded decoding in the engine', () => {
  it('never hands a scan bomb to a decoder, even for a frame no session checked', async () => {
    const decodes: DecodeEvent[] = [];
    const { pipeline } = compileTest(
      {
        id: 'decode',
        name: 'decode',
        nodes: [{ id: 'stats', op: 'stats' }],
        outputs: ['stats'],
      },
      { hooks: { onDecode: (e) => decodes.push(e) } },
    );
    const reply = await pipeline.run(frame(await progressiveScanBomb(12_000, 512, 512)));
    expect(reply.failure).toMatchObject({
      node: 'stats',
      detail: expect.stringContaining('more than 64 scans'),
    });
    expect(reply.failure?.timedOut).toBeUndefined();
    // Refused by the walk: no decoder started.
    expect(decodes).toHaveLength(0);
  });

  it.skipIf(nativeAddon() === null)(
    "the native decoder applies TurboJPEG's own scan limit to a frame that bypasses the walk",
    async () => {
      const addon = nativeAddon()!;
      const fine = await progressiveScanBomb(50, 128, 128);
      await expect(addon.decode(fine, null, true, false)).resolves.toMatchObject({ width: 128 });
      const bomb = await progressiveScanBomb(1000, 128, 128);
      await expect(addon.decode(bomb, null, true, false)).rejects.toThrow(/scan/i);
    },
  );

  it('answers at the timeout, and says when the timed-out work has really ended', async () => {
    const { pipeline } = compileTest({
      id: 'slow',
      name: 'slow',
      nodes: [{ id: 'wait', op: 'delay', params: { ms: 600 }, timeout_ms: 100 }],
      outputs: ['wait'],
    });
    const started = performance.now();
    const reply = await pipeline.run(frame(await solidJpeg(16, 16, { r: 9, g: 9, b: 9 })));
    const answered = performance.now() - started;
    expect(reply.failure).toEqual({
      node: 'wait',
      detail: 'timed out after 100 ms',
      timedOut: true,
    });
    expect(answered).toBeLessThan(550);
    expect(reply.settled).toBeInstanceOf(Promise);
    await reply.settled;
    expect(performance.now() - started).toBeGreaterThanOrEqual(590);
  });

  it('has nothing to wait for when no node timed out', async () => {
    const { pipeline } = compileTest({
      id: 'quick',
      name: 'quick',
      nodes: [{ id: 'wait', op: 'delay', params: { ms: 5 } }],
      outputs: ['wait'],
    });
    const reply = await pipeline.run(frame(await solidJpeg(16, 16, { r: 9, g: 9, b: 9 })));
    expect(reply.failure).toBeUndefined();
    expect(reply.settled).toBeUndefined();
  });
});
