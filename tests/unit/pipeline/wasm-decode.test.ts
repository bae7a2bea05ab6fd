/**
 * The WebAssembly build of the TurboJPEG decode, on its worker pool: the same
 * pixels as the native addon (bit for bit, where the addon is built), within
 * the native path's bounds of sharp, and corrupt input refused without taking
 * the pool down.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWithSharp } from '../../../src/main/pipeline/decode';
import { nativeAddon } from '../../../src/main/pipeline/native';
import type { ImageNeed } from '../../../src/main/pipeline/node-op';
import {
  closeWasmPool,
  decodeWithWasm,
  wasmDecoderAvailable,
} from '../../../src/main/pipeline/wasm-decode';
import { WASM_POOL_SIZE } from '../../../src/main/pipeline/wasm-pool';
import { DECODE_NEEDS, meanAbsDiff, noiseJpeg, sceneJpeg, sharpLuma } from './helpers';

const needs = DECODE_NEEDS;

async function nativeDecode(jpeg: Buffer, need: ImageNeed) {
  const out = await nativeAddon()!.decode(jpeg, need.width, !need.colour, true);
  return { data: out.data, width: out.width, height: out.height, channels: out.channels };
}

async function samples(): Promise<[string, Buffer][]> {
  return [
    ['scene 1280x720', await sceneJpeg(1280, 720)],
    ['scene 1001x667', await sceneJpeg(1001, 667)],
    ['grey scene 640x480', await sceneJpeg(640, 480, true)],
    ['noise 333x251', await noiseJpeg(333, 251, 5, 80)],
  ];
}

describe('WebAssembly TurboJPEG decode', () => {
  afterAll(() => closeWasmPool());

  it('loads from the installed package', () => {
    expect(wasmDecoderAvailable()).toBe(true);
  });

  it.skipIf(!nativeAddon())('gives the native decoder’s pixels, bit for bit', async () => {
    for (const [label, jpeg] of await samples()) {
      for (const need of needs) {
        const [ours, native] = await Promise.all([
          decodeWithWasm(jpeg, need),
          nativeDecode(jpeg, need),
        ]);
        const tag = `${label} ${JSON.stringify(need)}`;
        expect([ours.width, ours.height, ours.channels], tag).toEqual([
          native.width,
          native.height,
          native.channels,
        ]);
        // Buffer.equals: a deep toEqual over a megabyte of samples takes seconds.
        expect(ours.data.equals(native.data), tag).toBe(true);
      }
    }
  });

  it('stays within the native path’s bounds of sharp', async () => {
    const jpeg = await sceneJpeg(1280, 720);
    for (const need of needs.filter((n) => n.width === null || 1280 % n.width === 0)) {
      const reference = need.colour
        ? await decodeWithSharp(jpeg, need)
        : await sharpLuma(jpeg, need);
      const ours = await decodeWithWasm(jpeg, need);
      expect([ours.width, ours.height, ours.channels]).toEqual([
        reference.width,
        reference.height,
        reference.channels,
      ]);
      expect(meanAbsDiff(ours, reference), JSON.stringify(need)).toBeLessThan(1.5);
    }
  });

  it('decodes frames in parallel, each to its own result', async () => {
    const frames = await Promise.all([0, 1, 2, 3, 4, 5].map((s) => noiseJpeg(96, 64, s + 1)));
    const need = { width: null, colour: true };
    const together = await Promise.all(frames.map((f) => decodeWithWasm(f, need)));
    for (let i = 0; i < frames.length; i++) {
      const alone = await decodeWithWasm(frames[i]!, need);
      expect(together[i]!.data.equals(alone.data)).toBe(true);
    }
  });

  it('refuses the frames in flight when the pool closes, and starts afresh after', async () => {
    const jpeg = await sceneJpeg(640, 480);
    const need = { width: null, colour: true };
    const inFlight = Array.from({ length: WASM_POOL_SIZE + 4 }, () => decodeWithWasm(jpeg, need));
    const settling = Promise.allSettled(inFlight);
    await closeWasmPool();
    const settled = await settling;
    // Every frame settles; those still queued (at least four) are refused.
    const refused = settled.filter((s) => s.status === 'rejected');
    expect(refused.length).toBeGreaterThanOrEqual(4);
    expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/wasm-decode/);
    expect((await decodeWithWasm(jpeg, need)).width).toBe(640);
  });

  it('refuses corrupt, truncated, empty and CMYK frames, and keeps decoding', async () => {
    const jpeg = await sceneJpeg(320, 240);
    const cmyk = await sharp(jpeg).toColourspace('cmyk').jpeg().toBuffer();
    const need = { width: 160, colour: false };
    const bad = [
      Buffer.from('not a jpeg at all'),
      jpeg.subarray(0, jpeg.length >> 1),
      Buffer.alloc(0),
      Buffer.concat([jpeg.subarray(0, 400), Buffer.alloc(600, 0xa5), jpeg.subarray(1000)]),
    ];
    // More bad frames than workers: each worker recovers from a fatal error, repeatedly.
    for (let round = 0; round < 3; round++) {
      for (const frame of bad) {
        await expect(decodeWithWasm(frame, need)).rejects.toThrow(/wasm-decode/);
      }
    }
    await expect(decodeWithWasm(cmyk, need)).rejects.toThrow(/CMYK/);
    const after = await decodeWithWasm(jpeg, need);
    expect([after.width, after.height, after.channels]).toEqual([160, 120, 1]);
  });
});
