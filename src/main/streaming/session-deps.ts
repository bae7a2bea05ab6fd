/** What a camera session is given: its socket and peer, its pipeline, the station's limits and hooks. */
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { FailureReply, PipelineSource, ResultReply } from '../../shared/protocol';
import type { StationMetrics } from '../observe/metrics';
import type { CompiledPipeline, PipelineCatalog, PipelineRunResult } from '../pipeline/types';
import type { WaitingFrame } from './frame-queue';
import type { PipelineSlots } from './pipeline-slots';
import type { Session } from './session';

export interface SessionLimits {
  queueDepth: number;
  rateWindowMs: number;
  dropThreshold: number;
  slowdownThreshold: number;
  slowdownIntervalMs: number;
  maxFrameBytes: number;
  /** STREAM_MAX_FPS: replacing frames per second before the message budget runs out. */
  maxFps: number;
}

export interface SessionDeps {
  socket: WebSocket;
  cameraId: string;
  remote: string;
  /** The peer's address without port (session-registry.ts peerAddress). */
  address: string;
  pipeline: CompiledPipeline;
  pipelineSource: PipelineSource;
  catalog: PipelineCatalog;
  limits: SessionLimits;
  /** Station-wide pipeline slots shared by all sessions. */
  slots: PipelineSlots;
  metrics: StationMetrics;
  logger: Logger;
  /** Something observable changed (counters, state, pipeline). */
  onChange: (session: Session) => void;
  /** A processed frame's reply, once sent to the camera. */
  onResult?: (session: Session, reply: ResultReply | FailureReply) => void;
  /** The camera asked for alert messages (`&alerts=1`). */
  wantsAlerts?: boolean;
  /** A frame's outcome, after its reply: alerts are evaluated on it. */
  onOutcome?: (session: Session, frame: WaitingFrame, outcome: PipelineRunResult) => void;
}
