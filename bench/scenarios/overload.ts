import type { Scenario } from '../lib/scenario';

/** Open loop far past capacity: 16 cameras at 75 fps (1200 frames/s offered). */
export const overload: Scenario = {
  id: 'overload',
  title: '16 cameras x 75 fps, open loop',
  cameras: 16,
  fps: 75,
  closedLoop: false,
  target: 'p99 <= 100 ms with drops reported; /healthz p99 <= 20 ms; RSS flat',
};
