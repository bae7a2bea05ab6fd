/**
 * `thumbnail`: a small JPEG for the window's live preview (never sent to the
 * camera). One sharp call from raw pixels: resize and encode together.
 */
import sharp from 'sharp';
import { defineOp } from '../node-op';
import { intParam, paramsSchema } from '../params';

export const thumbnailOp = defineOp({
  op: 'thumbnail',
  summary: 'A width-pixel-wide JPEG preview for the window; outputs {width, height, bytes}',
  params: paramsSchema({ width: intParam(16, 1920, 160), quality: intParam(1, 100, 70) }),
  input: 'pixels',
  producesImage: false,
  need: ({ width }) => ({ width, colour: true }),
  create: ({ width, quality }) => ({
    async run({ image }) {
      const src = image!;
      let encoder = sharp(src.data, {
        raw: { width: src.width, height: src.height, channels: src.channels },
      });
      if (src.width !== width) encoder = encoder.resize({ width });
      const { data, info } = await encoder.jpeg({ quality }).toBuffer({ resolveWithObject: true });
      return {
        json: { width: info.width, height: info.height, bytes: data.length },
        thumbnail: data,
      };
    },
  }),
});
