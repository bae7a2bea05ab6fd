import type { Scenario } from '../lib/scenario';
import { closedLoop } from './closed-loop';

/** Capacity where the native addon cannot be built: every frame through sharp. */
export const closedLoopSharp: Scenario = {
  ...closedLoop,
  id: 'closed-loop-sharp',
  title: '8 cameras, closed loop, STATION_DECODER=sharp',
  target: 'the sharp path >= 1.2x the original design (~405 frames/s)',
  env: { STATION_DECODER: 'sharp' },
};
