/**
 * The contract between the station core and any window onto it: the Electron
 * renderer over IPC and a browser over HTTP implement the same StationBridge.
 * Field names are those of the HTTP API (snake_case), so one shape serves both.
 */
import type { AlertRecord, AlertSeverity, AlertsSnapshot } from './alerts';
import type { FleetSnapshot } from './fleet';
import type { RecordedFramesPage, RecordingCamera } from './recordings';
import type { DropReason, PipelineSource, SessionState, StorageState } from './protocol';

export interface StationInfo {
  version: string;
  started_at: string;
  host: string;
  port: number;
  /** ws:// URLs cameras should use, one per LAN address. */
  camera_urls: string[];
  metrics_url: string;
  dashboard_urls: string[];
  token_required: boolean;
  default_pipeline: string;
  data_dir: string;
  max_sessions: number;
  draining: boolean;
}

export interface SessionInfo {
  session_id: string;
  camera_id: string;
  pipeline_id: string;
  pipeline_version: string | null;
  pipeline_source: PipelineSource;
  remote: string;
  frame_index: number;
  processed: number;
  dropped: number;
  rejected: number;
  failed: number;
  drop_rate: number;
  state: SessionState;
  storage: StorageState;
  fps_in: number;
  fps_out: number;
  connected_at: string;
  last_frame_at: string | null;
  /** Per-node time of the last processed frame, ms (`total` included). */
  last_timings_ms: Record<string, number>;
  /** Increments whenever a new thumbnail is kept; 0 when there is none. */
  thumbnail_seq: number;
}

export interface CameraRecord {
  camera_id: string;
  online: boolean;
  session_id: string | null;
  remote: string;
  first_seen_at: string;
  last_seen_at: string;
  last_close_code: number | null;
  last_close_reason: string | null;
  pinned_pipeline: string | null;
}

export interface PipelineNodeInfo {
  id: string;
  op: string;
  needs: string[];
  params: Record<string, unknown>;
}

/** An alert rule of a pipeline, as the window shows it. */
export interface PipelineAlertInfo {
  name: string;
  severity: AlertSeverity;
  description: string;
  /** e.g. `sharpness.laplacian_variance < 40`. */
  when: string;
  for_ms: number;
  clear_when: string | null;
  clear_for_ms: number;
}

export interface PipelineSummary {
  id: string;
  name: string;
  description: string;
  version: string;
  source: 'builtin' | 'user';
  nodes: PipelineNodeInfo[];
  outputs: string[];
  alerts?: PipelineAlertInfo[];
}

export interface PipelineFileError {
  file: string;
  error: string;
}

/** How a station-run source is doing: `streaming` once both ends are open. */
export type SourceRunState =
  'disabled' | 'starting' | 'streaming' | 'reconnecting' | 'stopped' | 'failed';

/** A camera the station itself pulls in (MJPEG/RTSP URL or device) through the camera bridge. */
export interface SourceInfo {
  id: string;
  camera_id: string;
  /** The URL or device, credentials removed. */
  url: string;
  kind: string;
  pipeline_id: string | null;
  fps: number | null;
  enabled: boolean;
  state: SourceRunState;
  /** Each end of the bridge: the camera source and the station link. */
  source: 'connecting' | 'open' | 'waiting';
  station: 'connecting' | 'open' | 'waiting';
  session_id: string | null;
  frames_read: number;
  sent: number;
  processed: number;
  dropped: number;
  source_reconnects: number;
  station_reconnects: number;
  /**
   * Why it is not streaming, in words a technician can act on: the error it
   * gave up on, or the failure it is retrying after (null while streaming).
   */
  error: SourceError | null;
}

export interface SourceError {
  code: string;
  message: string;
  detail: string | null;
  /** Which end failed: the camera source or the link to the station; null for a setup error. */
  end: 'source' | 'station' | null;
  /** When it failed (ISO time); null when not known. */
  at: string | null;
  /** When the next attempt starts (ISO time); null when it does not retry. */
  retry_at: string | null;
  /** Retries of that end so far. */
  attempt: number;
}

/** What the technician gives to add a source. */
export interface NewSource {
  /** http(s):// MJPEG, rtsp(s):// or /dev/videoN. */
  url: string;
  camera_id: string;
  pipeline_id?: string | null;
  fps?: number | null;
}

