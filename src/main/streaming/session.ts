/**
 * One camera's session: validates its frames, runs at most one through the
 * pipeline at a time, keeps a bounded queue where the newest frame wins, and
 * tells the camera to slow down when it drops too much.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { SessionInfo } from '../../shared/contract';
import {
  CloseCode,
  MESSAGE_BUDGET_WINDOWS,
  PIPELINE_TIMEOUT_STRIKES,
  type DropReason,
  type ErrorMessage,
  type FrameRejectCode,
  type PipelineSource,
  type SessionState,
  type StationMessage,
  type StorageState,
} from '../../shared/protocol';
import type { CameraMeters } from '../observe/metrics';
import { round } from '../pipeline/measure';
import type { CompiledPipeline, PipelineRunResult } from '../pipeline/types';
import { closeWithGrace, dropReasonFor, peerCloseReason } from './close';
import { checkFrame } from './frame-check';
import { FrameQueue, type WaitingFrame } from './frame-queue';
import { MessageBudget } from './message-budget';
import {
  dropReplyText,
  errorMessage,
  frameReply,
  sendMessage,
  sendText,
  slowDownWarning,
  type SendOutcome,
} from './replies';
import { runFrame } from './run-frame';
import type { SessionDeps } from './session-deps';
import { SessionWindow } from './session-window';
import { TimeoutStrikes } from './timeout-strikes';
import { stationCameraId, stationPipelineId, stationSessionId } from '../../shared/station-ids';

/** `streaming` → `closing` (error, replaced, disconnected, draining) → `closed`. */
export type SessionPhase = 'streaming' | 'closing' | 'closed';

export class Session {
  readonly id = randomUUID();
  readonly cameraId: string;
  readonly remote: string;
  readonly address: string;
  readonly connectedAt = Date.now();
  readonly logger: Logger;
  readonly wantsAlerts: boolean;

  phase: SessionPhase = 'streaming';
  frameIndex = 0;
  received = 0;
  processed = 0;
  dropped = 0;
  rejected = 0;
  failed = 0;
  storage: StorageState = 'off';
  lastFrameAt: number | null = null;
  lastTimings: Record<string, number> = {};
  thumbnail: Buffer | null = null;
  thumbnailSeq = 0;
  closeCode: number | null = null;
  closeReason: string | null = null;

  private pipelineSource: PipelineSource;
  /** The chosen pipeline's version last seen; kept when the definition disappears (hot reload). */
  private pipeline: CompiledPipeline;
  private readonly queue: FrameQueue;
  /** Received, processed and dropped lately: the state, and when to send slow_down. */
  private readonly window: SessionWindow;
  private readonly budget: MessageBudget;
  private readonly camera: CameraMeters;
  private readonly timeouts = new TimeoutStrikes();
  readonly socket: WebSocket;
  private readonly deps: SessionDeps;

  constructor(deps: SessionDeps) {
    this.deps = deps;
    this.socket = deps.socket;
    this.cameraId = deps.cameraId;
    this.remote = deps.remote;
    this.address = deps.address;
    this.pipeline = deps.pipeline;
    this.pipelineSource = deps.pipelineSource;
    this.wantsAlerts = deps.wantsAlerts ?? false;
    this.window = new SessionWindow(deps.limits, this.connectedAt);
    this.budget = new MessageBudget(deps.limits.maxFps);
    this.camera = deps.metrics.forCamera(deps.cameraId);
    this.logger = deps.logger.child({ session_id: this.id, camera_id: this.cameraId });
    this.queue = new FrameQueue({
      slots: deps.slots,
      depth: deps.limits.queueDepth,
      canRun: () => this.phase === 'streaming',
      run: (frame) => this.process(frame),
      drop: (frame, reason) => this.drop(frame, reason),
    });
  }

  /** The state of the last reading of the rate window. */
  get state(): SessionState {
    return this.window.reading.state;
  }

  get currentPipelineId(): string {
    return this.pipeline.id;
  }

  /** Takes effect at the next frame that enters the pipeline. */
  switchPipeline(pipeline: CompiledPipeline, source: PipelineSource): void {
    this.pipeline = pipeline;
    this.pipelineSource = source;
    this.deps.onChange(this);
  }

  /** Sends one protocol message; a peer that leaves too much unread is cut off. */
  send(message: StationMessage): void {
    this.afterSend(sendMessage(this.socket, message));
  }

