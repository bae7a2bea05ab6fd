/**
 * `metadata`: facts from the JPEG header without decoding pixels: size,
 * chroma subsampling, EXIF orientation (1 when absent). Parsed in JavaScript:
 * no libvips call.
 */
import { defineOp } from '../node-op';
import { paramsSchema } from '../params';

const SPACES: Record<number, string> = { 1: 'b-w', 3: 'srgb', 4: 'cmyk' };

export const metadataOp = defineOp({
  op: 'metadata',
  summary:
    'JPEG header facts: {width, height, format, chroma_subsampling, orientation, channels, space, progressive, bytes}',
  params: paramsSchema({}),
  input: 'none',
  producesImage: false,
  create: () => ({
    run({ frame }) {
      const header = frame.header();
      return {
        json: {
          width: header.width,
          height: header.height,
          format: 'jpeg',
          chroma_subsampling: header.chromaSubsampling,
          orientation: header.orientation,
          channels: header.components,
          space: SPACES[header.components] ?? 'unknown',
          progressive: header.progressive,
          bytes: frame.bytes.length,
        },
      };
    },
  }),
});
