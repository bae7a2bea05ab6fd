/**
 * The seam between the camera server and the pipeline engine. The server only
 * knows these types; the engine (catalog, executor, nodes) implements them.
 */
import type { PipelineFileError, PipelineSummary } from '../../shared/contract';
import type { PipelineRef, StorageState } from '../../shared/protocol';
import type { AlertRule } from '../alerts/rule';
import type { JpegHeader } from './jpeg-header';

export interface FrameSession {
  sessionId: string;
  cameraId: string;
}

/** The payload of the original design: `{frame_index, image_bytes}` plus who sent it. */
export interface FrameInput {
  frameIndex: number;
  imageBytes: Buffer;
  session: FrameSession;
  /** The frame's marker walk (checkJpeg), done once on arrival; walked here when absent. */
  header?: JpegHeader;
}

export interface PipelineFailure {
  node: string;
  detail: string;
  /** The node outlived its timeout (its work may still be running: see `settled`). */
  timedOut?: true;
}

export interface PipelineRunResult {
  pipeline: PipelineRef;
  /** Output node id → its JSON output. Empty when `failure` is set. */
  result: Record<string, unknown>;
  failure?: PipelineFailure;
  /** `total` and one entry per node that ran, in milliseconds. */
  timings_ms: Record<string, number>;
  /** A small JPEG for the window's live preview; never sent to the camera. */
  thumbnail?: Buffer;
  /** `off` when the pipeline does not store frames. */
  storage: StorageState;
  /**
   * Set when work that timed out is still running (a decode cannot be stopped):
   * resolves once it has ended. The frame's pipeline slot is held until then.
   */
  settled?: Promise<void>;
}

/** One validated, ready-to-run version of a pipeline definition. */
export interface CompiledPipeline {
  readonly id: string;
  /** SHA-256 (hex) of the definition's canonical JSON. */
  readonly version: string;
  readonly summary: PipelineSummary;
  /** Alert rules evaluated on each result (none when the file declares none). */
  readonly alerts?: readonly AlertRule[];
  /** Whether it has a `store` node (an alert then links to the recording). */
  readonly records?: boolean;
  /** Never rejects: a failing node yields `failure`. */
  run(input: FrameInput): Promise<PipelineRunResult>;
}

/** All pipelines the station knows: built-ins plus the user directory, hot-reloaded. */
export interface PipelineCatalog {
  /** The current version of a pipeline, or undefined when unknown/invalid. */
  get(id: string): CompiledPipeline | undefined;
  list(): PipelineSummary[];
  errors(): PipelineFileError[];
  /** Called after any reload that changed the list or the errors. Returns unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Frees per-session node state (e.g. the previous frame kept by `motion`). */
  releaseSession(sessionId: string): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
