import type { Scenario } from '../lib/scenario';

/** One 2 fps camera beside 15 flooding ones: its replies must not wait for theirs. */
export const quietCamera: Scenario = {
  id: 'quiet-camera',
  title: '1 camera x 2 fps beside 15 x 75 fps',
  cameras: 16,
  fps: 75,
  closedLoop: false,
  overrides: [{ fps: 2 }],
  watch: [0],
  target: 'the 2 fps camera: p99 <= 50 ms, no drops',
};
