/**
 * The built-in pipelines written by hand, straight on sharp, with the same
 * operations and the same pixel arithmetic as the engine's nodes: the floor the
 * engine's overhead (plan, scheduling, timings, metrics) is measured against.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { reduceToWidth, toGrey, type RawImage } from '../../src/main/pipeline/image';
import {
  channelStats,
  clippedFractions,
  frameDifference,
  laplacianVariance,
} from '../../src/main/pipeline/measure';

export type RawPipeline = (bytes: Buffer, frameIndex: number) => Promise<unknown>;

async function decode(bytes: Buffer, width: number, colour: boolean): Promise<RawImage> {
  const p = sharp(bytes).resize({ width, withoutEnlargement: true });
  const { data, info } = await (
    colour ? p.removeAlpha().toColourspace('srgb') : p.toColourspace('b-w')
  )
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels === 1 ? 1 : 3 };
}

/** As the thumbnail node: box-filter reduction in JS from small sources, then one encode. */
async function thumbnail(image: RawImage, width: number): Promise<Buffer> {
  const src = image.width <= width * 4 ? reduceToWidth(image, width) : image;
  let s = sharp(src.data, {
    raw: { width: src.width, height: src.height, channels: src.channels },
  });
  if (src.width !== width) s = s.resize({ width });
  return s.jpeg({ quality: 70 }).toBuffer();
}

async function inspect(bytes: Buffer) {
  const [meta, image] = await Promise.all([sharp(bytes).metadata(), decode(bytes, 320, true)]);
  const grey = toGrey(reduceToWidth(image, 320));
  const exposure = clippedFractions(grey, 16, 239);
  const sharpness = laplacianVariance(grey);
  const thumb = await thumbnail(image, 160);
  return {
    meta: [meta.width, meta.height, meta.chromaSubsampling, meta.orientation],
    exposure,
    sharpness,
    thumb: thumb.length,
  };
}

export function rawPipelines(recordDir: string): Record<string, RawPipeline> {
  let previous: RawImage | null = null;
  let dirMade = false;
  return {
    noop: (bytes) => Promise.resolve({ bytes: bytes.length }),
    metadata: async (bytes) => {
      const m = await sharp(bytes).metadata();
      return [m.width, m.height, m.format, m.chromaSubsampling, m.orientation];
    },
    inspect,
    motion: async (bytes) => {
      const image = await decode(bytes, 160, true);
      const grey = toGrey(reduceToWidth(image, 160));
      const diff = previous ? frameDifference(previous, grey, 25) : null;
      previous = grey;
      const thumb = await thumbnail(image, 160);
      return { diff, thumb: thumb.length };
    },
    record: async (bytes, frameIndex) => {
      const result = await inspect(bytes);
      if (!dirMade) {
        await mkdir(recordDir, { recursive: true });
        dirMade = true;
      }
      const file = `${String(frameIndex).padStart(8, '0')}.jpg`;
      await writeFile(join(recordDir, file), bytes);
      await appendFile(
        join(recordDir, 'results.jsonl'),
        `${JSON.stringify({ frame_index: frameIndex, file, result })}\n`,
      );
      return result;
    },
    bench: async (bytes) => {
      const grey = await decode(bytes, 320, false);
      const stats = channelStats(grey);
      const sharpness = laplacianVariance(grey);
      const thumb = await thumbnail(grey, 160);
      return { stats, sharpness, thumb: thumb.length };
    },
  };
}
