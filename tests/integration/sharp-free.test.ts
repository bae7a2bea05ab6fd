/**
 * The frame path without sharp: the built headless station started with
 * require('sharp') made to throw (a --require hook) serves every built-in
 * pipeline, and its results match those of a station decoding with sharp
 * (STATION_DECODER=sharp) within the tolerances of docs/pipelines.md: with
 * the native addon (built by npm ci where TurboJPEG and a compiler exist) and
 * with its WebAssembly build (STATION_DECODER=wasm, as on a PC without a
 * compiler), whose measured values equal the addon's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeAddon } from '../../src/main/pipeline/native';
import { makeDataDir, removeDir, TestCamera, type Message } from '../helpers/station';

const ROOT = resolve(__dirname, '..', '..');
const HEADLESS = join(ROOT, 'out', 'main', 'headless.js');
const HOOK = join(__dirname, 'fixtures', 'no-sharp.cjs');
const PIPELINES = ['noop', 'metadata', 'inspect', 'motion', 'record', 'bench'] as const;

interface Child {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  dataDir: string;
}

async function startHeadless(nodeArgs: string[], env: NodeJS.ProcessEnv): Promise<Child> {
  const dataDir = makeDataDir();
  const child = spawn(
    process.execPath,
    [...nodeArgs, HEADLESS, '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const match = /"event":"station_listening"[^\n]*"port":(\d+)/.exec(out);
    if (match)
      return { child, port: Number(match[1]), stdout: () => out, stderr: () => err, dataDir };
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the station did not start: ${err.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A camera-like scene: grey gradient, a few coloured patches, mild noise. */
async function scene(width: number, height: number, shift: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  let s = 17;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const patch = ((x + shift) >> 7) % 3;
      for (let c = 0; c < 3; c++) {
        s = (s * 1664525 + 1013904223) >>> 0;
        const tint = patch === c ? 35 : 0;
        const v = 30 + (x * 150) / width + (y * 40) / height + tint + (s >>> 28) - 8;
        data[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** Sends the frames one at a time on `pipeline` and returns each frame's result. */
async function results(port: number, pipeline: string, frames: Buffer[]): Promise<Message[]> {
  const url = `ws://127.0.0.1:${port}/ws/video/stream?pipeline_id=${pipeline}&camera_id=nosharp-${pipeline}`;
  const camera = new TestCamera(url);
  await camera.opened;
  await camera.until((m) => m.some((x) => 'hello' in x));
  for (let i = 0; i < frames.length; i++) {
    camera.send(frames[i]!);
    await camera.until((m) => m.filter((x) => typeof x.frame_index === 'number').length > i);
  }
  camera.close();
  return camera.replies().map((r) => r.result as Message);
}

const near = (a: unknown, b: unknown, tolerance: number) =>
  Math.abs((a as number) - (b as number)) <= tolerance;

const withAddon = it.skipIf(!nativeAddon());
let frames: Buffer[] = [];
let native: Child | undefined;
let wasm: Child | undefined;
let viaSharp: Child | undefined;
/** The values both TurboJPEG builds compute from the same pixels. */
const MEASURED = ['brightness', 'sharpness', 'exposure', 'motion'];

describe('a station without sharp', () => {
  beforeAll(async () => {
    if (!existsSync(HEADLESS)) throw new Error(`${HEADLESS} is missing: run npm run build`);
    frames = [await scene(1280, 720, 0), await scene(1280, 720, 60), await scene(640, 480, 0)];
    [native, wasm, viaSharp] = await Promise.all([
      nativeAddon() ? startHeadless(['--require', HOOK], {}) : undefined,
      startHeadless(['--require', HOOK], { STATION_DECODER: 'wasm' }),
      startHeadless([], { STATION_DECODER: 'sharp' }),
    ]);
  }, 40_000);

  afterAll(() => {
    for (const c of [native, wasm, viaSharp]) {
      if (c?.child.exitCode === null) c.child.kill('SIGKILL');
      if (c) removeDir(c.dataDir);
    }
  });

  withAddon('runs with the hook active, the native backend, and never tries to load sharp', () => {
    expect(native!.stderr()).toContain('no-sharp: hook active');
    expect(native!.stdout()).toMatch(/"event":"jpeg_decoder"[^\n]*"decoder":"turbojpeg"/);
    expect(viaSharp!.stdout()).toMatch(/"event":"jpeg_decoder"[^\n]*"decoder":"sharp"/);
  });

  it('runs on the WebAssembly decoder with the hook active, naming it at start', () => {
    expect(wasm!.stderr()).toContain('no-sharp: hook active');
    expect(wasm!.stdout()).toMatch(
      /"event":"jpeg_decoder"[^\n]*"decoder":"wasm"[^\n]*"reason":"STATION_DECODER=wasm"/,
    );
  });

  for (const pipeline of PIPELINES) {
    it(`${pipeline}: every frame answered, results within tolerance of the sharp path`, async () => {
      const [ours, onWasm, reference] = await Promise.all([
        native ? results(native.port, pipeline, frames) : undefined,
        results(wasm!.port, pipeline, frames),
        results(viaSharp!.port, pipeline, frames),
      ]);
      for (const answered of [ours, onWasm]) {
        if (!answered) continue;
        expect(answered).toHaveLength(frames.length);
        for (let i = 0; i < frames.length; i++) {
          const a = answered[i]!;
          const b = reference[i]!;
          expect(a.error, JSON.stringify(a)).toBeUndefined();
          expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
          compareResult(a, b);
        }
      }
      for (let i = 0; ours && i < frames.length; i++) {
        for (const id of MEASURED) expect(onWasm[i]![id], id).toEqual(ours[i]![id]);
      }
      for (const c of [native, wasm]) expect(c?.stderr() ?? '').not.toContain('blocked require');
    });
  }
});

/** Node by node: exact where nothing is decoded, else the documented tolerances. */
function compareResult(a: Message, b: Message): void {
  for (const id of ['bytes', 'metadata']) if (id in b) expect(a[id]).toEqual(b[id]);
  if ('exposure' in b) {
    const [x, y] = [a.exposure as Message, b.exposure as Message];
    expect(near(x.dark, y.dark, 0.02) && near(x.bright, y.bright, 0.02)).toBe(true);
    expect(near(x.mean, y.mean, 8)).toBe(true);
  }
  if ('sharpness' in b) {
    const [x, y] = [a.sharpness as Message, b.sharpness as Message];
    expect([x.width, x.height]).toEqual([y.width, y.height]);
    // The reduction filters differ (DCT scaling vs libvips's): measured 1.0-1.4x here.
    const ratio = (x.laplacian_variance as number) / (y.laplacian_variance as number);
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.6);
  }
  if ('brightness' in b) {
    const [x, y] = [a.brightness as Message, b.brightness as Message];
    expect(near(x.brightness, y.brightness, 8)).toBe(true);
  }
  if ('thumbnail' in b) {
    const [x, y] = [a.thumbnail as Message, b.thumbnail as Message];
    expect([x.width, x.height]).toEqual([y.width, y.height]);
    expect(x.bytes as number).toBeGreaterThan(200);
  }
  if ('motion' in b) {
    const [x, y] = [a.motion as Message, b.motion as Message];
    expect(x.has_previous).toBe(y.has_previous);
    expect(near(x.score, y.score, 0.01) && near(x.changed, y.changed, 0.05)).toBe(true);
  }
  if ('store' in b) expect((a.store as Message).stored).toBe(true);
}
