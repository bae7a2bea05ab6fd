import type { Scenario } from '../lib/scenario';
import { closedLoop } from './closed-loop';

/** Capacity of a PC without a compiler: the TurboJPEG decode as WebAssembly on worker threads. */
export const closedLoopWasm: Scenario = {
  ...closedLoop,
  id: 'closed-loop-wasm',
  title: '8 cameras, closed loop, STATION_DECODER=wasm',
  target: 'without the native addon >= 1.2x the original design (~405 frames/s)',
  env: { STATION_DECODER: 'wasm' },
};
