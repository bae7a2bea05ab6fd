/** `stats`: per-channel mean and standard deviation, and brightness (mean luma). */
import { toGrey } from '../image';
import { channelStats, meanOf, round } from '../measure';
import { defineOp } from '../node-op';
import { paramsSchema } from '../params';
import { analysisWidth, analysisWidthParam } from './analysis-width';

export const statsOp = defineOp({
  op: 'stats',
  summary: 'Per-channel {mean, stdev} and brightness (mean luma, 0..255)',
  params: paramsSchema({ width: analysisWidthParam() }),
  input: 'pixels',
  producesImage: false,
  need: ({ width }) => ({ width: analysisWidth(width), colour: true }),
  create: ({ width }) => ({
    run({ image, frame }) {
      const img = frame.variant(image!, analysisWidth(width), false);
      const channels = channelStats(img).map((c) => ({
        mean: round(c.mean, 3),
        stdev: round(c.stdev, 3),
      }));
      const brightness = img.channels === 1 ? channels[0]!.mean : round(meanOf(toGrey(img)), 3);
      return { json: { width: img.width, height: img.height, channels, brightness } };
    },
  }),
});
