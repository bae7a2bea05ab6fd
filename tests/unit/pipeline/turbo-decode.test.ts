/**
 * The native TurboJPEG decode against sharp on real JPEGs: same dimensions,
 * pixels within a few levels, corrupt input rejected (not a crash).
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeJpeg, decodeWithSharp, jpegDecoder } from '../../../src/main/pipeline/decode';
import type { RawImage } from '../../../src/main/pipeline/image';
import { nativeAddon } from '../../../src/main/pipeline/native';
import type { ImageNeed } from '../../../src/main/pipeline/node-op';
import { DECODE_NEEDS, meanAbsDiff, noiseJpeg, sceneJpeg, sharpLuma } from './helpers';

const decoder = jpegDecoder();
if (decoder.name !== 'turbojpeg') {
  console.log(`turbo-decode tests skipped: ${decoder.reason ?? 'native decoder unavailable'}`);
}
const native = it.skipIf(decoder.name !== 'turbojpeg');

/** The addon's decode without luma: grey from RGB the way sharp computes it. */
async function luminanceDecode(jpeg: Buffer, need: ImageNeed): Promise<RawImage> {
  const out = await nativeAddon()!.decode(jpeg, need.width, !need.colour, false);
  return { data: out.data, width: out.width, height: out.height, channels: out.channels as 1 | 3 };
}

/**
 * Same width and channels as the reference (sharp by default). Heights can
 * differ by a row: sharp's depends on its shrink-on-load steps, ours is the
 * full-size aspect ratio.
 */
async function compare(
  jpeg: Buffer,
  need: ImageNeed,
  ours = decodeJpeg,
  against = decodeWithSharp,
): Promise<number> {
  const [fast, reference] = await Promise.all([ours(jpeg, need), against(jpeg, need)]);
  expect(fast.width).toBe(reference.width);
  expect(Math.abs(fast.height - reference.height)).toBeLessThanOrEqual(1);
  expect(fast.channels).toBe(reference.channels);
  expect(fast.data.length).toBe(fast.width * fast.height * fast.channels);
  return meanAbsDiff(fast, reference);
}

/**
 * Bounds (levels, mean per sample) over what was measured: DCT scaling to the
 * exact width (1280 -> 320/160, 640 -> 320/160) or full size <= 1.0; a box
 * reduction after it at an odd ratio (e.g. 560 -> 500) <= 3.1, up to 6.5 on a
 * grey JPEG; uniform noise up to 7.2 at 320 (differences in the filters).
 */
function bound(width: number, need: ImageNeed): number {
  if (need.width === null || width % need.width === 0) return 1.5;
  return 3.5;
}

/** Mean levels between the JPEG's luma and sharp's linear-light luminance, on sceneJpeg. */
const LUMA_VS_SHARP = 8;

const cases: [string, number, number][] = [
  ['1280x720', 1280, 720],
  ['640x480', 640, 480],
  ['1001x667', 1001, 667],
  ['333x251', 333, 251],
];
const needs = DECODE_NEEDS;

describe('native TurboJPEG decode vs sharp', () => {
  for (const [label, width, height] of cases) {
    native(`${label}: same size, pixels within a few levels`, async () => {
      const jpeg = await sceneJpeg(width, height);
      for (const need of needs) {
        const tag = `${label} ${JSON.stringify(need)}`;
        if (need.colour) {
          expect(await compare(jpeg, need), tag).toBeLessThan(bound(width, need));
          continue;
        }
        // Grey: the JPEG's own luma, the same BT.601 weights as the grayscale node.
        expect(await compare(jpeg, need, decodeJpeg, sharpLuma), tag).toBeLessThan(
          bound(width, need),
        );
        // Without luma, the addon matches sharp's luminance ('b-w').
        expect(await compare(jpeg, need, luminanceDecode), tag).toBeLessThan(bound(width, need));
        // Luma against sharp's luminance: the documented tolerance on this colourful scene
        // (docs/pipelines.md: mean 6.3-7.5 levels, 0 on neutral grey).
        expect(await compare(jpeg, need), tag).toBeLessThan(LUMA_VS_SHARP);
      }
    });
  }

  native('luma of a neutral grey scene is within 2 levels of sharp’s luminance', async () => {
    const jpeg = await sceneJpeg(640, 480, true);
    const rgb = await sharp(jpeg).toColourspace('srgb').jpeg({ quality: 95 }).toBuffer();
    const need = { width: 320, colour: false };
    expect(await compare(rgb, need)).toBeLessThan(2.5);
  });

  native('grey JPEG, as grey and as colour', async () => {
    const jpeg = await sceneJpeg(640, 480, true);
    for (const need of needs) {
      const diff = await compare(jpeg, need);
      expect(diff, `grey ${JSON.stringify(need)}`).toBeLessThan(need.width === 500 ? 8 : 2.5);
    }
  });

  native('pure noise 1280x720: same size, within the bound', async () => {
    const jpeg = await noiseJpeg(1280, 720, 3, 80);
    // Odd ratios (e.g. 500) are left out: on uniform noise two different
    // filters disagree by ~24 levels on average, which says nothing useful.
    for (const need of needs.filter((n) => n.width === null || 1280 % n.width === 0)) {
      const diff = await compare(jpeg, need);
      expect(diff, `noise ${JSON.stringify(need)}`).toBeLessThan(8.5);
    }
  });

  native('CMYK JPEG: left to sharp, same result', async () => {
    const rgb = await sceneJpeg(320, 240);
    const cmyk = await sharp(rgb).toColourspace('cmyk').jpeg().toBuffer();
    for (const need of [
      { width: 160, colour: false },
      { width: null, colour: true },
    ]) {
      const [fast, reference] = await Promise.all([
        decodeJpeg(cmyk, need),
        decodeWithSharp(cmyk, need),
      ]);
      expect(fast).toEqual(reference);
    }
  });

  native('corrupt and truncated input falls back to sharp, which rejects', async () => {
    const jpeg = await sceneJpeg(320, 240);
    const need = { width: 160, colour: false };
    await expect(decodeJpeg(Buffer.from('not a jpeg at all'), need)).rejects.toThrow();
    await expect(decodeJpeg(jpeg.subarray(0, jpeg.length >> 1), need)).rejects.toThrow();
    await expect(decodeJpeg(Buffer.alloc(0), need)).rejects.toThrow();
  });
});
