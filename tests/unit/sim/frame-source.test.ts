import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createFrameSource } from '../../../src/main/sim/frame-source';

describe('createFrameSource', () => {
  it('renders valid JPEGs of the asked size', async () => {
    const source = await createFrameSource({
      width: 320,
      height: 180,
      cameraId: 'cam-a',
      ringSize: 4,
    });
    expect(source.frames).toHaveLength(4);
    for (const frame of source.frames) {
      expect(frame[0]).toBe(0xff);
      expect(frame[1]).toBe(0xd8);
      expect(frame[frame.length - 2]).toBe(0xff);
      expect(frame[frame.length - 1]).toBe(0xd9);
      const meta = await sharp(frame).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 320, height: 180 });
      // A full decode succeeds: the bytes are a whole image, not just a header.
      const { info } = await sharp(frame).raw().toBuffer({ resolveWithObject: true });
      expect(info.width).toBe(320);
    }
  });

  it('makes frames that differ from one to the next, and loops over the ring', async () => {
    const source = await createFrameSource({
      width: 160,
      height: 120,
      cameraId: 'cam-b',
      ringSize: 3,
    });
    const first = source.next();
    const second = source.next();
    const third = source.next();
    expect(first.equals(second)).toBe(false);
    expect(second.equals(third)).toBe(false);
    expect(source.next()).toBe(first);
    // The pixels change, not just the bytes: the moving shapes are visible.
    const a = await sharp(first).greyscale().raw().toBuffer();
    const b = await sharp(second).greyscale().raw().toBuffer();
    let changed = 0;
    for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > 40) changed++;
    expect(changed / a.length).toBeGreaterThan(0.01);
  });

  it('draws different content for different cameras, the same for the same seed', async () => {
    const a = await createFrameSource({ width: 160, height: 120, cameraId: 'cam-a', ringSize: 1 });
    const b = await createFrameSource({ width: 160, height: 120, cameraId: 'cam-b', ringSize: 1 });
    const a2 = await createFrameSource({ width: 160, height: 120, cameraId: 'cam-a', ringSize: 1 });
    expect(a.frames[0]!.equals(b.frames[0]!)).toBe(false);
    expect(a.frames[0]!.equals(a2.frames[0]!)).toBe(true);
  });

  it('weighs about 94 KiB at 1280x720 with the default noise and quality', async () => {
    const source = await createFrameSource({
      width: 1280,
      height: 720,
      cameraId: 'cam-1',
      ringSize: 2,
    });
    expect(source.meanBytes).toBeGreaterThan(70 * 1024);
    expect(source.meanBytes).toBeLessThan(120 * 1024);
  });

  it('refuses impossible options with the rule they broke', async () => {
    await expect(createFrameSource({ width: 0, height: 10, cameraId: 'x' })).rejects.toThrow(
      /width must be an integer from 16 to 8192/,
    );
    await expect(
      createFrameSource({ width: 64, height: 64, cameraId: 'x', quality: 101 }),
    ).rejects.toThrow(/quality must be/);
  });
});
