/** `sharpness`: variance of the Laplacian of the grey image (low = blurred, out of focus). */
import { laplacianVariance, round } from '../measure';
import { defineOp } from '../node-op';
import { paramsSchema } from '../params';
import { analysisWidth, analysisWidthParam } from './analysis-width';

export const sharpnessOp = defineOp({
  op: 'sharpness',
  summary: 'Variance of the Laplacian {laplacian_variance, width, height}: blur detection',
  params: paramsSchema({ width: analysisWidthParam() }),
  input: 'pixels',
  producesImage: false,
  need: ({ width }) => ({ width: analysisWidth(width), colour: false }),
  create: ({ width }) => ({
    run({ image, frame }) {
      const grey = frame.variant(image!, analysisWidth(width), true);
      return {
        json: {
          laplacian_variance: round(laplacianVariance(grey), 3),
          width: grey.width,
          height: grey.height,
        },
      };
    },
  }),
});
