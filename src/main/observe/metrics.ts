/**
 * Every metric of the protocol's table, on a Registry of the station's own
 * (never prom-client's global one: two stations in one process must not clash).
 * The definitions are in metric-families.ts, the per-pipeline and per-camera
 * series in metric-series.ts.
 */
import {
  type CameraExpectations,
  cameraMetrics,
  createRegistry,
  frameFlowMetrics,
  nodeMetrics,
  stationStateMetrics,
} from './metric-families';
import {
  type CameraMeters,
  CameraSeries,
  type NodeMeters,
  type PipelineMeters,
  PipelineSeries,
} from './metric-series';

export type { CameraExpectations } from './metric-families';
export type { CameraMeters, NodeMeters, PipelineMeters } from './metric-series';

export function createMetrics(version: string) {
  const registry = createRegistry();
  const registers = [registry];
  let expectations: CameraExpectations = () => [];
  const metrics = {
    registry,
    ...frameFlowMetrics(registers),
    ...cameraMetrics(registers, () => expectations()),
    ...nodeMetrics(registers),
    ...stationStateMetrics(registers),
  };
  metrics.buildInfo.set({ version }, 1);
  const pipelines = new PipelineSeries(metrics);
  const cameras = new CameraSeries(metrics);
  return {
    ...metrics,
    /** Where `stream_camera_expected` reads the cameras from, at each scrape. */
    watchCameraExpectations(source: CameraExpectations): void {
      expectations = source;
    },
    /** A node's duration and failure series (the engine's `decode` step counts as a node). */
    forNode: (pipelineId: string, nodeId: string): NodeMeters =>
      pipelines.forNode(pipelineId, nodeId),
    /**
     * Drops the series of a pipeline that was removed (`keepNodes` empty), or of
     * the nodes a new version no longer has. A session still running the old
     * version brings its series back with its next frame.
     */
    forgetPipeline: (pipelineId: string, keepNodes: readonly string[] = []): void =>
      pipelines.forget(pipelineId, keepNodes),
    forPipeline: (pipelineId: string): PipelineMeters => pipelines.forPipeline(pipelineId),
    /** Drops a forgotten camera's series, so camera ids do not accumulate forever. */
    forgetCamera: (cameraId: string): Promise<void> => cameras.forget(cameraId),
    forCamera: (cameraId: string): CameraMeters => cameras.forCamera(cameraId),
  };
}

export type StationMetrics = ReturnType<typeof createMetrics>;
