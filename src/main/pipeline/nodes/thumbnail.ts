/**
 * `thumbnail`: a small JPEG for the window's live preview (never sent to the
 * camera). With the native addon, reduced (box filter) and encoded by
 * TurboJPEG on the thread pool. Without it, small previews are reduced and
 * encoded in JavaScript (cheaper than a libvips call's fixed overhead); large
 * reductions go to sharp where it may run, else JavaScript too. A source
 * narrower than `width` is enlarged (bilinear) first.
 */
import { analyse } from '../analysis';
import { enlargeToWidth, type RawImage } from '../image';
import { nativeAddon } from '../native';
import { defineOp, type FrameView } from '../node-op';
import { intParam, paramsSchema } from '../params';
import { loadSharp } from '../sharp-runtime';

/** Above this reduction factor (or output size), libvips beats the JavaScript path. */
const JS_REDUCE_MAX_FACTOR = 4;
const JS_ENCODE_MAX_PIXELS = 320 * 240;

async function encodeWithSharp(source: RawImage, width: number, quality: number) {
  const sharp = loadSharp();
  if (!sharp) return null;
  const { data, info } = await sharp(source.data, {
    raw: { width: source.width, height: source.height, channels: source.channels },
  })
    .resize({ width })
    .jpeg({ quality })
    .toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height };
}

async function preview(frame: FrameView, source: RawImage, width: number, quality: number) {
  const large =
    source.width > width * JS_REDUCE_MAX_FACTOR ||
    width * Math.round((source.height * width) / source.width) > JS_ENCODE_MAX_PIXELS;
  if (!nativeAddon() && large) {
    const viaSharp = await encodeWithSharp(source, width, quality);
    if (viaSharp) return viaSharp;
  }
  const input = source.width < width ? enlargeToWidth(source, width) : source;
  const out = await analyse(frame, input, { width, grey: false, quality });
  return { jpeg: out.jpeg!, width: out.width, height: out.height };
}

export const thumbnailOp = defineOp({
  op: 'thumbnail',
  summary: 'A width-pixel-wide JPEG preview for the window; outputs {width, height, bytes}',
  params: paramsSchema({ width: intParam(16, 1920, 160), quality: intParam(1, 100, 70) }),
  input: 'pixels',
  producesImage: false,
  need: ({ width }) => ({ width, colour: true }),
  create: ({ width, quality }) => ({
    async run({ image, frame }) {
      const out = await preview(frame, image!, width, quality);
      return {
        json: { width: out.width, height: out.height, bytes: out.jpeg.length },
        thumbnail: out.jpeg,
      };
    },
  }),
});
