/**
 * Labelled series resolved once per pipeline, node or camera rather than per
 * frame, and removed again when their pipeline or camera is forgotten.
 */
import type { Counter, Gauge, Histogram } from 'prom-client';
import type {
  CameraMetrics,
  FrameFlowMetrics,
  NodeMetrics,
  StationStateMetrics,
} from './metric-families';

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

const DROP_REASONS = ['superseded', 'disconnect', 'shutdown'] as const;

/** The series of each pipeline and of its nodes. */
export class PipelineSeries {
  private readonly pipelines = new Map<string, PipelineMeters>();
  /** Node ids that have series, by pipeline: what forgetPipeline removes. */
  private readonly nodes = new Map<string, Set<string>>();

  constructor(private readonly metrics: FrameFlowMetrics & NodeMetrics) {}

  forPipeline(pipelineId: string): PipelineMeters {
    let meters = this.pipelines.get(pipelineId);
    if (!meters) {
      const labels = { pipeline_id: pipelineId };
      meters = {
        received: this.metrics.framesReceived.labels(labels),
        processed: this.metrics.framesProcessed.labels(labels),
        dropped: this.metrics.framesDropped.labels(labels),
        slowdown: this.metrics.slowdownSignals.labels(labels),
        processingSeconds: this.metrics.frameProcessingSeconds.labels(labels),
      };
      this.pipelines.set(pipelineId, meters);
    }
    return meters;
  }

  forNode(pipelineId: string, nodeId: string): NodeMeters {
    let nodes = this.nodes.get(pipelineId);
    if (!nodes) this.nodes.set(pipelineId, (nodes = new Set()));
    nodes.add(nodeId);
    return {
      duration: this.metrics.nodeDuration.labels(pipelineId, nodeId),
      failures: this.metrics.pipelineFailures.labels(pipelineId, nodeId),
    };
  }

  /** Drops the series of the nodes not kept; with none kept, the pipeline's own too. */
  forget(pipelineId: string, keepNodes: readonly string[]): void {
    const keep = new Set(keepNodes);
    const nodes = this.nodes.get(pipelineId) ?? new Set<string>();
    for (const node of nodes) {
      if (keep.has(node)) continue;
      this.metrics.nodeDuration.remove(pipelineId, node);
      this.metrics.pipelineFailures.remove(pipelineId, node);
      nodes.delete(node);
    }
    if (keep.size > 0) return;
    this.nodes.delete(pipelineId);
    this.pipelines.delete(pipelineId);
    for (const metric of [
      this.metrics.framesReceived,
      this.metrics.framesProcessed,
      this.metrics.framesDropped,
      this.metrics.slowdownSignals,
      this.metrics.frameProcessingSeconds,
    ]) {
      metric.remove(pipelineId);
    }
  }
}

/** The series of each camera, alerts included. */
export class CameraSeries {
  private readonly cameras = new Map<string, CameraMeters>();

  constructor(private readonly metrics: CameraMetrics & StationStateMetrics) {}

  forCamera(cameraId: string): CameraMeters {
    let meters = this.cameras.get(cameraId);
    if (!meters) {
      const dropped = (reason: (typeof DROP_REASONS)[number]) =>
        this.metrics.cameraFramesDropped.labels({ camera_id: cameraId, reason });
      meters = {
        lastFrame: this.metrics.cameraLastFrame.labels({ camera_id: cameraId }),
        superseded: dropped('superseded'),
        disconnect: dropped('disconnect'),
        shutdown: dropped('shutdown'),
      };
      this.cameras.set(cameraId, meters);
    }
    return meters;
  }

  forget(cameraId: string): Promise<void> {
    this.cameras.delete(cameraId);
    this.metrics.cameraLastFrame.remove({ camera_id: cameraId });
    for (const reason of DROP_REASONS) {
      this.metrics.cameraFramesDropped.remove({ camera_id: cameraId, reason });
    }
    // Alert series carry names from pipeline files: found by reading the series back.
    return Promise.all([
      removeCameraSeries(this.metrics.alertsActive, cameraId),
      removeCameraSeries(this.metrics.alertsRaised, cameraId),
    ]).then(() => undefined);
  }
}

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
