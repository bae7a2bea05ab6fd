/**
 * One attempt at reading a camera source. The bridge opens an attempt, gets
 * frames until it ends, and decides itself whether and when to try again.
 */
import type { BridgeError } from './errors';

export type SourceOutcome =
  /** A finite source (lavfi graph, file) reached its end. */
  { kind: 'finished' } | { kind: 'failed'; error: BridgeError };

export type DetectedStream = 'mjpeg_multipart' | 'jpeg_stream' | 'other';

export interface SourceHandlers {
  /** The source answered and frames may follow. */
  onOpen(): void;
  onFrame(image: Buffer): void;
  /** What the stream turned out to be, told from its bytes (HTTP sources). */
  onDetected?(kind: DetectedStream, detail?: string): void;
  /** Bytes the parser threw away, and why. */
  onDiscard?(reason: string, bytes: number): void;
  /** Called once; not called after close(). */
  onEnd(outcome: SourceOutcome): void;
}

export interface SourceAttempt {
  /** Stops reading; resolves when the source's resources are released. */
  close(): Promise<void>;
}
