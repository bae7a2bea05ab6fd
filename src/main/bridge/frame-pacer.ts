/**
 * Sends frames no faster than the send rate allows, latest frame first: a
 * frame offered while another waits replaces it. Waits while the socket
 * still holds a lot of unsent bytes rather than piling frames into it.
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
  let lastSentAt: number | null = null;
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
    const at = options.rate.nextSendAt(lastSentAt);
    if (now < at) {
      timer = setTimeout(trySend, Math.ceil(at - now));
      return;
    }
    const frame = pending;
    pending = null;
    const limit = options.rate.limitFps();
    // Pace from the ideal slot when a timer fired a little late, so the average rate holds.
    lastSentAt = limit !== null && lastSentAt !== null && now - at < 1000 / limit ? at : now;
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
