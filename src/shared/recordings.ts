/**
 * Recordings as the window browses them (docs/dashboard.md#recordings): the
 * sessions `store` nodes wrote, and their frames a page at a time.
 */

import type { CameraId, PipelineId, SessionId } from './inputs';

export interface RecordingSession {
  camera_id: CameraId;
  session_id: SessionId;
  /** `time` of the first and last line of results.jsonl; null when empty. */
  started_at: string | null;
  ended_at: string | null;
  frames: number;
  /** JPEGs and results.jsonl together. */
  bytes: number;
  /** The pipeline of the first recorded frame. */
  pipeline: { id: PipelineId; version: string } | null;
}

export interface RecordingCamera {
  camera_id: CameraId;
  sessions: RecordingSession[];
}

/** One recorded frame: its results.jsonl line, with the numeric results flattened. */
export interface RecordedFrame {
  /** Position in results.jsonl (0-based): what pages and the scrubber count. */
  position: number;
  frame_index: number;
  file: string;
  time: string;
  /** Numeric leaves of `result`, e.g. `{"sharpness.laplacian_variance": 812.4}`. */
  values: Record<string, number>;
}

export interface RecordedFramesPage {
  camera_id: CameraId;
  session_id: SessionId;
  /** Frames in the session (lines of results.jsonl). */
  total: number;
  offset: number;
  frames: RecordedFrame[];
}

/** The largest page of frames one request returns. */
export const MAX_FRAMES_PAGE = 5000;

/** A span of a recording by the times of its first and last frames (ISO 8601). */
export interface ExportRange {
  from: string;
  to: string;
}

/** A recording the window saved to a file the technician chose, or that they cancelled. */
export type SavedExport =
  { saved: false } | { saved: true; path: string; frames: number; bytes: number };
