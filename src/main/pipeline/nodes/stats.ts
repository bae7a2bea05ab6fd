/** `stats`: per-channel mean and standard deviation, and brightness (mean luma). */
import { analyse } from '../analysis';
import { round } from '../measure';
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
    async run({ image, frame }) {
      const request = { width: analysisWidth(width), grey: false, stats: true };
      const { width: w, height: h, stats } = await analyse(frame, image!, request);
      const channels = stats!.means.map((mean, c) => ({
        mean: round(mean, 3),
        stdev: round(stats!.stdevs[c]!, 3),
      }));
      const brightness = round(stats!.brightness, 3);
      return { json: { width: w, height: h, channels, brightness } };
    },
  }),
});
