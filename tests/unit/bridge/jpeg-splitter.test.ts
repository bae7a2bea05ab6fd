import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJpegSplitter } from '../../../src/main/bridge/jpeg-splitter';

async function jpeg(width: number, withExifThumbnail = false): Promise<Buffer> {
  const image = sharp({
    create: { width, height: 32, channels: 3, background: { r: width % 255, g: 80, b: 160 } },
  }).jpeg({ quality: 80 });
  if (!withExifThumbnail) return image.toBuffer();
  // An APP1 segment whose payload holds FF D9 must not end the image.
  const base = await image.toBuffer();
  const payload = Buffer.from([0x45, 0x78, 0x69, 0x66, 0, 0, 0xff, 0xd8, 0xff, 0xd9, 0xff, 0xd9]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, payload.length + 2]), payload]);
  return Buffer.concat([base.subarray(0, 2), app1, base.subarray(2)]);
}

function split(stream: Buffer, chunkSize: number, maxImageBytes = 1 << 20) {
  const images: Buffer[] = [];
  const discarded: string[] = [];
  const splitter = createJpegSplitter({
    maxImageBytes,
    onImage: (image) => images.push(image),
    onDiscard: (_bytes, reason) => discarded.push(reason),
  });
  for (let i = 0; i < stream.length; i += chunkSize)
    splitter.push(stream.subarray(i, i + chunkSize));
  return { images, discarded, buffered: splitter.buffered() };
}

describe('jpeg splitter', () => {
  let frames: Buffer[];
  beforeAll(async () => {
    frames = await Promise.all([40, 48, 56, 64].map((w) => jpeg(w)));
  });

  it.each([1, 7, 4096, 1 << 20])('splits back-to-back images in %i-byte chunks', (chunk) => {
    const { images, discarded, buffered } = split(Buffer.concat(frames), chunk);
    expect(images.map((i) => i.toString('hex'))).toEqual(frames.map((f) => f.toString('hex')));
    expect(discarded).toEqual([]);
    expect(buffered).toBe(0);
  });

  it('skips garbage between images', () => {
    const noise = Buffer.from('garbage\xff\x00junk', 'latin1');
    const { images, discarded } = split(Buffer.concat([noise, frames[0]!, noise, frames[1]!]), 5);
    expect(images).toHaveLength(2);
    expect(discarded.every((r) => r === 'garbage')).toBe(true);
  });

  it('does not end an image at an FF D9 inside a segment payload', async () => {
    const tricky = await jpeg(72, true);
    const { images } = split(Buffer.concat([tricky, frames[0]!]), 3);
    expect(images.map((i) => i.length)).toEqual([tricky.length, frames[0]!.length]);
    const meta = await sharp(images[0]).metadata();
    expect(meta.width).toBe(72);
  });

  it('drops an image over the cap and keeps the next', () => {
    const big = frames[3]!;
    const { images, discarded } = split(Buffer.concat([big, frames[0]!]), 64, big.length - 1);
    expect(images.map((i) => i.length)).toEqual([frames[0]!.length]);
    expect(discarded).toContain('too_large');
  });

  it('keeps a truncated image waiting, then resynchronises at the next SOI', () => {
    const cut = frames[1]!.subarray(0, 100);
    const { images } = split(Buffer.concat([cut, frames[2]!]), 10);
    expect(images.map((i) => i.length)).toEqual([frames[2]!.length]);
  });
});
