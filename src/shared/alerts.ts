/**
 * Alerts on pipeline results (docs/pipelines.md#alerts): what the station
 * keeps, shows and sends. Process-neutral: station, window, cameras.
 */

import type { CameraId, PipelineId, SessionId } from './inputs';

export type AlertSeverity = 'info' | 'warning' | 'critical';
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;

/** `active` while the condition holds; `cleared` by the results or by an operator. */
export type AlertState = 'active' | 'cleared';

/** Why an alert was cleared. */
export type AlertClearReason = 'condition' | 'operator' | 'session_ended' | 'pipeline_changed';

/** Where the frame that raised the alert was recorded, for the viewer to open there. */
export interface AlertRecordingLink {
  camera_id: CameraId;
  session_id: SessionId;
  frame_index: number;
}

/** One alert occurrence: raised once, cleared once. */
export interface AlertRecord {
  /** Unique per occurrence. */
  id: string;
  /** The rule's name in the pipeline file. */
  alert: string;
  severity: AlertSeverity;
  description: string;
  camera_id: CameraId;
  session_id: SessionId;
  pipeline_id: PipelineId;
  pipeline_version: string;
  /** The condition as written, e.g. `sharpness.laplacian_variance < 40`. */
  condition: string;
  /** The field's value on the frame that raised it. */
  value: number;
  frame_index: number;
  raised_at: string;
  state: AlertState;
  cleared_at: string | null;
  cleared_reason: AlertClearReason | null;
  /** The field's value on the frame that cleared it (condition clears only). */
  cleared_value: number | null;
  acknowledged_at: string | null;
  recording: AlertRecordingLink | null;
}

/** The protocol message to cameras that asked for alerts (`&alerts=1`). */
export interface AlertMessage {
  alert: {
    id: string;
    name: string;
    state: AlertState;
    severity: AlertSeverity;
    condition: string;
    value: number;
    frame_index: number;
    raised_at: string;
    cleared_at: string | null;
    cleared_reason: AlertClearReason | null;
  };
}

/** The alert view of the station: active ones first, then the bounded history. */
export interface AlertsSnapshot {
  active: AlertRecord[];
  history: AlertRecord[];
}

export function alertMessage(record: AlertRecord): AlertMessage {
  return {
    alert: {
      id: record.id,
      name: record.alert,
      state: record.state,
      severity: record.severity,
      condition: record.condition,
      value: record.value,
      frame_index: record.frame_index,
      raised_at: record.raised_at,
      cleared_at: record.cleared_at,
      cleared_reason: record.cleared_reason,
    },
  };
}
