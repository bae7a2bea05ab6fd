import type { Scenario } from '../lib/scenario';

/** Maximum throughput: 8 cameras, each sending its next frame when the reply arrives. */
export const closedLoop: Scenario = {
  id: 'closed-loop',
  title: '8 cameras, closed loop',
  cameras: 8,
  fps: 1,
  closedLoop: true,
  target: 'original design 330-345 frames/s side by side; aim >= 2.5x (~850 frames/s)',
};