  private afterSend(outcome: SendOutcome): void {
    if (outcome !== 'not_reading') return;
    this.markTerminated('not_reading_replies');
    this.socket.terminate();
  }

  /** A message arrived from the camera. */
  onMessage(data: Buffer, isBinary: boolean): void {
    if (this.phase === 'closed') return;
    const now = Date.now();
    const pipeline = this.noteArrival(now);
    if (this.phase === 'closing') {
      // Draining or on the way out: the frame is answered, not processed.
      this.drop(
        { index: this.frameIndex, bytes: data, pipeline, arrivedAt: now },
        dropReasonFor(this.closeCode),
      );
      return;
    }
    const check = checkFrame(data, isBinary);
    if (!check.ok) {
      this.reject(check.code, check.detail, check.closeCode);
      return;
    }
    this.deps.metrics.frameBytes.inc(data.length);
    this.enqueue({
      index: this.frameIndex,
      bytes: data,
      header: check.header,
      pipeline,
      arrivedAt: now,
    });
  }

  /**
   * Counts a message that arrived and returns the pipeline it is for: the newest
   * version of the chosen pipeline, or the last good one if it vanished.
   */
  private noteArrival(now: number): CompiledPipeline {
    this.pipeline = this.deps.catalog.get(this.pipeline.id) ?? this.pipeline;
    this.countReceived();
    this.lastFrameAt = now;
    this.camera.lastFrame.set(now / 1000);
    this.window.onReceived(now);
    return this.pipeline;
  }

  private countReceived(): void {
    this.frameIndex++;
    this.received++;
    this.deps.metrics.forPipeline(this.pipeline.id).received.inc();
  }

  /** The WebSocket layer refused a message over the size limit (it closes with 1009). */
  onOversizeFrame(): void {
    this.countReceived();
    this.countRejected('frame_too_large');
    // ws has already started the 1009 close: the JSON error cannot go out (best-effort
    // in the protocol), and frames still waiting are counted as dropped at the close.
    this.closeCode = CloseCode.messageTooBig;
    this.closeReason = 'frame_too_large';
  }

  private enqueue(frame: WaitingFrame): void {
    const replaced = this.queue.push(frame);
    if (replaced && this.budget.spend(frame.arrivedAt, this.socket)) this.overBudget();
    this.changed();
  }

  /** Replacing frames faster than any camera needs is a flood, not a camera: closed with 4029. */
  private overBudget(): void {
    const detail = `more than ${this.deps.limits.maxFps} frames per second replaced a waiting frame for ${MESSAGE_BUDGET_WINDOWS} seconds in a row`;
    this.reject('too_many_frames', detail, CloseCode.tooManyFrames);
  }

  /** Runs a frame and replies; returns the timed-out work that still holds the slot, if any. */
  private async process(frame: WaitingFrame): Promise<Promise<void> | undefined> {
    const session = { sessionId: this.id, cameraId: this.cameraId };
    const { outcome, seconds } = await runFrame(frame, session, this.storage);
    const meters = this.deps.metrics.forPipeline(frame.pipeline.id);
    meters.processingSeconds.observe(seconds);
    meters.processed.inc();
    this.processed++;
    this.window.onProcessed(Date.now());
    this.keepOutcome(frame, outcome);
    const reply = frameReply(frame.index, outcome);
    this.send(reply);
    this.deps.onResult?.(this, reply);
    this.deps.onOutcome?.(this, frame, outcome);
    this.changed();
    if (this.timeouts.count(outcome.failure?.timedOut === true)) this.closeForTimeouts();
    return outcome.settled;
  }

  /** What a processed frame leaves on the session: timings, storage, thumbnail, a failure logged. */
  private keepOutcome(frame: WaitingFrame, outcome: PipelineRunResult): void {
    this.lastTimings = outcome.timings_ms;
    this.storage = outcome.storage;
    if (outcome.thumbnail) {
      this.thumbnail = outcome.thumbnail;
      this.thumbnailSeq++;
    }
    if (outcome.failure) {
      this.failed++;
      this.logger.warn({
        event: 'pipeline_failure',
        pipeline_id: frame.pipeline.id,
        frame_index: frame.index,
        node: outcome.failure.node,
        error: outcome.failure.detail,
      });
    }
  }

