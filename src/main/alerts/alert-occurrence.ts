/** One occurrence of an alert: built when its rule fires, logged when raised and cleared. */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { AlertRecord, AlertRecordingLink } from '../../shared/alerts';
import { stationCameraId, stationPipelineId, stationSessionId } from '../../shared/station-ids';
import type { AlertRule } from './rule';

/** What the evaluation needs to know of one processed frame. */
export interface ResultContext {
  sessionId: string;
  cameraId: string;
  pipeline: { id: string; version: string; alerts: readonly AlertRule[]; records: boolean };
  frameIndex: number;
  result: Record<string, unknown>;
}

/** A new active occurrence of `rule`, raised at `raisedAt` on the frame of `context`. */
export function newOccurrence(
  context: ResultContext,
  rule: AlertRule,
  value: number,
  raisedAt: number,
): AlertRecord {
  const { pipeline } = context;
  // A recording pipeline's alert links to the frame that raised it.
  const recording: AlertRecordingLink | null = pipeline.records
    ? {
        camera_id: stationCameraId(context.cameraId),
        session_id: stationSessionId(context.sessionId),
        frame_index: context.frameIndex,
      }
    : null;
  return {
    id: randomUUID(),
    alert: rule.name,
    severity: rule.severity,
    description: rule.description,
    camera_id: stationCameraId(context.cameraId),
    session_id: stationSessionId(context.sessionId),
    pipeline_id: stationPipelineId(pipeline.id),
    pipeline_version: pipeline.version,
    condition: rule.when.text,
    value,
    frame_index: context.frameIndex,
    raised_at: new Date(raisedAt).toISOString(),
    state: 'active',
    cleared_at: null,
    cleared_reason: null,
    cleared_value: null,
    acknowledged_at: null,
    recording,
  };
}

export function logRaised(logger: Logger, record: AlertRecord): void {
  logger.warn(
    {
      event: 'alert_raised',
      alert_id: record.id,
      alert: record.alert,
      severity: record.severity,
      camera_id: record.camera_id,
      session_id: record.session_id,
      pipeline_id: record.pipeline_id,
      condition: record.condition,
      value: record.value,
      frame_index: record.frame_index,
    },
    `alert ${record.alert} on ${record.camera_id}: ${record.condition} (value ${record.value})`,
  );
}

/** `record` as it was just cleared (its reason, value and time set). */
export function logCleared(logger: Logger, record: AlertRecord): void {
  const reason = record.cleared_reason;
  logger.info(
    {
      event: 'alert_cleared',
      alert_id: record.id,
      alert: record.alert,
      camera_id: record.camera_id,
      session_id: record.session_id,
      pipeline_id: record.pipeline_id,
      reason,
      value: record.cleared_value,
      active_ms: Date.parse(record.cleared_at!) - Date.parse(record.raised_at),
    },
    `alert ${record.alert} on ${record.camera_id} cleared (${reason})`,
  );
}

export function logAcknowledged(logger: Logger, record: AlertRecord): void {
  logger.info({
    event: 'alert_acknowledged',
    alert_id: record.id,
    alert: record.alert,
    camera_id: record.camera_id,
  });
}
