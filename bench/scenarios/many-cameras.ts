import type { Scenario } from '../lib/scenario';

/** The session limit: 64 cameras at 15 fps each (960 frames/s offered), open loop. */
export const manyCameras: Scenario = {
  id: 'many-cameras',
  title: '64 cameras x 15 fps, open loop',
  cameras: 64,
  fps: 15,
  closedLoop: false,
  target: 'p99 <= 100 ms with drops reported; /healthz p99 <= 20 ms; RSS flat',
};
