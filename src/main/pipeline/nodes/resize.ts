/**
 * `resize`: scales the image to `width` pixels wide (aspect ratio kept). Read
 * straight from the frame, the decode itself produces this size (shrink-on-load)
 * and the node costs nothing.
 */
import sharp from 'sharp';
import type { RawImage } from '../image';
import { defineOp } from '../node-op';
import { intParam, paramsSchema } from '../params';

export async function resizeRaw(image: RawImage, width: number): Promise<RawImage> {
  if (image.width === width) return image;
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .resize({ width })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: image.channels };
}

export const resizeOp = defineOp({
  op: 'resize',
  summary: 'Scales the image to width pixels wide; outputs {width, height} and the image',
  params: paramsSchema({ width: intParam(8, 8192, 320) }),
  input: 'pixels',
  producesImage: true,
  need: ({ width }, downstream) => ({ width, colour: downstream?.colour ?? true }),
  create: ({ width }) => ({
    async run({ image }) {
      const out = await resizeRaw(image!, width);
      return { json: { width: out.width, height: out.height }, image: out };
    },
  }),
});
