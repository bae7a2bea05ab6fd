/**
 * `metadata`: facts from the JPEG header without decoding pixels: size,
 * format, chroma subsampling, EXIF orientation (1 when absent).
 */
import { defineOp } from '../node-op';
import { paramsSchema } from '../params';

export const metadataOp = defineOp({
  op: 'metadata',
  summary:
    'JPEG header facts: {width, height, format, chroma_subsampling, orientation, channels, space, progressive, bytes}',
  params: paramsSchema({}),
  input: 'none',
  producesImage: false,
  create: () => ({
    async run({ frame }) {
      const meta = await frame.header();
      return {
        json: {
          width: meta.width,
          height: meta.height,
          format: meta.format,
          chroma_subsampling: meta.chromaSubsampling ?? null,
          orientation: meta.orientation ?? 1,
          channels: meta.channels,
          space: meta.space,
          progressive: meta.isProgressive ?? false,
          bytes: frame.bytes.length,
        },
      };
    },
  }),
});
