/**
 * `crop`: a region of interest given as fractions of the image (0..1), so the
 * same definition fits any camera resolution and any decode size.
 */
import { cropPixels } from '../image';
import { defineOp } from '../node-op';
import { fractionParam, paramsSchema } from '../params';

const schema = paramsSchema({
  left: fractionParam(0),
  top: fractionParam(0),
  width: fractionParam(1, 0.01, 1),
  height: fractionParam(1, 0.01, 1),
})
  .refine((p) => p.left + p.width <= 1.000001, {
    path: ['width'],
    error: 'left + width must not exceed 1 (the region must stay inside the image)',
  })
  .refine((p) => p.top + p.height <= 1.000001, {
    path: ['height'],
    error: 'top + height must not exceed 1 (the region must stay inside the image)',
  });

export const cropOp = defineOp({
  op: 'crop',
  summary:
    'Region of interest as fractions of the image; outputs {left, top, width, height} in pixels and the image',
  params: schema,
  input: 'pixels',
  producesImage: true,
  need: (p, downstream) => ({
    width:
      downstream?.width === null || downstream === null
        ? null
        : Math.ceil(downstream.width / p.width),
    colour: downstream?.colour ?? true,
  }),
  create: (p) => ({
    run({ image }) {
      const src = image!;
      const left = Math.min(src.width - 1, Math.round(p.left * src.width));
      const top = Math.min(src.height - 1, Math.round(p.top * src.height));
      const width = Math.max(1, Math.min(src.width - left, Math.round(p.width * src.width)));
      const height = Math.max(1, Math.min(src.height - top, Math.round(p.height * src.height)));
      const out = cropPixels(src, left, top, width, height);
      return { json: { left, top, width, height }, image: out };
    },
  }),
});
