/**
 * The camera protocol (docs/protocol.md): every message a camera can observe.
 * Process-neutral: used by the station, the simulator, the bridge and tests.
 */

import type { AlertMessage } from './alerts';

export const PROTOCOL_VERSION = 1;
export const STREAM_PATH = '/ws/video/stream';

/** WebSocket close codes the station uses, and why. */
export const CloseCode = {
  normal: 1000,
  /** Station shutting down. */
  goingAway: 1001,
  /** A text message where a binary frame was expected. */
  unsupportedData: 1003,
  /** Empty frame or bytes that are not a JPEG. */
  invalidPayload: 1007,
  /** Unknown pipeline or invalid camera id. */
  policyViolation: 1008,
  /** Frame over STREAM_MAX_FRAME_BYTES. */
  messageTooBig: 1009,
  /** A technician disconnected the camera. */
  disconnectedByTechnician: 4001,
  /** A newer session with the same camera_id, from the same address, replaced this one. */
  replaced: 4002,
  /**
   * The camera_id is live from another address: refused, retryable after
   * `retry_after` seconds (in the error message and the close reason).
   */
  cameraInUse: 4003,
  /** PIPELINE_TIMEOUT_STRIKES frames in a row outlived their pipeline's node timeout. */
  pipelineTimeouts: 4008,
  /**
   * More than STREAM_MAX_FPS frames per second replaced a waiting frame in
   * MESSAGE_BUDGET_WINDOWS one-second windows in a row.
   */
  tooManyFrames: 4029,
  /** No frame for STREAM_IDLE_MS: the session held a slot for nothing. */
  idleTimeout: 4009,
  /**
   * Never sent in a close frame: the connection ended without one (it dropped, or
   * the station cut off a dead or non-reading peer). Recorded as the session's close.
   */
  abnormal: 1006,
} as const;

/** Frames in a row whose pipeline timed out before the session is closed with 4008. */
export const PIPELINE_TIMEOUT_STRIKES = 3;

/** One-second windows in a row over STREAM_MAX_FPS replaced frames before the close 4029. */
export const MESSAGE_BUDGET_WINDOWS = 3;

/** A close handshake the peer does not answer within this time ends with a terminate. */
export const CLOSE_GRACE_MS = 2000;

/** Error codes a camera can receive as `{"error": CODE, "detail": ...}`. */
export const PROTOCOL_ERROR_CODES = [
  'invalid_pipeline',
  'invalid_camera_id',
  'invalid_message',
  'empty_frame',
  'frame_too_large',
  'invalid_jpeg',
  'pipeline_failure',
  'pipeline_timeouts',
  'too_many_frames',
  'camera_in_use',
  'idle_timeout',
] as const;
export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

/** Frame rejection codes (the `code` label of stream_frames_rejected_total). */
export type FrameRejectCode =
  'invalid_message' | 'empty_frame' | 'frame_too_large' | 'invalid_jpeg' | 'too_many_frames';

export type SessionState = 'normal' | 'degraded' | 'slow_down';
export type StorageState = 'ok' | 'stopped' | 'off';
export type DropReason = 'superseded' | 'disconnect' | 'shutdown';

/** Where a session's pipeline came from: the technician's pin wins over the URL. */
export type PipelineSource = 'pinned' | 'url' | 'default';

export const CAMERA_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** The camera id rule in words, the one message every check of CAMERA_ID_PATTERN gives. */
export const CAMERA_ID_RULE =
  'a camera id is 1-64 characters of A-Z, a-z, 0-9, dot, underscore or hyphen';

export interface HelloMessage {
  hello: {
    protocol: typeof PROTOCOL_VERSION;
    session_id: string;
    camera_id: string;
    pipeline_id: string;
    /** Extra field: why this pipeline (`pinned` means the technician chose it). */
    pipeline_source: PipelineSource;
    max_frame_bytes: number;
    /**
     * Extra field: frames per second that may replace a waiting one (STREAM_MAX_FPS);
     * a camera that sends no faster than this is never closed with 4029.
     */
    max_fps: number;
    /** Present (true) only when the camera asked for alert messages with `&alerts=1`. */
    alerts?: true;
  };
}

export interface PipelineRef {
  id: string;
  version: string;
}

export interface ResultReply {
  frame_index: number;
  result: Record<string, unknown>;
  pipeline: PipelineRef;
  timings_ms: Record<string, number>;
}

export interface FailureReply {
  frame_index: number;
  result: { error: 'pipeline_failure'; detail: string; node: string };
  pipeline: PipelineRef;
  timings_ms?: Record<string, number>;
}

export interface DropReply {
  frame_index: number;
  dropped: true;
}

export interface SlowDownWarning {
  warning: 'slow_down';
  drop_rate: number;
  suggested_fps: number;
}

export interface ErrorMessage {
  error: ProtocolErrorCode;
  detail: string;
  /** Seconds to wait before trying again (`camera_in_use`). */
  retry_after?: number;
}

/** The seconds to wait that a close reason such as `camera_in_use retry_after=10` carries. */
export function retryAfterFromReason(reason: string): number | null {
  const match = /\bretry_after=(\d{1,6})\b/.exec(reason);
  return match ? Number(match[1]) : null;
}

export type StationMessage =
  | HelloMessage
  | ResultReply
  | FailureReply
  | DropReply
  | SlowDownWarning
  | ErrorMessage
  | AlertMessage;
