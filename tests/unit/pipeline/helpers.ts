/** Shared fixtures for pipeline tests: real JPEGs made with sharp, temp dirs, a catalog. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import sharp from 'sharp';
import { createMetrics } from '../../../src/main/observe/metrics';
import {
  createPipelineCatalog,
  type PipelineCatalogOptions,
} from '../../../src/main/pipeline/catalog';
import { compilePipeline } from '../../../src/main/pipeline/compile';
import { validateDefinition } from '../../../src/main/pipeline/definition';
import type { EngineHooks } from '../../../src/main/pipeline/frame';
import { nodeOpRegistry } from '../../../src/main/pipeline/nodes';
import type { EngineServicesOptions } from '../../../src/main/pipeline/services';
import { createEngineServices } from '../../../src/main/pipeline/services';
import { decodeWithSharp } from '../../../src/main/pipeline/decode';
import { toGrey, type RawImage } from '../../../src/main/pipeline/image';
import type { ImageNeed } from '../../../src/main/pipeline/node-op';
import type { FrameInput } from '../../../src/main/pipeline/types';

export async function tempDir(prefix = 'pipeline-test-'): Promise<{
  dir: string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A solid-colour JPEG. */
export function solidJpeg(
  width: number,
  height: number,
  colour: { r: number; g: number; b: number },
  quality = 90,
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg({ quality })
    .toBuffer();
}

/** Random noise: plenty of detail (high sharpness, large JPEG). */
export function noiseJpeg(width: number, height: number, seed = 1, quality = 90): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}

/** A camera-like frame: smooth gradients, a few edges and sensor-ish noise. */
export function sceneJpeg(width: number, height: number, grey = false, seed = 7): Promise<Buffer> {
  const channels = grey ? 1 : 3;
  const data = Buffer.alloc(width * height * channels);
  let s = seed;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const edge = (Math.floor(x / 97) + Math.floor(y / 61)) % 2 === 0 ? 40 : 0;
      for (let c = 0; c < channels; c++) {
        s = (s * 1664525 + 1013904223) >>> 0;
        const noise = (s >>> 27) - 16;
        const base = (x * (c + 1) * 180) / width + (y * 60) / height + edge;
        data[(y * width + x) * channels + c] = Math.max(0, Math.min(255, Math.round(base + noise)));
      }
    }
  }
  return sharp(data, { raw: { width, height, channels } }).jpeg({ quality: 85 }).toBuffer();
}

/** Mean |a - b| per sample; rows matched by position when heights differ by a row or two. */
export function meanAbsDiff(a: RawImage, b: RawImage): number {
  const row = a.width * a.channels;
  let sum = 0;
  for (let y = 0; y < a.height; y++) {
    const yb = Math.min(b.height - 1, Math.round((y * b.height) / a.height));
    for (let i = 0; i < row; i++) sum += Math.abs(a.data[y * row + i]! - b.data[yb * row + i]!);
  }
  return sum / (a.height * row);
}

/** What the station's grey is: BT.601 luma, here of sharp's RGB decode. */
export async function sharpLuma(jpeg: Buffer, need: ImageNeed): Promise<RawImage> {
  const rgb = await decodeWithSharp(jpeg, { ...need, colour: true });
  return rgb.channels === 1 ? rgb : toGrey(rgb);
}

/** Decode needs a decoder is checked at: exact DCT ratios, an odd one, full size. */
export const DECODE_NEEDS: readonly ImageNeed[] = [
  { width: 320, colour: false },
  { width: 320, colour: true },
  { width: 160, colour: false },
  { width: 500, colour: true },
  { width: null, colour: false },
  { width: null, colour: true },
];

/** A grey frame with a white square at (x, y). */
export async function squareJpeg(
  width: number,
  height: number,
  x: number,
  y: number,
  size: number,
): Promise<Buffer> {
  const square = await sharp({
    create: { width: size, height: size, channels: 3, background: { r: 255, g: 255, b: 255 } },
  })
    .png()
    .toBuffer();
  return sharp({
    create: { width, height, channels: 3, background: { r: 40, g: 40, b: 40 } },
  })
    .composite([{ input: square, left: x, top: y }])
    .jpeg({ quality: 95 })
    .toBuffer();
}

export function frame(
  imageBytes: Buffer,
  frameIndex = 1,
  sessionId = 's1',
  cameraId = 'cam1',
): FrameInput {
  return { frameIndex, imageBytes, session: { sessionId, cameraId } };
}

export function silentLogger(): pino.Logger {
  return pino({ level: 'silent' });
}

/** A catalog on temp dirs; `records` collects the JSON log lines. */
export function testCatalog(
  dirs: { userDir: string; dataDir: string },
  extra: Partial<PipelineCatalogOptions> = {},
) {
  const records: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug', base: undefined },
    { write: (line: string) => void records.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const metrics = createMetrics('test');
  // No watcher unless a test asks for one: nothing left open after a test.
  const catalog = createPipelineCatalog({ ...dirs, logger, metrics, watch: false, ...extra });
  return { catalog, metrics, records };
}

/** Compiles one definition object straight into a runnable pipeline. */
export function compileTest(
  definition: object,
  options: {
    dataDir?: string;
    hooks?: EngineHooks;
    services?: Partial<EngineServicesOptions>;
  } = {},
) {
  const records: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'debug', base: undefined },
    { write: (line: string) => void records.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const metrics = createMetrics('test');
  const services = createEngineServices({
    dataDir: options.dataDir ?? tmpdir(),
    logger,
    metrics,
    ...options.services,
  });
  const result = validateDefinition('test.json', definition, nodeOpRegistry());
  if (!result.ok) throw new Error(result.error);
  const pipeline = compilePipeline(result.definition, {
    source: 'user',
    services,
    hooks: options.hooks ?? {},
  });
  return { pipeline, services, metrics, records };
}

/** A one-node pipeline: `{id: op, op, params}`, output = that node. */
export function single(op: string, params: object = {}, extra: object = {}) {
  return {
    id: `only-${op}`,
    name: op,
    nodes: [{ id: op, op, params, ...extra }],
    outputs: [op],
  };
}

export async function decodeInfo(jpeg: Buffer) {
  return sharp(jpeg).metadata();
}
