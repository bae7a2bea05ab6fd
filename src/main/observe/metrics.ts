/**
 * Every metric of the protocol's table, on a Registry of the station's own
 * (never prom-client's global one: two stations in one process must not clash).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Per camera: whether its silence is a problem (see shared/camera-closes.ts). */
export type CameraExpectations = () => ReadonlyArray<{ camera_id: string; expected: boolean }>;

export function createMetrics(version: string) {
  const registry = new Registry();
  let expectations: CameraExpectations = () => [];
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
  const registers = [registry];

  const metrics = {
    registry,
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
  metrics.buildInfo.set({ version }, 1);

  // Labelled children, resolved once per pipeline or camera rather than per frame.
  const pipelineChildren = new Map<string, PipelineMeters>();
  const cameraChildren = new Map<string, CameraMeters>();
  /** Node ids that have series, by pipeline: what forgetPipeline removes. */
  const nodeSeries = new Map<string, Set<string>>();
  return {
    ...metrics,
    /** Where `stream_camera_expected` reads the cameras from, at each scrape. */
    watchCameraExpectations(source: CameraExpectations): void {
      expectations = source;
    },
    /** A node's duration and failure series (the engine's `decode` step counts as a node). */
    forNode(pipelineId: string, nodeId: string): NodeMeters {
      let nodes = nodeSeries.get(pipelineId);
      if (!nodes) nodeSeries.set(pipelineId, (nodes = new Set()));
      nodes.add(nodeId);
      return {
        duration: metrics.nodeDuration.labels(pipelineId, nodeId),
        failures: metrics.pipelineFailures.labels(pipelineId, nodeId),
      };
    },
    /**
     * Drops the series of a pipeline that was removed (`keepNodes` empty), or of
     * the nodes a new version no longer has. A session still running the old
     * version brings its series back with its next frame.
     */
    forgetPipeline(pipelineId: string, keepNodes: readonly string[] = []): void {
      const keep = new Set(keepNodes);
      const nodes = nodeSeries.get(pipelineId) ?? new Set<string>();
      for (const node of nodes) {
        if (keep.has(node)) continue;
        metrics.nodeDuration.remove(pipelineId, node);
        metrics.pipelineFailures.remove(pipelineId, node);
        nodes.delete(node);
      }
      if (keep.size > 0) return;
      nodeSeries.delete(pipelineId);
      pipelineChildren.delete(pipelineId);
      for (const metric of [
        metrics.framesReceived,
        metrics.framesProcessed,
        metrics.framesDropped,
        metrics.slowdownSignals,
        metrics.frameProcessingSeconds,
      ]) {
        metric.remove(pipelineId);
      }
    },
    forPipeline(pipelineId: string): PipelineMeters {
      let m = pipelineChildren.get(pipelineId);
      if (!m) {
        const labels = { pipeline_id: pipelineId };
        m = {
          received: metrics.framesReceived.labels(labels),
          processed: metrics.framesProcessed.labels(labels),
          dropped: metrics.framesDropped.labels(labels),
          slowdown: metrics.slowdownSignals.labels(labels),
          processingSeconds: metrics.frameProcessingSeconds.labels(labels),
        };
        pipelineChildren.set(pipelineId, m);
      }
      return m;
    },
    /** Drops a forgotten camera's series, so camera ids do not accumulate forever. */
    forgetCamera(cameraId: string): Promise<void> {
      cameraChildren.delete(cameraId);
      metrics.cameraLastFrame.remove({ camera_id: cameraId });
      for (const reason of ['superseded', 'disconnect', 'shutdown']) {
        metrics.cameraFramesDropped.remove({ camera_id: cameraId, reason });
      }
      // Alert series carry names from pipeline files: found by reading the series back.
      return Promise.all([
        removeCameraSeries(metrics.alertsActive, cameraId),
        removeCameraSeries(metrics.alertsRaised, cameraId),
      ]).then(() => undefined);
    },
    forCamera(cameraId: string): CameraMeters {
      let m = cameraChildren.get(cameraId);
      if (!m) {
        m = {
          lastFrame: metrics.cameraLastFrame.labels({ camera_id: cameraId }),
          superseded: metrics.cameraFramesDropped.labels({
            camera_id: cameraId,
            reason: 'superseded',
          }),
          disconnect: metrics.cameraFramesDropped.labels({
            camera_id: cameraId,
            reason: 'disconnect',
          }),
          shutdown: metrics.cameraFramesDropped.labels({ camera_id: cameraId, reason: 'shutdown' }),
        };
        cameraChildren.set(cameraId, m);
      }
      return m;
    },
  };
}

interface CounterChild {
  inc(value?: number): void;
}

export interface PipelineMeters {
  received: CounterChild;
  processed: CounterChild;
  dropped: CounterChild;
  slowdown: CounterChild;
  processingSeconds: { observe(value: number): void };
}

export interface NodeMeters {
  duration: Histogram.Internal<'pipeline_id' | 'node'>;
  failures: Counter.Internal;
}

export interface CameraMeters {
  lastFrame: { set(value: number): void };
  superseded: CounterChild;
  disconnect: CounterChild;
  shutdown: CounterChild;
}

export type StationMetrics = ReturnType<typeof createMetrics>;

/** Removes every series of `metric` labelled with this camera. */
async function removeCameraSeries<T extends string>(
  metric: Gauge<T> | Counter<T>,
  cameraId: string,
): Promise<void> {
  const { values } = await metric.get();
  for (const { labels } of values) {
    if ((labels as Record<string, unknown>).camera_id === cameraId) metric.remove(labels);
  }
}
