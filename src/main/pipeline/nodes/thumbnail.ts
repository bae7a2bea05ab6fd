/**
 * `thumbnail`: a small JPEG for the window's live preview (never sent to the
 * camera). Small previews are reduced (box filter) and encoded in JavaScript:
 * at this size a libvips call costs more in fixed overhead than the whole
 * encode. Large ones go to sharp, which resizes and encodes in one call.
 */
import sharp from 'sharp';
import { encodeJpeg } from '../jpeg-encoder';
import { defineOp } from '../node-op';
import { intParam, paramsSchema } from '../params';

/** Above this reduction factor, libvips's resize beats the JavaScript box filter. */
const JS_REDUCE_MAX_FACTOR = 4;
/** Up to this many output pixels, the JavaScript encoder beats a libvips call. */
const JS_ENCODE_MAX_PIXELS = 320 * 240;

export const thumbnailOp = defineOp({
  op: 'thumbnail',
  summary: 'A width-pixel-wide JPEG preview for the window; outputs {width, height, bytes}',
  params: paramsSchema({ width: intParam(16, 1920, 160), quality: intParam(1, 100, 70) }),
  input: 'pixels',
  producesImage: false,
  need: ({ width }) => ({ width, colour: true }),
  create: ({ width, quality }) => ({
    async run({ image, frame }) {
      const source = image!;
      if (source.width >= width && source.width <= width * JS_REDUCE_MAX_FACTOR) {
        const small = frame.variant(source, width, false);
        if (small.width * small.height <= JS_ENCODE_MAX_PIXELS) {
          const data = encodeJpeg(small, quality);
          return {
            json: { width: small.width, height: small.height, bytes: data.length },
            thumbnail: data,
          };
        }
      }
      const { data, info } = await sharp(source.data, {
        raw: { width: source.width, height: source.height, channels: source.channels },
      })
        .resize({ width })
        .jpeg({ quality })
        .toBuffer({ resolveWithObject: true });
      return {
        json: { width: info.width, height: info.height, bytes: data.length },
        thumbnail: data,
      };
    },
  }),
});
