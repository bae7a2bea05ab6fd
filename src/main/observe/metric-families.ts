/**
 * The station's metrics by family, as docs/protocol.md lists them: the frames
 * flowing through sessions (`stream_*`), per camera (`stream_camera_*`), per
 * pipeline node (`pipeline_*`) and the station's own state (`station_*`).
 * Names, help texts and labels are the documented ones: change them with the docs.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Per camera: whether its silence is a problem (see shared/camera-closes.ts). */
export type CameraExpectations = () => ReadonlyArray<{ camera_id: string; expected: boolean }>;

type Registers = Registry[];

/** A registry of the station's own, with Node's default metrics but the misnamed ones. */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client names these gauges `_total`, which only counters may use
  // (`promtool check metrics` flags them); the station does not export them.
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ]) {
    registry.removeSingleMetric(name);
  }
  return registry;
}

/** Sessions and the frames they receive, process, drop and reject. */
export function frameFlowMetrics(registers: Registers) {
  return {
    sessionsActive: new Gauge({
      name: 'stream_sessions_active',
      help: 'Camera sessions currently connected',
      registers,
    }),
    framesProcessed: new Counter({
      name: 'stream_frames_processed_total',
      help: 'Frames that went through a pipeline (failures included)',
      labelNames: ['pipeline_id'] as const,
      registers,
    }),
    framesDropped: new Counter({
      name: 'stream_frames_dropped_total',
      help: 'Frames not processed: superseded by a newer frame, or discarded at disconnect/shutdown',
      labelNames: ['pipeline_id'] as const,
      registers,
    }),
    slowdownSignals: new Counter({
      name: 'stream_slowdown_signals_total',
      help: 'slow_down warnings sent to cameras',
      labelNames: ['pipeline_id'] as const,
      registers,
    }),
    framesReceived: new Counter({
      name: 'stream_frames_received_total',
      help: 'Binary and text messages received from cameras',
      labelNames: ['pipeline_id'] as const,
      registers,
    }),
    framesRejected: new Counter({
      name: 'stream_frames_rejected_total',
      help: 'Messages refused by protocol error code',
      labelNames: ['code'] as const,
      registers,
    }),
    frameBytes: new Counter({
      name: 'stream_frame_bytes_total',
      help: 'Bytes of frames received',
      registers,
    }),
    frameProcessingSeconds: new Histogram({
      name: 'stream_frame_processing_seconds',
      help: 'Time from a frame entering its pipeline to its result',
      labelNames: ['pipeline_id'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
  };
}

/** Per camera: its drops, its last frame, and (read at each scrape) whether it is expected. */
export function cameraMetrics(registers: Registers, expectations: CameraExpectations) {
  return {
    cameraFramesDropped: new Counter({
      name: 'stream_camera_frames_dropped_total',
      help: 'Dropped frames by camera and reason',
      labelNames: ['camera_id', 'reason'] as const,
      registers,
    }),
    cameraLastFrame: new Gauge({
      name: 'stream_camera_last_frame_timestamp_seconds',
      help: 'Unix time of the last frame received from a camera',
      labelNames: ['camera_id'] as const,
      registers,
    }),
    cameraExpected: new Gauge({
      name: 'stream_camera_expected',
      help: '1 for a camera whose silence is a problem (connected, pinned, fed by a source, or gone without a normal close); 0 for one that closed normally',
      labelNames: ['camera_id'] as const,
      registers,
      collect() {
        this.reset();
        for (const { camera_id, expected } of expectations())
          this.set({ camera_id }, expected ? 1 : 0);
      },
    }),
  };
}

/** Per pipeline node (the engine's `decode` step counts as one): failures and time spent. */
export function nodeMetrics(registers: Registers) {
  return {
    pipelineFailures: new Counter({
      name: 'pipeline_failures_total',
      help: 'Frames on which a pipeline node failed',
      labelNames: ['pipeline_id', 'node'] as const,
      registers,
    }),
    nodeDuration: new Histogram({
      name: 'pipeline_node_duration_seconds',
      help: 'Time spent in each pipeline node',
      labelNames: ['pipeline_id', 'node'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
  };
}

/** The station's own state: recording stopped, alerts, its version. */
export function stationStateMetrics(registers: Registers) {
  return {
    storageStopped: new Gauge({
      name: 'station_storage_stopped',
      help: '1 while recording is stopped because free space is below the threshold',
      registers,
    }),
    alertsActive: new Gauge({
      name: 'station_alerts_active',
      help: '1 while the alert is active on the camera (docs/pipelines.md#alerts)',
      labelNames: ['camera_id', 'alert'] as const,
      registers,
    }),
    alertsRaised: new Counter({
      name: 'station_alerts_raised_total',
      help: 'Alerts raised, by camera, alert and severity',
      labelNames: ['camera_id', 'alert', 'severity'] as const,
      registers,
    }),
    buildInfo: new Gauge({
      name: 'station_build_info',
      help: 'Always 1; the station version as a label',
      labelNames: ['version'] as const,
      registers,
    }),
  };
}

export type FrameFlowMetrics = ReturnType<typeof frameFlowMetrics>;
export type CameraMetrics = ReturnType<typeof cameraMetrics>;
export type NodeMetrics = ReturnType<typeof nodeMetrics>;
export type StationStateMetrics = ReturnType<typeof stationStateMetrics>;
