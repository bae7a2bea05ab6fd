/**
 * A session's frames between arrival and pipeline: a bounded waiting queue
 * where the newest frame wins, at most one frame in flight, and the handshake
 * with the station-wide pipeline slots (ask when idle with a frame waiting;
 * give the slot back when done or when nothing is left to run). Work that
 * outlived its timeout keeps the slot, and the session's turn, until it ends:
 * timed-out work never piles up beyond one frame per session and the slot count.
 */
import type { DropReason } from '../../shared/protocol';
import type { JpegHeader } from '../pipeline/jpeg-header';
import type { CompiledPipeline } from '../pipeline/types';
import type { PipelineSlots, SlotClient } from './pipeline-slots';

export interface WaitingFrame {
  index: number;
  bytes: Buffer;
  /** The marker walk's result (absent for frames answered without a check). */
  header?: JpegHeader;
  /** When it arrived (ms, Date.now()): the slot scheduler serves the oldest first. */
  arrivedAt: number;
  /** The session's pipeline when the frame arrived: a switch applies to later frames. */
  pipeline: CompiledPipeline;
}

export interface FrameQueueDeps {
  slots: PipelineSlots;
  /** Frames kept waiting beyond the one in flight (STREAM_QUEUE_DEPTH). */
  depth: number;
  /** False once the session is closing: granted slots go back unused. */
  canRun: () => boolean;
  /** Resolves once the frame has its reply; with a promise when timed-out work still runs. */
  run: (frame: WaitingFrame) => Promise<Promise<void> | undefined>;
  drop: (frame: WaitingFrame, reason: DropReason) => void;
}

export class FrameQueue {
  private readonly waiting: WaitingFrame[] = [];
  /** The frame running in a pipeline slot, until its reply is sent. */
  private inFlight: Promise<void> | null = null;
  /** Timed-out work of the last frame, still running after its reply: the slot stays taken. */
  private holding: Promise<void> | null = null;
  /** Waiting for a station-wide pipeline slot. */
  private slotRequested = false;
  private readonly slotClient: SlotClient = {
    nextFrameSince: () => this.waiting[0]?.arrivedAt ?? Infinity,
    grant: () => this.onSlot(),
  };

  constructor(private readonly deps: FrameQueueDeps) {}

  /**
   * Latest wins: the frame joins the waiting queue (it starts at once when the
   * session is idle and a slot is free); beyond the depth, the oldest is dropped.
   * True when the frame replaced another (the message budget counts those).
   */
  push(frame: WaitingFrame): boolean {
    this.waiting.push(frame);
    this.pump();
    let replaced = false;
    while (this.waiting.length > this.deps.depth) {
      this.deps.drop(this.waiting.shift()!, 'superseded');
      replaced = true;
    }
    return replaced;
  }

  /** Stops asking for a slot and hands back every waiting frame (for drop notices). */
  takeWaiting(): WaitingFrame[] {
    this.cancelSlot();
    return this.waiting.splice(0);
  }

  /** Resolves once the frame in flight (if any) has had its reply. */
  async settled(): Promise<void> {
    if (this.inFlight) await this.inFlight;
  }

  /** Asks for a pipeline slot when idle with a frame waiting. */
  private pump(): void {
    if (this.inFlight || this.holding || this.slotRequested || this.waiting.length === 0) return;
    if (!this.deps.canRun()) return;
    this.slotRequested = true;
    this.deps.slots.request(this.slotClient);
  }

  private onSlot(): void {
    this.slotRequested = false;
    const frame = this.deps.canRun() ? this.waiting.shift() : undefined;
    if (!frame) {
      this.deps.slots.release();
      return;
    }
    const done = () => {
      this.deps.slots.release();
      this.pump();
    };
    this.inFlight = this.deps.run(frame).then(
      (stillRunning) => {
        this.inFlight = null;
        if (!stillRunning) return done();
        this.holding = stillRunning.finally(() => {
          this.holding = null;
          done();
        });
      },
      () => {
        this.inFlight = null;
        done();
      },
    );
  }

  /** True while timed-out work of this session still holds its pipeline slot. */
  isHolding(): boolean {
    return this.holding !== null;
  }

  private cancelSlot(): void {
    if (!this.slotRequested) return;
    this.slotRequested = false;
    this.deps.slots.cancel(this.slotClient);
  }
}
