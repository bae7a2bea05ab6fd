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
  type DropReason,
  type FrameRejectCode,
  type PipelineSource,
  type SessionState,
  type StorageState,
} from '../../shared/protocol';
import type { CameraMeters, StationMetrics } from '../observe/metrics';
import type { CompiledPipeline, PipelineCatalog, PipelineRunResult } from '../pipeline/types';
import { Backpressure } from './backpressure';
import { checkJpeg } from './jpeg';
import type { PipelineSlots, SlotClient } from './pipeline-slots';

export interface SessionLimits {
  queueDepth: number;
  rateWindowMs: number;
  dropThreshold: number;
  slowdownThreshold: number;
  slowdownIntervalMs: number;
  maxFrameBytes: number;
}

export interface SessionDeps {
  socket: WebSocket;
  cameraId: string;
  remote: string;
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
}

/** `streaming` → `closing` (error, replaced, disconnected, draining) → `closed`. */
export type SessionPhase = 'streaming' | 'closing' | 'closed';

interface WaitingFrame {
  index: number;
  bytes: Buffer;
  /** When it arrived (ms, Date.now()): the slot scheduler serves the oldest first. */
  arrivedAt: number;
  /** The session's pipeline when the frame arrived: a switch applies to later frames. */
  pipeline: CompiledPipeline;
}

/** A peer that leaves this much of our replies unread is not reading: it is cut off. */
export const MAX_UNREAD_REPLY_BYTES = 4 * 1024 * 1024;
/** A close handshake the peer does not answer within this time ends with a terminate. */
const CLOSE_GRACE_MS = 2000;

export class Session {
  readonly id = randomUUID();
  readonly cameraId: string;
  readonly remote: string;
  readonly connectedAt = Date.now();
  readonly logger: Logger;

  phase: SessionPhase = 'streaming';
  frameIndex = 0;
  received = 0;
  processed = 0;
  dropped = 0;
  rejected = 0;
  failed = 0;
  state: SessionState = 'normal';
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
  private readonly waiting: WaitingFrame[] = [];
  /** The frame running in a pipeline slot, until its reply is sent. */
  private inFlight: Promise<void> | null = null;
  /** Waiting for a station-wide pipeline slot. */
  private slotRequested = false;
  private readonly slotClient: SlotClient = {
    nextFrameSince: () => this.waiting[0]?.arrivedAt ?? Infinity,
    grant: () => this.onSlot(),
  };
  private readonly backpressure: Backpressure;
  private readonly camera: CameraMeters;
  private lastSlowdownAt = 0;
  private dropRate = 0;
  private fpsIn = 0;
  private fpsOut = 0;
  readonly socket: WebSocket;
  private readonly deps: SessionDeps;

