import type { Scenario } from '../lib/scenario';

/** Maximum throughput: 8 cameras, each sending its next frame when the reply arrives. */
export const closedLoop: Scenario = {
  id: 'closed-loop',
  title: '8 cameras, closed loop',
  cameras: 8,
  fps: 1,
  closedLoop: true,
  target: 'original ~465 frames/s at 2.0 ms CPU/frame; aim >= 700 frames/s',
};
