/**
 * The one JPEG decode of a frame, at the smallest size the pipeline needs and
 * in grey when no node needs colour.
 *
 * Fast path: the optional native addon (native.ts), a TurboJPEG DCT-scaled
 * decode and any remaining box reduction to the exact width, on the libuv
 * thread pool; grey straight from the JPEG's luma (Y) component. Without the
 * addon (or with STATION_DECODER=wasm): the same decode compiled to
 * WebAssembly on worker threads (wasm-decode.ts). Last resort: a single sharp
 * call (libvips shrink-on-load) — for frames both refuse (e.g. CMYK) or with
 * STATION_DECODER=sharp, where sharp may be loaded (sharp-runtime.ts).
 */
import type { RawImage } from './image';
import { nativeAddon, nativeProblem, type NativeDecoded } from './native';
import { attachAnalyses, type UsualRequests } from './native-batch';
import type { ImageNeed } from './node-op';
import { requireSharp } from './sharp-runtime';
import { decodeWithWasm, wasmDecoderAvailable, wasmProblem } from './wasm-decode';

export type JpegDecoderName = 'turbojpeg' | 'wasm' | 'sharp';

/** Which decoder frames go through, and why not the native one. */
export function jpegDecoder(): { name: JpegDecoderName; reason?: string } {
  if (nativeAddon()) return { name: 'turbojpeg' };
  const reason = nativeProblem();
  if (wasmDecoderAvailable()) return { name: 'wasm', reason };
  return { name: 'sharp', reason: joinReasons(reason, wasmProblem()) };
}

/** Why neither fast decoder is used, each reason once (STATION_DECODER=sharp turns off both). */
export function joinReasons(...reasons: string[]): string {
  return [...new Set(reasons.filter(Boolean))].join('; ');
}

/** With `usual`, the native decode also runs what the pipeline's nodes usually ask of the image. */
export async function decodeJpeg(
  bytes: Buffer,
  need: ImageNeed,
  usual?: UsualRequests,
): Promise<RawImage> {
  const turbo = nativeAddon();
  if (turbo) {
    let decoded: NativeDecoded | null = null;
    let problem: unknown;
    const requests = usual?.list();
    try {
      decoded = await turbo.decode(bytes, need.width, !need.colour, true, requests);
    } catch (err) {
      // CMYK, truncated or otherwise odd frames: sharp decides, where it may run.
      problem = err;
    }
    if (decoded && (decoded.channels === 1 || decoded.channels === 3)) {
      const { data, width, height, channels } = decoded;
      const image: RawImage = { data, width, height, channels };
      if (usual) attachAnalyses(image, usual, requests, decoded.analyses);
      return image;
    }
    return decodeWithSharp(bytes, need, problem);
  }
  if (wasmDecoderAvailable()) {
    return decodeWithWasm(bytes, need).catch((err: unknown) => decodeWithSharp(bytes, need, err));
  }
  return decodeWithSharp(bytes, need);
}

export async function decodeWithSharp(
  bytes: Buffer,
  need: ImageNeed,
  nativeError?: unknown,
): Promise<RawImage> {
  let sharp;
  try {
    sharp = requireSharp('decoding this frame');
  } catch (err) {
    // The native decoder's own words say more about the frame than "no sharp".
    throw nativeError instanceof Error ? nativeError : err;
  }
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
