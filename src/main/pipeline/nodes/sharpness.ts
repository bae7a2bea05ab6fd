/** `sharpness`: variance of the Laplacian of the grey image (low = blurred, out of focus). */
import { analyse } from '../analysis';
import { round } from '../measure';
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
    async run({ image, frame }) {
      const request = { width: analysisWidth(width), grey: true, laplacian: true };
      const { width: w, height: h, laplacian } = await analyse(frame, image!, request);
      return {
        json: {
          laplacian_variance: round(laplacian!, 3),
          width: w,
          height: h,
        },
      };
    },
  }),
});
