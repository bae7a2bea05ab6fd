/**
 * The contract between the station core and any window onto it: the Electron
 * renderer over IPC and a browser over HTTP implement the same StationBridge.
 * Field names are those of the HTTP API (snake_case), so one shape serves both.
 */
import type { CameraId, PipelineId, SessionId } from './inputs';
import type { AlertRecord, AlertSeverity, AlertsSnapshot } from './alerts';
import type { ActionErrorCode } from './errors';
import type { FleetSnapshot, MqttState } from './fleet';
import type { RecordedFramesPage, RecordingCamera } from './recordings';
import type {
  CoreOperation,
  OperationArgs,
  OperationName,
  OptionalOperation,
  ReplyKindOf,
  ReplyType,
  WindowOperation,
} from './operations';
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
  default_pipeline: PipelineId;
  data_dir: string;
  max_sessions: number;
  draining: boolean;
}

export interface SessionInfo {
  session_id: SessionId;
  camera_id: CameraId;
  pipeline_id: PipelineId;
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
  camera_id: CameraId;
  online: boolean;
  session_id: SessionId | null;
  remote: string;
  first_seen_at: string;
  last_seen_at: string;
  last_close_code: number | null;
  last_close_reason: string | null;
  pinned_pipeline: PipelineId | null;
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
  id: PipelineId;
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
  camera_id: CameraId;
  /** The URL or device, credentials removed. */
  url: string;
  kind: string;
  pipeline_id: PipelineId | null;
  fps: number | null;
  enabled: boolean;
  state: SourceRunState;
  /** Each end of the bridge: the camera source and the station link. */
  source: 'connecting' | 'open' | 'waiting';
  station: 'connecting' | 'open' | 'waiting';
  session_id: SessionId | null;
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

/** Codes of action failures shown to the technician: from the registry (src/shared/errors.ts). */
export type { ActionErrorCode };

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

/** A value, or a refusal with a code: how operations answer across IPC. */
export type OperationResult<T> =
  { ok: true; value: T } | { ok: false; code: ActionErrorCode; message: string };

/** What a window gets back from an operation (a refused `result` throws with its code). */
type BridgeReply<K extends OperationName> =
  ReplyKindOf<K> extends 'action' ? ActionResult : ReplyType<K>;

type Invoke<K extends OperationName> = (...args: OperationArgs<K>) => Promise<BridgeReply<K>>;

/** One method per window operation of the table (src/shared/operations.ts). */
export type BridgeOperations = {
  [K in Exclude<WindowOperation, OptionalOperation>]: Invoke<K>;
} & { [K in OptionalOperation]?: Invoke<K> };

/** What a window can see and do. Implemented by the preload (IPC) and the HTTP bridge. */
export interface StationBridge extends BridgeOperations {
  readonly kind: 'ipc' | 'http';
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: StationEvent) => void): () => void;
}

/** What the core answers for an operation, before it crosses IPC or HTTP. */
export type CoreReturn<K extends OperationName> =
  ReplyKindOf<K> extends 'action'
    ? ActionResult
    : ReplyKindOf<K> extends 'result'
      ? OperationResult<ReplyType<K>>
      : ReplyType<K>;

/** The core's side of each operation the window calls, by the table's names and arguments. */
export type CoreOperations = {
  [K in CoreOperation]: (...args: OperationArgs<K>) => CoreReturn<K> | Promise<CoreReturn<K>>;
};

/**
 * What the station core offers its windows and HTTP: every core operation of
 * the table (checked below), the snapshot and the live views.
 */
export interface StationApi {
  info(): StationInfo;
  /** Cheap: /healthz must answer fast under load. */
  health(): { draining: boolean; version: string; sessions: number; mqtt?: MqttState };
  /** The lab's stations on the same broker (docs/fleet.md). */
  fleet(): FleetSnapshot;
  snapshot(): StationSnapshot;
  subscribe(listener: (event: StationEvent) => void): () => void;
  metricsText(): Promise<{ contentType: string; body: string }>;
  getSnapshot(): StationSnapshot;
  getThumbnail(sessionId: string): Uint8Array | null;
  switchPipeline(sessionId: string, pipelineId: string): ActionResult;
  setDefaultPipeline(pipelineId: string): ActionResult;
  disconnectCamera(sessionId: string): ActionResult;
  dismissCamera(cameraId: string): ActionResult;
  addSource(input: NewSource): ActionResult & { id?: string };
  removeSource(sourceId: string): Promise<ActionResult>;
  setSourceEnabled(sourceId: string, enabled: boolean): Promise<ActionResult>;
  listRecordings(): Promise<RecordingCamera[]>;
  getRecordingFrames(
    cameraId: string,
    sessionId: string,
    offset: number,
    limit: number,
  ): Promise<OperationResult<RecordedFramesPage>>;
  getRecordedFrame(cameraId: string, sessionId: string, file: string): Promise<Uint8Array | null>;
  deleteRecording(cameraId: string, sessionId: string): Promise<ActionResult>;
  getAlerts(): AlertsSnapshot;
  acknowledgeAlert(alertId: string): ActionResult;
  clearAlert(alertId: string): ActionResult;
}

/** The compiler holds StationApi to the table: every core operation, its arguments in order. */
export type StationApiFollowsTheTable = StationApi extends CoreOperations ? true : never;
const stationApiFollowsTheTable: StationApiFollowsTheTable = true;
void stationApiFollowsTheTable;

export type { DropReason };
