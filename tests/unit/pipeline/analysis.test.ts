/**
 * The native pixel work against the JavaScript path it replaces: the same
 * numbers, exactly, on images of several sizes and both layouts; the native
 * preview JPEG decodes back to the reduced image within JPEG's error.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  analyseInJs,
  nativeRequest,
  type AnalysisRequest,
} from '../../../src/main/pipeline/analysis';
import { reduceToWidth, toGrey, type RawImage } from '../../../src/main/pipeline/image';
import { nativeAddon, type TurboAddon } from '../../../src/main/pipeline/native';
import { analyseInBatch } from '../../../src/main/pipeline/native-batch';

const addon = nativeAddon();
const native = it.skipIf(!addon);

/** Smooth gradients plus noise: every code path sees varied values. */
function scene(width: number, height: number, channels: 1 | 3, seed: number): RawImage {
  const data = Buffer.alloc(width * height * channels);
  let s = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        s = (s * 1664525 + 1013904223) >>> 0;
        const v = (x * 255) / width + (y * 40) / height + (s >>> 26) - 32 + c * 20;
        data[(y * width + x) * channels + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return { data, width, height, channels };
}

async function both(image: RawImage, request: AnalysisRequest) {
  let view = request.width === null ? image : reduceToWidth(image, request.width);
  if (request.grey) view = toGrey(view);
  const js = analyseInJs(view, request);
  const [out] = await addon!.analyse(image.data, image.width, image.height, image.channels, [
    { ...nativeRequest(request), keep: true },
  ]);
  return { js, out: out!, view };
}

const shapes: [number, number, 1 | 3][] = [
  [320, 180, 3],
  [320, 180, 1],
  [1280, 720, 3],
  [333, 251, 3],
  [97, 61, 1],
];
const widths = [null, 320, 160, 250, 100];

describe('native analyse vs the JavaScript path', () => {
  for (const [w, h, channels] of shapes) {
    native(`${w}x${h}x${channels}: reductions and measurements agree exactly`, async () => {
      const image = scene(w, h, channels, w + h);
      for (const width of widths) {
        for (const grey of [false, true]) {
          const tag = `${w}x${h}x${channels} -> ${width} grey=${grey}`;
          // The Laplacian and clipping are defined on grey images (the nodes ask for grey).
          const request = {
            width,
            grey,
            stats: true,
            laplacian: grey,
            clip: grey ? { dark: 40, bright: 200 } : undefined,
          };
          const { js, out, view } = await both(image, request);
          expect([out.width, out.height, out.channels], tag).toEqual([
            view.width,
            view.height,
            view.channels,
          ]);
          if (out.image) expect(out.image.equals(view.data), tag).toBe(true);
          expect(out.means, tag).toEqual(js.stats!.means);
          expect(out.stdevs, tag).toEqual(js.stats!.stdevs);
          expect(out.brightness, tag).toBe(js.stats!.brightness);
          if (!grey) continue;
          expect(out.laplacian, tag).toBe(js.laplacian);
          expect([out.dark, out.bright, out.mean], tag).toEqual([
            js.clip!.dark,
            js.clip!.bright,
            js.clip!.mean,
          ]);
        }
      }
    });
  }

  native('frame difference: the same score and changed fraction', async () => {
    const a = scene(320, 180, 1, 1);
    const b = scene(320, 180, 1, 2);
    const { js, out } = await both(b, { width: null, grey: true, previous: a, threshold: 10 });
    expect(js.difference!.score).toBeGreaterThan(0);
    expect([out.score, out.changed]).toEqual([js.difference!.score, js.difference!.changed]);
    // A previous image of another size: no difference, as in JavaScript.
    const other = await both(b, { width: null, grey: true, previous: scene(160, 90, 1, 3) });
    expect(other.js.difference).toBeUndefined();
    expect(other.out.score).toBeUndefined();
  });

  native('preview JPEG: decodes to the reduced image, colour and grey', async () => {
    for (const channels of [3, 1] as const) {
      const image = scene(320, 180, channels, 9);
      const { out, view } = await both(image, { width: 160, grey: false, quality: 80 });
      expect((await sharp(out.jpeg).metadata()).channels).toBe(channels);
      const reader = channels === 1 ? sharp(out.jpeg).extractChannel(0) : sharp(out.jpeg);
      const decoded = await reader.raw().toBuffer({ resolveWithObject: true });
      expect([decoded.info.width, decoded.info.height]).toEqual([160, 90]);
      let sum = 0;
      for (let i = 0; i < view.data.length; i++) sum += Math.abs(decoded.data[i]! - view.data[i]!);
      // Measured ~4.8 (grey) and ~6 (colour) on this noisy scene at quality 80.
      expect(sum / view.data.length).toBeLessThan(8);
    }
  });

  native('bad arguments throw a TypeError, not a crash', () => {
    const request = { width: 0, grey: false };
    expect(() => addon!.analyse(Buffer.alloc(10), 4, 4, 3, [request])).toThrow(TypeError);
    expect(() => addon!.analyse(Buffer.alloc(16), 4, 4, 2, [request])).toThrow(
      /width x height x channels/,
    );
    expect(() => addon!.analyse(Buffer.alloc(48), 4, 4, 3, [])).toThrow(/array of 1 to 32/);
  });

  native('requests on one image in one tick go as one call, each gets its own result', async () => {
    const image = scene(320, 180, 3, 5);
    const other = scene(160, 90, 1, 6);
    const calls: number[] = [];
    const counting: TurboAddon = {
      decode: (jpeg, width, grey, luma) => addon!.decode(jpeg, width, grey, luma),
      analyse: (pixels, w, h, c, requests) => {
        calls.push(requests.length);
        return addon!.analyse(pixels, w, h, c, requests);
      },
    };
    const requests = [
      { width: 0, grey: true, clip: true, dark: 40, bright: 200 },
      { width: 0, grey: true, laplacian: true },
      { width: 160, grey: false, quality: 70 },
      { width: 160, grey: false, stats: true, keep: true },
    ];
    const together = await Promise.all([
      ...requests.map((r) => analyseInBatch(counting, image, r)),
      analyseInBatch(counting, other, { width: 0, grey: true, stats: true }),
    ]);
    expect(calls.sort()).toEqual([1, 4]);
    // The same answers as one call per request (views shared on the native side).
    for (const [i, request] of requests.entries()) {
      const [alone] = await addon!.analyse(image.data, 320, 180, 3, [request]);
      const { jpeg, image: kept, ...rest } = together[i]!;
      const { jpeg: aloneJpeg, image: aloneKept, ...aloneRest } = alone!;
      expect(rest).toEqual(aloneRest);
      expect(jpeg?.length).toBe(aloneJpeg?.length);
      expect(kept?.equals(aloneKept!) ?? aloneKept === undefined).toBe(true);
    }
    expect(together[4]!.means).toHaveLength(1);
  });
});
