/**
 * The one JPEG decode of a frame, at the smallest size the pipeline needs and
 * in grey when no node needs colour.
 *
 * Fast path: the optional native addon (native/turbo-decode), a TurboJPEG
 * DCT-scaled decode on the libuv thread pool, then any remaining reduction to
 * the exact width in JavaScript. Fallback: a single sharp call (libvips
 * shrink-on-load) — when the addon is not built, fails to load, rejects a frame
 * (e.g. CMYK) or STATION_DECODER=sharp.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { reduceToWidth, type RawImage } from './image';
import type { ImageNeed } from './node-op';

interface NativeDecoded {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
  sourceWidth: number;
  sourceHeight: number;
}
interface TurboDecode {
  decode(jpeg: Buffer, targetWidth: number | null, grey: boolean): Promise<NativeDecoded>;
}

export type JpegDecoderName = 'turbojpeg' | 'sharp';

const ADDON = join('native', 'turbo-decode', 'build', 'Release', 'turbo_decode.node');
let native: TurboDecode | null | undefined;
let nativeProblem = '';

/** The directory holding the station's package.json, walking up from `start`. */
function findRoot(start: string): string | null {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
        if (name === 'foregsyte-station') return dir;
      } catch {
        // Not ours (or unreadable): keep walking.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function loadNative(): TurboDecode | null {
  if (native !== undefined) return native;
  native = null;
  if (process.env.STATION_DECODER === 'sharp') {
    nativeProblem = 'STATION_DECODER=sharp';
    return native;
  }
  try {
    const starts = [typeof __dirname === 'string' ? __dirname : null, process.cwd()];
    for (const start of starts) {
      const root = start ? findRoot(start) : null;
      if (!root || !existsSync(join(root, ADDON))) continue;
      const loaded = createRequire(join(root, 'package.json'))(join(root, ADDON)) as TurboDecode;
      if (typeof loaded.decode === 'function') native = loaded;
      break;
    }
    if (!native) nativeProblem = 'native/turbo-decode is not built';
  } catch (err) {
    nativeProblem = err instanceof Error ? err.message : String(err);
  }
  return native;
}

/** Which decoder frames go through, and why not the native one. */
export function jpegDecoder(): { name: JpegDecoderName; reason?: string } {
  return loadNative() ? { name: 'turbojpeg' } : { name: 'sharp', reason: nativeProblem };
}

export async function decodeJpeg(bytes: Buffer, need: ImageNeed): Promise<RawImage> {
  const turbo = loadNative();
  if (turbo) {
    let decoded: NativeDecoded | null = null;
    try {
      decoded = await turbo.decode(bytes, need.width, !need.colour);
    } catch {
      // CMYK, truncated or otherwise odd frames: sharp decides.
    }
    if (decoded && (decoded.channels === 1 || decoded.channels === 3)) {
      const image: RawImage = {
        data: decoded.data,
        width: decoded.width,
        height: decoded.height,
        channels: decoded.channels,
      };
      if (need.width === null || need.width >= decoded.sourceWidth) return image;
      // The size sharp's resize gives, from the full-size dimensions.
      const height = Math.max(
        1,
        Math.round((decoded.sourceHeight * need.width) / decoded.sourceWidth),
      );
      const reduced = reduceToWidth(image, need.width, height);
      if (reduced.width === need.width && reduced.height === height) return reduced;
    }
  }
  return decodeWithSharp(bytes, need);
}

export async function decodeWithSharp(bytes: Buffer, need: ImageNeed): Promise<RawImage> {
  let pipeline = sharp(bytes);
  if (need.width !== null)
    pipeline = pipeline.resize({ width: need.width, withoutEnlargement: true });
  pipeline = need.colour
    ? pipeline.removeAlpha().toColourspace('srgb')
    : pipeline.toColourspace('b-w');
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels === 1 || info.channels === 3) {
    return { data, width: info.width, height: info.height, channels: info.channels };
  }
  // Unusual inputs (e.g. CMYK): one more pass to a layout the nodes understand.
  const fixed = await sharp(data, { raw: info })
    .removeAlpha()
    .toColourspace(need.colour ? 'srgb' : 'b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: fixed.data,
    width: fixed.info.width,
    height: fixed.info.height,
    channels: fixed.info.channels === 1 ? 1 : 3,
  };
}

/** The smallest image satisfying every need: the widest width (full if any), colour if any. */
export function combineNeeds(needs: readonly ImageNeed[]): ImageNeed | null {
  if (needs.length === 0) return null;
  let width: number | null = 0;
  let colour = false;
  for (const need of needs) {
    colour ||= need.colour;
    width = width === null || need.width === null ? null : Math.max(width, need.width);
  }
  return { width, colour };
}
