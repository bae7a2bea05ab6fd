/**
 * Peers refused after the WebSocket handshake, before a session exists (no
 * frame is read): the JSON error first, then the close, and a log line.
 */
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { CloseCode, type ProtocolErrorCode } from '../../shared/protocol';
import { closeWithGrace } from './close';
import type { RefusalLog } from './refusal-log';
import { errorMessage, sendMessage } from './replies';

export class SessionRefusals {
  constructor(
    private readonly logger: Logger,
    private readonly refusals: RefusalLog,
    private readonly heartbeatMs: number,
  ) {}

  /** A pipeline or camera id the session cannot have: the error, then close 1008. */
  refuse(ws: WebSocket, remote: string, code: ProtocolErrorCode, detail: string): void {
    sendMessage(ws, errorMessage(code, detail));
    closeWithGrace(ws, CloseCode.policyViolation, code);
    this.logger.info({ event: 'stream_refused', code, detail, remote });
  }

  /**
   * The id is live from another address: refused with 4003, retryable once the
   * heartbeat could have ended a dead holder. Logged at most every 10 s per id.
   */
  inUse(ws: WebSocket, remote: string, cameraId: string, holder: string): void {
    const retryAfter = Math.max(1, Math.ceil(this.heartbeatMs / 1000));
    const detail = `camera ${cameraId} is streaming from another address; retry after ${retryAfter} s`;
    sendMessage(ws, errorMessage('camera_in_use', detail, retryAfter));
    closeWithGrace(ws, CloseCode.cameraInUse, `camera_in_use retry_after=${retryAfter}`);
    this.refusals.warn(`camera_in_use ${cameraId}`, {
      event: 'stream_refused',
      code: 'camera_in_use',
      camera_id: cameraId,
      remote,
      holder,
    });
  }
}