export interface StationSnapshot {
  station: StationInfo;
  sessions: SessionInfo[];
  cameras: CameraRecord[];
  pipelines: PipelineSummary[];
  pipeline_errors: PipelineFileError[];
  sources: SourceInfo[];
  /** The lab's stations on the same MQTT broker (absent from older stations). */
  fleet?: FleetSnapshot;
}

export type StationEvent =
  | { type: 'session_opened'; session: SessionInfo }
  | { type: 'session_updated'; session: SessionInfo }
  | { type: 'session_closed'; session: SessionInfo; code: number; reason: string }
  | { type: 'cameras_changed'; cameras: CameraRecord[] }
  | {
      type: 'pipelines_changed';
      pipelines: PipelineSummary[];
      pipeline_errors: PipelineFileError[];
    }
  | { type: 'station_changed'; station: StationInfo }
  | { type: 'sources_changed'; sources: SourceInfo[] }
  /** The lab's stations on the broker changed (docs/fleet.md); at most about once a second. */
  | { type: 'fleet_changed'; fleet: FleetSnapshot }
  /** An alert was raised, cleared or acknowledged (the record as it is now). */
  | { type: 'alert'; alert: AlertRecord };

/** Codes of action failures shown to the technician. */
export type ActionErrorCode =
  | 'unknown_session'
  | 'unknown_camera'
  | 'unknown_source'
  | 'unknown_alert'
  | 'unknown_recording'
  | 'invalid_pipeline'
  | 'invalid_argument'
  | 'forbidden'
  | 'not_available'
  | 'internal';

export type ActionResult = { ok: true } | { ok: false; code: ActionErrorCode; message: string };

/** Why the desktop station is not serving, shown in the window with a way out. */
export interface StartupProblem {
  /**
   * `port_in_use`: another program holds the port (EADDRINUSE).
   * `image_backend_missing`: no image decoder that may run in this app (Linux: the native one).
   */
  code: 'port_in_use' | 'start_failed' | 'image_backend_missing';
  message: string;
  host: string;
  port: number;
  /** Steps (often commands) that fix it, one per line, for the window to show. */
  fix?: string[];
}

/** What a window can see and do. Implemented by the preload (IPC) and the HTTP bridge. */
export interface StationBridge {
  readonly kind: 'ipc' | 'http';
  getSnapshot(): Promise<StationSnapshot>;
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: StationEvent) => void): () => void;
  /** The last thumbnail a session's pipeline made, as JPEG bytes, or null. */
  getThumbnail(sessionId: string): Promise<Uint8Array | null>;
  switchPipeline(sessionId: string, pipelineId: string): Promise<ActionResult>;
  setDefaultPipeline(pipelineId: string): Promise<ActionResult>;
  disconnectCamera(sessionId: string): Promise<ActionResult>;
  dismissCamera(cameraId: string): Promise<ActionResult>;
  openDataFolder(): Promise<ActionResult>;
  /** Has the station pull in an MJPEG/RTSP URL or a device through the camera bridge. */
  addSource(source: NewSource): Promise<ActionResult>;
  removeSource(sourceId: string): Promise<ActionResult>;
  /** Pauses (false) or resumes (true) a source. */
  setSourceEnabled(sourceId: string, enabled: boolean): Promise<ActionResult>;
  /** Recorded sessions per camera, newest first. */
  listRecordings(): Promise<RecordingCamera[]>;
  /** Up to `limit` (at most 5000) recorded frames from position `offset`. */
  getRecordingFrames(
    cameraId: string,
    sessionId: string,
    offset: number,
    limit: number,
  ): Promise<RecordedFramesPage>;
  /** One recorded frame's JPEG, or null when it is gone. */
  getRecordedFrame(cameraId: string, sessionId: string, file: string): Promise<Uint8Array | null>;
  /** Deletes a recorded session (logged). */
  deleteRecording(cameraId: string, sessionId: string): Promise<ActionResult>;
  getAlerts(): Promise<AlertsSnapshot>;
  acknowledgeAlert(alertId: string): Promise<ActionResult>;
  /** Ends an active alert; it is raised again only after its condition recovered. */
  clearAlert(alertId: string): Promise<ActionResult>;
  /** Desktop only: why the station could not start, or null while it serves. */
  getStartupProblem?(): Promise<StartupProblem | null>;
  /** Desktop only: start the station again on another port (0: any free port). */
  restartOnPort?(port: number): Promise<ActionResult>;
}

export type { DropReason };
