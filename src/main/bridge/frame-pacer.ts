/**
 * Sends frames no faster than the send rate allows, latest frame first: a
 * frame offered while another waits replaces it. Paces on the wall clock
 * with a virtual schedule (one frame due every 1/limit s, a frame may go one
 * interval early), so the average rate is the limit exactly. Waits while the
 * socket still holds a lot of unsent bytes rather than piling frames into it.
 */
import type { SendRate } from '../../shared/send-rate';

export interface FrameSink {
  ready(): boolean;
  send(frame: Buffer): void;
  bufferedAmount(): number;
}

export interface FramePacerOptions {
  rate: SendRate;
  /** Where frames go now; null while there is no connection. */
  sink(): FrameSink | null;
  /** Wait while the socket holds more than this. Default 2 MiB. */
  maxBufferedBytes?: number;
  onSent(): void;
  /** A waiting frame was replaced by a newer one. */
  onSkipped(): void;
}

export interface FramePacer {
  offer(frame: Buffer): void;
  /** Try now (a connection became ready, the rate was raised). */
  kick(): void;
  hasPending(): boolean;
  stop(): void;
}

const BUSY_RETRY_MS = 20;

export function createFramePacer(options: FramePacerOptions): FramePacer {
  const maxBuffered = options.maxBufferedBytes ?? 2 * 1024 * 1024;
  let pending: Buffer | null = null;
  /** When the next frame is due at the limit (the theoretical send time); null: no limit yet. */
  let dueAt: number | null = null;
  let timer: NodeJS.Timeout | undefined;

  function trySend(): void {
    clearTimeout(timer);
    timer = undefined;
    const sink = options.sink();
    if (!pending || !sink?.ready()) return;
    if (sink.bufferedAmount() > maxBuffered) {
      timer = setTimeout(trySend, BUSY_RETRY_MS);
      return;
    }
    const now = Date.now();
    const limit = options.rate.limitFps();
    const interval = limit !== null ? 1000 / limit : 0;
    // A frame may go up to one interval before it is due: a source that delivers at
    // the limit but in bursts (ffmpeg's pipe, a busy machine) keeps its full rate, and
    // the average never exceeds the limit (at most one frame ahead).
    const earliest = dueAt !== null && limit !== null ? dueAt - interval : now;
    if (now < earliest) {
      timer = setTimeout(trySend, Math.ceil(earliest - now));
      return;
    }
    const frame = pending;
    pending = null;
    dueAt = limit !== null ? Math.max(dueAt ?? now, now) + interval : null;
    sink.send(frame);
    options.onSent();
  }

  return {
    offer(frame) {
      if (pending) options.onSkipped();
      pending = frame;
      trySend();
    },
    kick: trySend,
    hasPending: () => pending !== null,
    stop() {
      clearTimeout(timer);
      pending = null;
    },
  };
}
