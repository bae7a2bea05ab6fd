/** `exposure`: fractions of clipped dark and bright pixels, and mean brightness. */
import { analyse } from '../analysis';
import { round } from '../measure';
import { defineOp } from '../node-op';
import { intParam, paramsSchema } from '../params';
import { analysisWidth, analysisWidthParam } from './analysis-width';

export const exposureOp = defineOp({
  op: 'exposure',
  summary:
    'Fractions (0..1) of pixels at or below dark and at or above bright: {dark, bright, mean}',
  params: paramsSchema({
    width: analysisWidthParam(),
    dark: intParam(0, 254, 16),
    bright: intParam(1, 255, 239),
  }).refine((p) => p.dark < p.bright, {
    path: ['bright'],
    error: 'must be greater than dark',
  }),
  input: 'pixels',
  producesImage: false,
  need: ({ width }) => ({ width: analysisWidth(width), colour: false }),
  create: ({ width, dark, bright }) => ({
    async run({ image, frame }) {
      const request = { width: analysisWidth(width), grey: true, clip: { dark, bright } };
      const { clip } = await analyse(frame, image!, request);
      return {
        json: { dark: round(clip!.dark), bright: round(clip!.bright), mean: round(clip!.mean, 3) },
      };
    },
  }),
});
