/** `bytes`: the size of the frame's JPEG. Reads nothing but its length. */
import { defineOp } from '../node-op';
import { paramsSchema } from '../params';

export const bytesOp = defineOp({
  op: 'bytes',
  summary: 'Size of the JPEG in bytes: {bytes}',
  params: paramsSchema({}),
  input: 'none',
  producesImage: false,
  create: () => ({ run: ({ frame }) => ({ json: { bytes: frame.bytes.length } }) }),
});
