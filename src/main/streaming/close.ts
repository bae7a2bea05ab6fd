/**
 * How a session's connection ends: the close code and reason that are
 * recorded, and a station-initiated close that a dead peer cannot hold open.
 */
import type { WebSocket } from 'ws';
import { CLOSE_GRACE_MS, CloseCode, type DropReason } from '../../shared/protocol';

/** Starts the close handshake; a peer that does not answer within the grace is terminated. */
export function closeWithGrace(socket: WebSocket, code: number, reason: string): void {
  if (socket.readyState !== socket.OPEN) return;
  socket.close(code, reason.slice(0, 120));
  // A dead peer never answers the close: do not keep its session around for it.
  setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
}

/** The reason recorded when the peer (or the network) ended the connection. */
export function peerCloseReason(code: number, peerReason: string): string {
  return peerReason || (code === CloseCode.abnormal ? 'connection_lost' : 'camera_closed');
}

/** Frames still waiting at a close are dropped as `shutdown` when the station stops. */
export function dropReasonFor(closeCode: number | null): DropReason {
  return closeCode === CloseCode.goingAway ? 'shutdown' : 'disconnect';
}
