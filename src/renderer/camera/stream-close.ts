/**
 * What the camera page does when the station closes its socket: stop for good
 * after a technician's close (4001), a replacement (4002) or a refused stream,
 * else reconnect with back-off — for a camera name in use elsewhere (4003) no
 * sooner than the station asks.
 */
import { CloseCode, retryAfterFromReason } from '../../shared/protocol';

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10_000;

export type CloseOutcome =
  | { kind: 'final'; state: 'stopped' | 'error'; message: string }
  | { kind: 'retry'; delayMs: number; message: string };

export interface CloseContext {
  cameraId: string;
  /** Reconnections since the last hello. */
  retries: number;
  /** Whether the socket opened at all (a refused upgrade never does). */
  opened: boolean;
  /** The station's last error message on this socket, if any. */
  lastError: string;
}

export function closeOutcome(code: number, reason: string, context: CloseContext): CloseOutcome {
  const why = context.lastError || reason;
  switch (code) {
    case CloseCode.disconnectedByTechnician:
      return final('stopped', 'A technician disconnected this camera at the station.');
    case CloseCode.replaced:
      return final('stopped', 'Another camera with the same name connected and replaced this one.');
    case CloseCode.policyViolation:
    case CloseCode.unsupportedData:
    case CloseCode.invalidPayload:
    case CloseCode.messageTooBig:
      return final('error', `The station refused the stream (${code}${why ? `: ${why}` : ''}).`);
  }
  return retry(code, reason, context);
}

function final(state: 'stopped' | 'error', message: string): CloseOutcome {
  return { kind: 'final', state, message };
}

function retry(code: number, reason: string, context: CloseContext): CloseOutcome {
  const inUse = code === CloseCode.cameraInUse;
  const asked = inUse ? (retryAfterFromReason(reason) ?? 0) * 1000 : 0;
  const delayMs = Math.max(asked, Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** context.retries));
  const seconds = Math.round(delayMs / 1000);
  const message = inUse
    ? `Another device is streaming as camera "${context.cameraId}"; retrying in ${seconds} s. Pick another camera name if it stays.`
    : context.opened
      ? `Connection lost (${code}); reconnecting in ${seconds} s.`
      : `Could not connect (wrong token, page origin refused, or station full?); retrying in ${seconds} s.`;
  return { kind: 'retry', delayMs, message };
}
