/**
 * `resize`: scales the image to `width` pixels wide (aspect ratio kept). Read
 * straight from the frame, the decode itself produces this size (shrink-on-load)
 * and the node costs nothing; otherwise a box filter reduces (on the native
 * addon's pool threads when built) and bilinear interpolation enlarges.
 */
import { analyse } from '../analysis';
import { enlargeToWidth, type RawImage } from '../image';
import { defineOp, type FrameView } from '../node-op';
import { intParam, paramsSchema } from '../params';

async function resizeRaw(frame: FrameView, image: RawImage, width: number): Promise<RawImage> {
  if (image.width === width) return image;
  if (image.width < width) return enlargeToWidth(image, width);
  const request = { width, grey: false, keep: true };
  return (await analyse(frame, image, request)).image ?? image;
}

export const resizeOp = defineOp({
  op: 'resize',
  summary: 'Scales the image to width pixels wide; outputs {width, height} and the image',
  params: paramsSchema({ width: intParam(8, 8192, 320) }),
  input: 'pixels',
  producesImage: true,
  need: ({ width }, downstream) => ({ width, colour: downstream?.colour ?? true }),
  create: ({ width }) => ({
    async run({ frame, image }) {
      const out = await resizeRaw(frame, image!, width);
      return { json: { width: out.width, height: out.height }, image: out };
    },
  }),
});
