import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { RawImage } from '../../../src/main/pipeline/image';
import { encodeJpeg } from '../../../src/main/pipeline/jpeg-encoder';
import { readJpegHeader } from '../../../src/main/pipeline/jpeg-header';

/** A smooth gradient with a bright square: structure a JPEG keeps well. */
function pattern(width: number, height: number, channels: 1 | 3): RawImage {
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inSquare = x > width / 3 && x < width / 2 && y > height / 3 && y < height / 2;
      for (let c = 0; c < channels; c++) {
        data[(y * width + x) * channels + c] = inSquare ? 240 : (x * 3 + y * 2 + c * 60) % 200;
      }
    }
  }
  return { data, width, height, channels };
}

function psnr(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / a.length));
}

describe('JavaScript JPEG encoder', () => {
  for (const channels of [1, 3] as const) {
    for (const [width, height] of [
      [160, 90],
      [37, 23],
      [8, 8],
      [1, 1],
    ] as const) {
      it(`${channels === 1 ? 'grey' : 'colour'} ${width}x${height}: libvips decodes it to the same picture`, async () => {
        const image = pattern(width, height, channels);
        const jpeg = encodeJpeg(image, 90);
        const header = readJpegHeader(jpeg);
        expect(header).toMatchObject({ width, height, components: channels, progressive: false });
        if (channels === 3) expect(header.chromaSubsampling).toBe('4:2:0');
        const decoded = await sharp(jpeg)
          .toColourspace(channels === 1 ? 'b-w' : 'srgb')
          .raw()
          .toBuffer({ resolveWithObject: true });
        expect(decoded.info).toMatchObject({ width, height, channels });
        // As faithful as libvips's own encode (4:2:0 for colour) at the same quality.
        const reference = await sharp(image.data, { raw: { width, height, channels } })
          .jpeg({ quality: 90 })
          .toBuffer();
        const referenceDecoded = await sharp(reference)
          .toColourspace(channels === 1 ? 'b-w' : 'srgb')
          .raw()
          .toBuffer();
        const ours = psnr(image.data, decoded.data);
        const theirs = psnr(image.data, referenceDecoded);
        expect(ours).toBeGreaterThan(Math.min(theirs - 1, 40));
        if (width * height > 64) expect(ours).toBeGreaterThan(25);
      });
    }
  }

  it('quality trades size for fidelity, and every quality gives a valid file', async () => {
    const image = pattern(160, 90, 3);
    const sizes = [];
    for (const quality of [1, 30, 70, 100]) {
      const jpeg = encodeJpeg(image, quality);
      sizes.push(jpeg.length);
      expect((await sharp(jpeg).metadata()).format).toBe('jpeg');
    }
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
  });
});
