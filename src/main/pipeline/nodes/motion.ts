/**
 * `motion`: difference to the session's previous frame: `score` (mean absolute
 * difference, 0..1) and `changed` (fraction of pixels that moved more than
 * `threshold`). The previous frame is per session and freed at disconnect.
 */
import type { RawImage } from '../image';
import { frameDifference, round } from '../measure';
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
    run({ image, frame }) {
      const grey = frame.variant(image!, analysisWidth(width), true);
      const state = services.sessionState.slot<MotionState>(
        frame.session.sessionId,
        `${pipelineId}/${nodeId}`,
        () => ({ previous: null }),
      );
      const previous = state.previous;
      // Buffers are never written after creation: keeping a reference is safe.
      state.previous = grey;
      if (!previous || previous.width !== grey.width || previous.height !== grey.height) {
        return { json: { score: 0, changed: 0, has_previous: false } };
      }
      const diff = frameDifference(previous, grey, threshold);
      return {
        json: { score: round(diff.score, 5), changed: round(diff.changed, 5), has_previous: true },
      };
    },
  }),
});
