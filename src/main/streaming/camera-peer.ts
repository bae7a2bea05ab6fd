/** Who a new camera socket is, read once from its upgrade request. */
import type { IncomingMessage } from 'node:http';
import { CAMERA_ID_PATTERN } from '../../shared/protocol';
import { peerAddress } from './session-registry';

export interface Peer {
  /** The camera id it gives, or its address gives. */
  cameraId: string;
  /** Its address without port (peerAddress). */
  address: string;
  /** Address and port, as logged. */
  remote: string;
  /** The camera_id it gave breaks CAMERA_ID_RULE. */
  invalidCameraId: boolean;
  wantsAlerts: boolean;
}

/** The camera id it gives (or its address gives), where it is, and whether it wants alerts. */
export function peerOf(req: IncomingMessage, url: URL): Peer {
  const remoteAddress = req.socket.remoteAddress;
  const requested = url.searchParams.get('camera_id');
  return {
    remote: `${remoteAddress ?? 'unknown'}:${req.socket.remotePort ?? 0}`,
    address: peerAddress(remoteAddress),
    cameraId: requested ?? cameraIdFromAddress(remoteAddress),
    invalidCameraId: requested !== null && !CAMERA_ID_PATTERN.test(requested),
    wantsAlerts: url.searchParams.get('alerts') === '1',
  };
}

/** Camera id from the remote address alone, so a reconnecting camera keeps it. */
function cameraIdFromAddress(address: string | undefined): string {
  return (
    peerAddress(address)
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 64) || 'unknown'
  );
}
