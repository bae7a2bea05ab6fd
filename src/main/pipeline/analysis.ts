/**
 * The measuring nodes' pixel work, in one place and with one result shape:
 * on the native addon's pool threads when it is built (the JavaScript thread
 * only dispatches), else in JavaScript over the frame's memoised variants.
 * Both give the same numbers (native/turbo-decode/pixels.c mirrors image.ts
 * and measure.ts, bit for bit); only preview JPEG bytes differ by encoder.
 */
import type { RawImage } from './image';
import { encodeJpeg } from './jpeg-encoder';
import {
  channelStats,
  clippedFractions,
  frameDifference,
  laplacianVariance,
  meanOf,
} from './measure';
import { toGrey } from './image';
import { analyseInBatch } from './native-batch';
import { nativeAddon, type NativeAnalysis, type NativeRequest, type TurboAddon } from './native';
import type { FrameView } from './node-op';

export interface AnalysisRequest {
  /** Reduce to this width first (null: as received). */
  width: number | null;
  grey: boolean;
  stats?: boolean;
  laplacian?: boolean;
  clip?: { dark: number; bright: number };
  /** The image to compare with (same size, else no difference is computed). */
  previous?: RawImage | null;
  threshold?: number;
  /** A preview JPEG of the reduced image at this quality. */
  quality?: number;
  /** The reduced image is used afterwards (implied by `previous`). */
  keep?: boolean;
}

export interface Analysis {
  /** Size of the image measured (`image` reduced). */
  width: number;
  height: number;
  /** The image measured (reduced and/or grey): always in JavaScript, with `keep` natively. */
  image?: RawImage;
  stats?: { means: number[]; stdevs: number[]; brightness: number };
  laplacian?: number;
  clip?: { dark: number; bright: number; mean: number };
  difference?: { score: number; changed: number };
  jpeg?: Buffer;
}

export function analyse(
  frame: FrameView,
  image: RawImage,
  request: AnalysisRequest,
): Promise<Analysis> | Analysis {
  const addon = nativeAddon();
  if (addon) return analyseNatively(addon, image, request);
  return analyseInJs(frame.variant(image, request.width, request.grey), request);
}

/** The addon's form of a request. */
export function nativeRequest(request: AnalysisRequest): NativeRequest {
  const previous = request.previous;
  return {
    width: request.width ?? 0,
    grey: request.grey,
    stats: request.stats,
    laplacian: request.laplacian,
    clip: request.clip !== undefined,
    dark: request.clip?.dark,
    bright: request.clip?.bright,
    previous: previous?.data,
    threshold: request.threshold,
    keep: request.keep === true || previous !== undefined,
    quality: request.quality,
  };
}

async function analyseNatively(
  addon: TurboAddon,
  image: RawImage,
  request: AnalysisRequest,
): Promise<Analysis> {
  const native = nativeRequest(request);
  const out = await analyseInBatch(addon, image, native);
  const channels = out.channels as 1 | 3;
  const kept: RawImage | undefined = out.image
    ? { data: out.image, width: out.width, height: out.height, channels }
    : native.keep
      ? image
      : undefined;
  return fromNative(out, kept);
}

function fromNative(out: NativeAnalysis, image: RawImage | undefined): Analysis {
  const result: Analysis = { width: out.width, height: out.height, image };
  if (out.means && out.stdevs && out.brightness !== undefined) {
    result.stats = { means: out.means, stdevs: out.stdevs, brightness: out.brightness };
  }
  if (out.laplacian !== undefined) result.laplacian = out.laplacian;
  if (out.dark !== undefined && out.bright !== undefined && out.mean !== undefined) {
    result.clip = { dark: out.dark, bright: out.bright, mean: out.mean };
  }
  if (out.score !== undefined && out.changed !== undefined) {
    result.difference = { score: out.score, changed: out.changed };
  }
  if (out.jpeg) result.jpeg = out.jpeg;
  return result;
}

export function analyseInJs(image: RawImage, request: AnalysisRequest): Analysis {
  const result: Analysis = { width: image.width, height: image.height, image };
  if (request.stats) {
    const channels = channelStats(image);
    result.stats = {
      means: channels.map((c) => c.mean),
      stdevs: channels.map((c) => c.stdev),
      brightness: image.channels === 1 ? channels[0]!.mean : meanOf(toGrey(image)),
    };
  }
  if (request.laplacian) result.laplacian = laplacianVariance(image);
  if (request.clip) result.clip = clippedFractions(image, request.clip.dark, request.clip.bright);
  const previous = request.previous;
  if (previous && previous.width === image.width && previous.height === image.height) {
    if (previous.channels === image.channels) {
      result.difference = frameDifference(previous, image, request.threshold ?? 25);
    }
  }
  if (request.quality) result.jpeg = encodeJpeg(image, request.quality);
  return result;
}
