/** `grayscale`: luma of the image. Read from the frame, the decode is grey already. */
import { toGrey } from '../image';
import { defineOp } from '../node-op';
import { paramsSchema } from '../params';

export const grayscaleOp = defineOp({
  op: 'grayscale',
  summary: 'Converts the image to grey (luma); outputs {width, height} and the image',
  params: paramsSchema({}),
  input: 'pixels',
  producesImage: true,
  need: (_params, downstream) => ({ width: downstream?.width ?? null, colour: false }),
  create: () => ({
    run({ image }) {
      const out = toGrey(image!);
      return { json: { width: out.width, height: out.height }, image: out };
    },
  }),
});
