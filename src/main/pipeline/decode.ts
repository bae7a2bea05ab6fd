/**
 * The one JPEG decode of a frame: a single sharp call straight to raw pixels,
 * at the smallest size the pipeline needs (libjpeg shrink-on-load does most of
 * the reduction) and in grey when no node needs colour.
 */
import sharp from 'sharp';
import type { RawImage } from './image';
import type { ImageNeed } from './node-op';

export async function decodeJpeg(bytes: Buffer, need: ImageNeed): Promise<RawImage> {
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
