import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { compileTest, frame, noiseJpeg, single, solidJpeg, squareJpeg } from './helpers';

async function runOne(op: string, jpeg: Buffer, params: object = {}) {
  const { pipeline } = compileTest(single(op, params));
  const reply = await pipeline.run(frame(jpeg));
  if (reply.failure) throw new Error(`${reply.failure.node}: ${reply.failure.detail}`);
  return reply;
}

describe('pipeline nodes', () => {
  it('bytes: the JPEG size', async () => {
    const jpeg = await solidJpeg(32, 32, { r: 1, g: 1, b: 1 });
    expect((await runOne('bytes', jpeg)).result.bytes).toEqual({ bytes: jpeg.length });
  });

  it('metadata: size, format, chroma subsampling, orientation', async () => {
    const plain = await sharp({
      create: { width: 200, height: 100, channels: 3, background: '#808080' },
    })
      .jpeg({ chromaSubsampling: '4:4:4' })
      .toBuffer();
    expect((await runOne('metadata', plain)).result.metadata).toMatchObject({
      width: 200,
      height: 100,
      format: 'jpeg',
      chroma_subsampling: '4:4:4',
      orientation: 1,
    });
    const rotated = await sharp(plain).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect((await runOne('metadata', rotated)).result.metadata).toMatchObject({
      orientation: 6,
      chroma_subsampling: '4:2:0',
    });
  });

  it('sharpness: a sharp image scores higher than its blurred copy', async () => {
    const crisp = await noiseJpeg(640, 480, 7);
    const blurred = await sharp(crisp).blur(3).jpeg({ quality: 90 }).toBuffer();
    const a = (await runOne('sharpness', crisp)).result.sharpness as { laplacian_variance: number };
    const b = (await runOne('sharpness', blurred)).result.sharpness as {
      laplacian_variance: number;
    };
    expect(a.laplacian_variance).toBeGreaterThan(10 * b.laplacian_variance);
    expect((await runOne('sharpness', crisp)).result.sharpness).toMatchObject({
      width: 320,
      height: 240,
    });
  });

  it('exposure: all-black is ~100 % dark, all-white ~100 % bright, mid-grey neither', async () => {
    const black = await runOne('exposure', await solidJpeg(640, 480, { r: 0, g: 0, b: 0 }));
    expect(black.result.exposure).toMatchObject({ bright: 0 });
    expect((black.result.exposure as { dark: number }).dark).toBeGreaterThan(0.99);
    const white = await runOne('exposure', await solidJpeg(640, 480, { r: 255, g: 255, b: 255 }));
    expect((white.result.exposure as { bright: number }).bright).toBeGreaterThan(0.99);
    const grey = await runOne('exposure', await solidJpeg(640, 480, { r: 128, g: 128, b: 128 }));
    expect(grey.result.exposure).toMatchObject({ dark: 0, bright: 0 });
  });

  it('stats: per-channel means and brightness of a solid colour', async () => {
    const reply = await runOne('stats', await solidJpeg(320, 240, { r: 200, g: 100, b: 50 }));
    const stats = reply.result.stats as {
      channels: { mean: number; stdev: number }[];
      brightness: number;
    };
    expect(stats.channels).toHaveLength(3);
    const means = stats.channels.map((c) => c.mean);
    expect(means[0]).toBeCloseTo(200, -1);
    expect(means[1]).toBeCloseTo(100, -1);
    expect(means[2]).toBeCloseTo(50, -1);
    expect(stats.channels.every((c) => c.stdev < 3)).toBe(true);
    // BT.601 luma of (200, 100, 50) ≈ 124.
    expect(Math.abs(stats.brightness - 124)).toBeLessThan(4);
  });

  it('motion: identical frames score 0, a moved square does not; state is per session and freed', async () => {
    const { pipeline, services } = compileTest(single('motion', { width: 160, threshold: 25 }));
    const still = await squareJpeg(320, 240, 40, 40, 60);
    const moved = await squareJpeg(320, 240, 200, 140, 60);
    const first = await pipeline.run(frame(still, 1, 'a'));
    expect(first.result.motion).toEqual({ score: 0, changed: 0, has_previous: false });
    const same = await pipeline.run(frame(still, 2, 'a'));
    expect(same.result.motion).toEqual({ score: 0, changed: 0, has_previous: true });
    const other = await pipeline.run(frame(moved, 3, 'a'));
    const m = other.result.motion as { score: number; changed: number };
    expect(m.score).toBeGreaterThan(0.01);
    // Two 60x60 squares on 320x240 (one left, one arrived) ≈ 9 % of the pixels.
    expect(m.changed).toBeGreaterThan(0.05);
    expect(m.changed).toBeLessThan(0.15);
    // Another session has its own previous frame.
    const b = await pipeline.run(frame(moved, 1, 'b'));
    expect(b.result.motion).toMatchObject({ has_previous: false });
    expect(services.sessionState.size()).toBe(2);
    services.sessionState.release('a');
    expect(services.sessionState.size()).toBe(1);
  });

  it('thumbnail: a valid JPEG of the requested width, kept aside for the window', async () => {
    const reply = await runOne('thumbnail', await noiseJpeg(1280, 720), {
      width: 200,
      quality: 60,
    });
    expect(reply.thumbnail).toBeInstanceOf(Buffer);
    const meta = await sharp(reply.thumbnail).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 200, height: 113 });
    expect(reply.result.thumbnail).toEqual({
      width: 200,
      height: 113,
      bytes: reply.thumbnail!.length,
    });
  });

  it('resize, crop and grayscale feed the image of the nodes that need them', async () => {
    const { pipeline } = compileTest({
      id: 'roi',
      name: 'roi',
      nodes: [
        { id: 'small', op: 'resize', params: { width: 400 } },
        {
          id: 'roi',
          op: 'crop',
          needs: ['small'],
          params: { left: 0.5, top: 0, width: 0.5, height: 0.5 },
        },
        { id: 'grey', op: 'grayscale', needs: ['roi'] },
        { id: 'stats', op: 'stats', needs: ['grey'], params: { width: 0 } },
        { id: 'thumb', op: 'thumbnail', needs: ['roi'], params: { width: 100 } },
      ],
      outputs: ['small', 'roi', 'grey', 'stats', 'thumb'],
    });
    // Left half red, right half blue.
    const red = await sharp({
      create: { width: 400, height: 300, channels: 3, background: '#ff0000' },
    })
      .png()
      .toBuffer();
    const jpeg = await sharp({
      create: { width: 800, height: 600, channels: 3, background: '#0000ff' },
    })
      .composite([{ input: red, left: 0, top: 0 }])
      .jpeg({ quality: 95 })
      .toBuffer();
    const reply = await pipeline.run(frame(jpeg));
    expect(reply.failure).toBeUndefined();
    expect(reply.result.small).toEqual({ width: 400, height: 300 });
    expect(reply.result.roi).toEqual({ left: 200, top: 0, width: 200, height: 150 });
    expect(reply.result.grey).toEqual({ width: 200, height: 150 });
    const stats = reply.result.stats as { channels: { mean: number }[]; brightness: number };
    expect(stats.channels).toHaveLength(1);
    // Pure blue's luma ≈ 29.
    expect(Math.abs(stats.brightness - 29)).toBeLessThan(6);
    const thumb = await sharp(reply.thumbnail).raw().toBuffer({ resolveWithObject: true });
    expect(thumb.info.width).toBe(100);
    expect(thumb.data[2]!).toBeGreaterThan(200); // blue, in colour
    expect(thumb.data[0]!).toBeLessThan(40);
  });

  it('delay: waits and reports its ms', async () => {
    const reply = await runOne('delay', Buffer.from([0xff, 0xd8, 0xff, 0xd9]), { ms: 20 });
    expect(reply.result.delay).toEqual({ ms: 20 });
    expect(reply.timings_ms.delay).toBeGreaterThanOrEqual(15);
  });
});
