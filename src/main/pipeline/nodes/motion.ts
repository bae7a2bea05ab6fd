/**
 * `motion`: difference to the session's previous frame: `score` (mean absolute
 * difference, 0..1) and `changed` (fraction of pixels that moved more than
 * `threshold`). The previous frame is per session and freed at disconnect.
 */
import { analyse } from '../analysis';
import type { RawImage } from '../image';
import { round } from '../measure';
import { defineOp } from '../node-op';
import { intParam, paramsSchema } from '../params';
import { analysisWidth, analysisWidthParam } from './analysis-width';

interface MotionState {
  previous: RawImage | null;
}

export const motionOp = defineOp({
  op: 'motion',
  summary: 'Difference to the previous frame of the session: {score, changed, has_previous}',
  params: paramsSchema({ width: analysisWidthParam(), threshold: intParam(0, 254, 25) }),
  input: 'pixels',
  producesImage: false,
  need: ({ width }) => ({ width: analysisWidth(width), colour: false }),
  create: ({ width, threshold }, { pipelineId, nodeId, services }) => ({
    async run({ image, frame }) {
      const state = services.sessionState.slot<MotionState>(
        frame.session.sessionId,
        `${pipelineId}/${nodeId}`,
        () => ({ previous: null }),
      );
      const previous = state.previous;
      const request = { width: analysisWidth(width), grey: true, previous, threshold };
      const { image: grey, difference } = await analyse(frame, image!, request);
      // Buffers are never written after creation: keeping a reference is safe.
      state.previous = grey ?? null;
      if (!difference) return { json: { score: 0, changed: 0, has_previous: false } };
      return {
        json: {
          score: round(difference.score, 5),
          changed: round(difference.changed, 5),
          has_previous: true,
        },
      };
    },
  }),
});