  constructor(deps: SessionDeps) {
    this.deps = deps;
    this.socket = deps.socket;
    this.cameraId = deps.cameraId;
    this.remote = deps.remote;
    this.pipeline = deps.pipeline;
    this.pipelineSource = deps.pipelineSource;
    this.backpressure = new Backpressure(
      {
        windowMs: deps.limits.rateWindowMs,
        dropThreshold: deps.limits.dropThreshold,
        slowdownThreshold: deps.limits.slowdownThreshold,
      },
      this.connectedAt,
    );
    this.camera = deps.metrics.forCamera(deps.cameraId);
    this.logger = deps.logger.child({ session_id: this.id, camera_id: this.cameraId });
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

  send(message: object): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_UNREAD_REPLY_BYTES) {
      this.markTerminated('not_reading_replies');
      this.socket.terminate();
      return;
    }
    this.socket.send(JSON.stringify(message));
  }

  /** A message arrived from the camera. */
  onMessage(data: Buffer, isBinary: boolean): void {
    if (this.phase === 'closed') return;
    const now = Date.now();
    this.frameIndex++;
    this.received++;
    this.lastFrameAt = now;
    const { metrics } = this.deps;
    // The newest version of the chosen pipeline, or the last good one if it vanished.
    const pipeline = this.deps.catalog.get(this.pipeline.id) ?? this.pipeline;
    this.pipeline = pipeline;
    metrics.forPipeline(pipeline.id).received.inc();
    this.camera.lastFrame.set(now / 1000);
    this.backpressure.onReceived(now);

    if (this.phase === 'closing') {
      // Draining or on the way out: the frame is answered, not processed.
      this.drop(
        { index: this.frameIndex, bytes: data, pipeline, arrivedAt: now },
        this.closeCode === CloseCode.goingAway ? 'shutdown' : 'disconnect',
      );
      return;
    }
    if (!isBinary) {
      this.reject('invalid_message', 'Expected binary frame payload', CloseCode.unsupportedData);
      return;
    }
    if (data.length === 0) {
      this.reject('empty_frame', 'Frame payload is empty', CloseCode.invalidPayload);
      return;
    }
    const jpeg = checkJpeg(data);
    if (!jpeg.ok) {
      this.reject('invalid_jpeg', jpeg.detail, CloseCode.invalidPayload);
      return;
    }
    metrics.frameBytes.inc(data.length);
    this.enqueue({ index: this.frameIndex, bytes: data, pipeline, arrivedAt: now });
  }

  /** The WebSocket layer refused a message over the size limit (it closes with 1009). */
  onOversizeFrame(): void {
    this.frameIndex++;
    this.received++;
    this.deps.metrics.forPipeline(this.pipeline.id).received.inc();
    this.countRejected('frame_too_large');
    // ws has already started the 1009 close: the JSON error cannot go out (best-effort
    // in the protocol), and frames still waiting are counted as dropped at the close.
    this.closeCode = CloseCode.messageTooBig;
    this.closeReason = 'frame_too_large';
  }

  /**
   * Latest wins: the frame joins the waiting queue (it starts at once when the
   * session is idle and a slot is free); beyond STREAM_QUEUE_DEPTH waiting
   * frames, the oldest is dropped.
   */
  private enqueue(frame: WaitingFrame): void {
    this.waiting.push(frame);
    this.pump();
    while (this.waiting.length > this.deps.limits.queueDepth) {
      this.drop(this.waiting.shift()!, 'superseded');
    }
    this.changed();
  }

  /** Asks for a pipeline slot when idle with a frame waiting. */
  private pump(): void {
    if (this.inFlight || this.slotRequested || this.waiting.length === 0) return;
    if (this.phase !== 'streaming') return;
    this.slotRequested = true;
    this.deps.slots.request(this.slotClient);
  }

  private onSlot(): void {
    this.slotRequested = false;
    const frame = this.phase === 'streaming' ? this.waiting.shift() : undefined;
    if (!frame) {
      this.deps.slots.release();
      return;
    }
    this.inFlight = this.process(frame).finally(() => {
      this.inFlight = null;
      this.deps.slots.release();
      this.pump();
    });
  }

  private async process(frame: WaitingFrame): Promise<void> {
    const pipeline = frame.pipeline;
    const started = performance.now();
    let outcome: PipelineRunResult;
    try {
      outcome = await pipeline.run({
        frameIndex: frame.index,
        imageBytes: frame.bytes,
        session: { sessionId: this.id, cameraId: this.cameraId },
      });
    } catch (err) {
      // run() is not supposed to reject; if it does, the frame still gets its one reply.
      outcome = {
        pipeline: { id: pipeline.id, version: pipeline.version },
        result: {},
        failure: { node: 'station', detail: (err as Error).message },
        timings_ms: { total: performance.now() - started },
        storage: this.storage,
      };
    }
    const seconds = (performance.now() - started) / 1000;
    const { metrics } = this.deps;
    const meters = metrics.forPipeline(pipeline.id);
    meters.processingSeconds.observe(seconds);
    meters.processed.inc();
    this.processed++;
    this.backpressure.onProcessed(Date.now());
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
        pipeline_id: pipeline.id,
        frame_index: frame.index,
        node: outcome.failure.node,
        error: outcome.failure.detail,
      });
      this.send({
        frame_index: frame.index,
        result: {
          error: 'pipeline_failure',
          detail: outcome.failure.detail,
          node: outcome.failure.node,
        },
        pipeline: outcome.pipeline,
        timings_ms: outcome.timings_ms,
      });
    } else {
      this.send({
        frame_index: frame.index,
        result: outcome.result,
        pipeline: outcome.pipeline,
        timings_ms: outcome.timings_ms,
      });
    }
    this.changed();
  }

  private drop(frame: WaitingFrame, reason: DropReason): void {
    this.dropped++;
    const { metrics } = this.deps;
    metrics.forPipeline(frame.pipeline.id).dropped.inc();
    this.camera[reason].inc();
    this.backpressure.onDropped(Date.now());
    this.send({ frame_index: frame.index, dropped: true });
    this.changed();
  }

  private countRejected(code: FrameRejectCode): void {
    this.rejected++;
    this.deps.metrics.framesRejected.inc({ code });
    this.logger.warn({ event: 'frame_rejected', code, frame_index: this.frameIndex });
  }

  private reject(code: FrameRejectCode, detail: string, closeCode: number): void {
    this.countRejected(code);
    void this.close(closeCode, code, { error: code, detail });
  }

  /**
   * Ends the session from the station's side: waiting frames get drop notices,
   * the frame in flight its result, then the optional error, then the close.
   */
  async close(
    code: number,
    reason: string,
    error?: { error: string; detail: string },
  ): Promise<void> {
    if (this.phase !== 'streaming') return;
    this.phase = 'closing';
    this.closeCode = code;
    this.closeReason = reason;
    this.cancelSlot();
    const dropReason: DropReason = code === CloseCode.goingAway ? 'shutdown' : 'disconnect';
    for (const frame of this.waiting.splice(0)) this.drop(frame, dropReason);
    if (this.inFlight) await this.inFlight;
    if (error) this.send(error);
    if (this.socket.readyState === this.socket.OPEN) {
      this.socket.close(code, reason.slice(0, 120));
      // A dead peer never answers the close: do not keep its session around for it.
      setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS).unref();
    }
  }

  /** The socket is gone (either side closed it, or the heartbeat ended it). */
  async onClosed(code: number, peerReason: string): Promise<void> {
    if (this.phase === 'closed') return;
    if (this.closeCode === null) {
      this.closeCode = code;
      this.closeReason = peerReason || (code === 1006 ? 'connection_lost' : 'camera_closed');
    }
    this.phase = 'closed';
    this.cancelSlot();
    for (const frame of this.waiting.splice(0)) this.drop(frame, 'disconnect');
    if (this.inFlight) await this.inFlight;
    this.deps.catalog.releaseSession(this.id);
  }

  private cancelSlot(): void {
    if (!this.slotRequested) return;
    this.slotRequested = false;
    this.deps.slots.cancel(this.slotClient);
  }

  markTerminated(reason: string): void {
    if (this.closeCode === null) {
      this.closeCode = 1006;
      this.closeReason = reason;
    }
  }

  /** Re-reads the window; sends slow_down on entering the state and each interval while in it. */
  evaluate(now: number): void {
    const reading = this.backpressure.read(now);
    const before = this.state;
    this.dropRate = reading.dropRate;
    this.fpsIn = reading.fpsIn;
    this.fpsOut = reading.fpsOut;
    this.state = reading.state;
    // On entering the state and each interval while it lasts; a rate hovering at the
    // threshold (re-entering often) still hears it at most once per interval.
    if (this.state === 'slow_down' && this.phase === 'streaming') {
      if (now - this.lastSlowdownAt >= this.deps.limits.slowdownIntervalMs) {
        this.lastSlowdownAt = now;
        this.deps.metrics.forPipeline(this.pipeline.id).slowdown.inc();
        this.send({
          warning: 'slow_down',
          drop_rate: round(reading.dropRate, 3),
          // What the station sustained; at least one frame per window, never "stop".
          suggested_fps: round(Math.max(reading.fpsOut, 1000 / this.deps.limits.rateWindowMs), 2),
        });
      }
    }
    if (before !== this.state) {
      this.logger.info({
        event: 'stream_state',
        state: this.state,
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
    return {
      session_id: this.id,
      camera_id: this.cameraId,
      pipeline_id: this.pipeline.id,
      pipeline_version: this.pipeline.version,
      pipeline_source: this.pipelineSource,
      remote: this.remote,
      frame_index: this.frameIndex,
      processed: this.processed,
      dropped: this.dropped,
      rejected: this.rejected,
      failed: this.failed,
      drop_rate: round(this.dropRate, 4),
      state: this.state,
      storage: this.storage,
      fps_in: round(this.fpsIn, 2),
      fps_out: round(this.fpsOut, 2),
      connected_at: new Date(this.connectedAt).toISOString(),
      last_frame_at: this.lastFrameAt === null ? null : new Date(this.lastFrameAt).toISOString(),
      last_timings_ms: this.lastTimings,
      thumbnail_seq: this.thumbnailSeq,
    };
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
