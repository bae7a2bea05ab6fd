/** `exposure`: fractions of clipped dark and bright pixels, and mean brightness. */
import { clippedFractions, round } from '../measure';
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
    run({ image, frame }) {
      const grey = frame.variant(image!, analysisWidth(width), true);
      const clipped = clippedFractions(grey, dark, bright);
      return {
        json: {
          dark: round(clipped.dark),
          bright: round(clipped.bright),
          mean: round(clipped.mean, 3),
        },
      };
    },
  }),
});
