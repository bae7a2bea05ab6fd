import { describe, expect, it } from 'vitest';
import { cropPixels, reduceToWidth, toGrey, type RawImage } from '../../../src/main/pipeline/image';
import {
  channelStats,
  clippedFractions,
  frameDifference,
  laplacianVariance,
  meanOf,
} from '../../../src/main/pipeline/measure';

const image = (
  width: number,
  height: number,
  channels: 1 | 3,
  at: (i: number) => number,
): RawImage => ({
  data: Buffer.from(Array.from({ length: width * height * channels }, (_, i) => at(i))),
  width,
  height,
  channels,
});

/** Reference box average, written the slow obvious way. */
function slowReduce(src: RawImage, width: number): number[] {
  const height = Math.max(1, Math.round((src.height * width) / src.width));
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * src.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * src.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * src.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * src.width) / width));
      for (let c = 0; c < src.channels; c++) {
        let sum = 0;
        for (let sy = y0; sy < y1; sy++)
          for (let sx = x0; sx < x1; sx++)
            sum += src.data[(sy * src.width + sx) * src.channels + c]!;
        out.push(Math.round(sum / ((y1 - y0) * (x1 - x0))));
      }
    }
  }
  return out;
}

describe('raw image helpers', () => {
  it('reduces by box averaging: the 2x fast path, other integer factors and fractional ones agree with a reference', () => {
    for (const channels of [1, 3] as const) {
      const src = image(24, 12, channels, (i) => (i * 37) % 256);
      for (const width of [12, 8, 6, 10, 7]) {
        const fast = reduceToWidth(src, width);
        expect(fast.channels).toBe(channels);
        const reference = slowReduce(src, width);
        const got = [...fast.data];
        expect(got.length).toBe(reference.length);
        // Integer rounding may differ by one between the paths.
        got.forEach((v, i) => expect(Math.abs(v - reference[i]!)).toBeLessThanOrEqual(1));
      }
      expect(reduceToWidth(src, 24)).toBe(src);
      expect(reduceToWidth(src, 50)).toBe(src);
    }
  });

  it('converts RGB to luma and leaves grey as is', () => {
    const rgb = image(2, 1, 3, (i) => [255, 0, 0, 0, 0, 255][i]!);
    expect([...toGrey(rgb).data]).toEqual([76, 28]);
    const grey = image(2, 2, 1, () => 9);
    expect(toGrey(grey)).toBe(grey);
  });

  it('crops whole pixels', () => {
    const src = image(4, 3, 1, (i) => i);
    expect([...cropPixels(src, 1, 1, 2, 2).data]).toEqual([5, 6, 9, 10]);
  });

  it('measures: stats, Laplacian, clipping, differences', () => {
    const flat = image(10, 10, 1, () => 100);
    expect(channelStats(flat)).toEqual([{ mean: 100, stdev: 0 }]);
    expect(meanOf(flat)).toBe(100);
    expect(laplacianVariance(flat)).toBe(0);
    const checker = image(10, 10, 1, (i) => (((i % 10) + Math.floor(i / 10)) % 2 ? 255 : 0));
    expect(laplacianVariance(checker)).toBeGreaterThan(100_000);
    expect(clippedFractions(checker, 16, 239)).toEqual({ dark: 0.5, bright: 0.5, mean: 127.5 });
    const rgb = image(2, 2, 3, (i) => [10, 20, 30][i % 3]!);
    expect(channelStats(rgb).map((c) => c.mean)).toEqual([10, 20, 30]);
    const shifted = image(10, 10, 1, () => 150);
    expect(frameDifference(flat, shifted, 25)).toEqual({ score: 50 / 255, changed: 1 });
    expect(frameDifference(flat, flat, 25)).toEqual({ score: 0, changed: 0 });
  });
});
