import type { Scenario } from '../lib/scenario';
import { closedLoop } from './closed-loop';

/** One camera, closed loop: where the single-threaded original design does best. */
export const oneCamera: Scenario = {
  ...closedLoop,
  id: 'one-camera',
  title: '1 camera, closed loop',
  cameras: 1,
  target: ">= 1.8x the original design's best (328-341 frames/s with one camera, ~614 frames/s)",
};