  /** Timed out too often in a row (timeout-strikes.ts): the error, then close 4008. */
  private closeForTimeouts(): void {
    const detail = `${PIPELINE_TIMEOUT_STRIKES} frames in a row outlived their pipeline's node timeout`;
    this.logger.warn({ event: 'pipeline_timeouts', pipeline_id: this.pipeline.id, detail });
    void this.close(
      CloseCode.pipelineTimeouts,
      'pipeline_timeouts',
      errorMessage('pipeline_timeouts', detail),
    );
  }

  private drop(frame: WaitingFrame, reason: DropReason): void {
    this.dropped++;
    const { metrics } = this.deps;
    metrics.forPipeline(frame.pipeline.id).dropped.inc();
    this.camera[reason].inc();
    this.window.onDropped(Date.now());
    this.afterSend(sendText(this.socket, dropReplyText(frame.index)));
    this.changed();
  }

  private countRejected(code: FrameRejectCode): void {
    this.rejected++;
    this.deps.metrics.framesRejected.inc({ code });
    this.logger.warn({ event: 'frame_rejected', code, frame_index: this.frameIndex });
  }

  private reject(code: FrameRejectCode, detail: string, closeCode: number): void {
    this.countRejected(code);
    void this.close(closeCode, code, errorMessage(code, detail));
  }

  /**
   * Ends the session from the station's side: waiting frames get drop notices,
   * the frame in flight its result, then the optional error, then the close.
   */
  async close(code: number, reason: string, error?: ErrorMessage): Promise<void> {
    if (this.phase !== 'streaming') return;
    this.phase = 'closing';
    this.closeCode = code;
    this.closeReason = reason;
    const dropReason = dropReasonFor(code);
    for (const frame of this.queue.takeWaiting()) this.drop(frame, dropReason);
    await this.queue.settled();
    if (error) this.send(error);
    closeWithGrace(this.socket, code, reason);
  }

  /** The socket is gone (either side closed it, or the heartbeat ended it). */
  async onClosed(code: number, peerReason: string): Promise<void> {
    if (this.phase === 'closed') return;
    if (this.closeCode === null) {
      this.closeCode = code;
      this.closeReason = peerCloseReason(code, peerReason);
    }
    this.phase = 'closed';
    for (const frame of this.queue.takeWaiting()) this.drop(frame, 'disconnect');
    await this.queue.settled();
    this.deps.catalog.releaseSession(this.id);
  }

  markTerminated(reason: string): void {
    if (this.closeCode === null) {
      this.closeCode = CloseCode.abnormal;
      this.closeReason = reason;
    }
  }

  /** Re-reads the window; sends slow_down on entering the state and each interval while in it. */
  evaluate(now: number): void {
    const before = this.state;
    const suggested = this.window.update(now, this.phase === 'streaming');
    const { reading } = this.window;
    if (suggested !== null) {
      this.deps.metrics.forPipeline(this.pipeline.id).slowdown.inc();
      this.send(slowDownWarning(round(reading.dropRate, 3), round(suggested, 2)));
    }
    if (before !== reading.state) {
      this.logger.info({
        event: 'stream_state',
        state: reading.state,
        drop_rate: round(reading.dropRate, 3),
      });
      this.deps.onChange(this);
    }
  }

  private changed(): void {
    this.evaluate(Date.now());
    this.deps.onChange(this);
  }

  info(): SessionInfo {
    const { dropRate, fpsIn, fpsOut } = this.window.reading;
    return {
      session_id: stationSessionId(this.id),
      camera_id: stationCameraId(this.cameraId),
      pipeline_id: stationPipelineId(this.pipeline.id),
      pipeline_version: this.pipeline.version,
      pipeline_source: this.pipelineSource,
      remote: this.remote,
      frame_index: this.frameIndex,
      processed: this.processed,
      dropped: this.dropped,
      rejected: this.rejected,
      failed: this.failed,
      drop_rate: round(dropRate, 4),
      state: this.state,
      storage: this.storage,
      fps_in: round(fpsIn, 2),
      fps_out: round(fpsOut, 2),
      connected_at: new Date(this.connectedAt).toISOString(),
      last_frame_at: this.lastFrameAt === null ? null : new Date(this.lastFrameAt).toISOString(),
      last_timings_ms: this.lastTimings,
      thumbnail_seq: this.thumbnailSeq,
    };
  }
}
