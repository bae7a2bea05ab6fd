/** The camera simulator: synthetic frames and a protocol client, for the CLI, tests and benchmarks. */
export { createFrameSource, type FrameSource, type FrameSourceOptions } from './frame-source';
export {
  createCameraClient,
  type CameraClient,
  type CameraClientOptions,
  type CameraEvent,
  type CameraState,
  type CameraStats,
  type FrameProvider,
} from './camera-client';
export {
  createLatencyHistogram,
  type LatencyHistogram,
  type LatencySummary,
} from './latency-histogram';
export { buildStreamUrl, httpBaseOf } from './stream-url';
