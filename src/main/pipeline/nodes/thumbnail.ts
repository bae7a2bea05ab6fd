/**
 * `thumbnail`: a small JPEG for the window's live preview (never sent to the
 * camera). Reduced in JavaScript (a box filter: cheap at this size, and shared
 * with other nodes through the frame's variants), then one sharp call encodes.
 */
import sharp from 'sharp';
import { defineOp } from '../node-op';
import { intParam, paramsSchema } from '../params';

/** Above this reduction factor, libvips's resize beats the JavaScript box filter. */
const JS_REDUCE_MAX_FACTOR = 4;

export const thumbnailOp = defineOp({
  op: 'thumbnail',
  summary: 'A width-pixel-wide JPEG preview for the window; outputs {width, height, bytes}',
  params: paramsSchema({ width: intParam(16, 1920, 160), quality: intParam(1, 100, 70) }),
  input: 'pixels',
  producesImage: false,
  need: ({ width }) => ({ width, colour: true }),
  create: ({ width, quality }) => ({
    async run({ image, frame }) {
      const small = image!.width <= width * JS_REDUCE_MAX_FACTOR;
      const src = small ? frame.variant(image!, width, false) : image!;
      let encoder = sharp(src.data, {
        raw: { width: src.width, height: src.height, channels: src.channels },
      });
      // Large sources, and sources narrower than the thumbnail (enlarged).
      if (src.width !== width) encoder = encoder.resize({ width });
      const { data, info } = await encoder.jpeg({ quality }).toBuffer({ resolveWithObject: true });
      return {
        json: { width: info.width, height: info.height, bytes: data.length },
        thumbnail: data,
      };
    },
  }),
});
