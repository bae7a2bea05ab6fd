/**
 * The protocol's connection checks before the WebSocket handshake, in their
 * order: the Host of a browser's page, the camera token, the Origin, room on
 * the station, room for the peer's address. A refused peer gets a plain HTTP
 * answer and never a socket.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { presentedTokens, tokenMatches, type OriginPolicy } from '../access';
import type { RefusalLog } from './refusal-log';
import type { Peer } from './camera-peer';
import { isOwnLoopback, type SessionRegistry } from './session-registry';

export interface UpgradeGateOptions {
  token: string | null;
  origins: OriginPolicy;
  maxSessions: number;
  /** Sessions one remote address may hold (this machine's loopback: no limit). */
  maxSessionsPerAddress: number;
  /** Camera URLs of peers with room, named in a 503 (docs/fleet.md). */
  alternatives?: () => string[];
}

/** Seconds a refused camera is told to wait (`Retry-After`). */
const RETRY_AFTER_S = 5;

function refuseUpgrade(
  socket: Duplex,
  status: number,
  text: string,
  headers: Record<string, string> = {},
  answer: object = { error: text },
): void {
  const body = JSON.stringify(answer);
  const lines = [
    `HTTP/1.1 ${status} ${text}`,
    'Connection: close',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** 503 with the seconds to wait, as header and in the body. */
function refuseBusy(socket: Duplex, answer: { error: string; retry_after: number }): void {
  refuseUpgrade(
    socket,
    503,
    'Service Unavailable',
    { 'Retry-After': `${answer.retry_after}` },
    answer,
  );
}

export class UpgradeGate {
  constructor(
    private readonly options: UpgradeGateOptions,
    private readonly registry: SessionRegistry,
    private readonly refusals: RefusalLog,
  ) {}

  /** True when the peer was refused (and answered); false when it may upgrade. */
  refuses(
    req: IncomingMessage,
    url: URL,
    socket: Duplex,
    peer: Pick<Peer, 'cameraId' | 'address'>,
    accepting: boolean,
  ): boolean {
    if (this.refusedHost(req, socket) || this.refusedCredentials(req, url, socket)) return true;
    // A camera reconnecting after a blip replaces its own session: never locked out by it.
    const replacing = this.registry.claim(peer.cameraId, peer.address).kind === 'own';
    if (this.refusedForRoom(socket, accepting, replacing)) return true;
    return !replacing && this.refusedForAddress(socket, peer.address);
  }

  /** Browsers always send Origin; a page on a rebinding name is refused before anything else. */
  private refusedHost(req: IncomingMessage, socket: Duplex): boolean {
    if (req.headers.origin === undefined || this.options.origins.isOwnHostName(req.headers.host)) {
      return false;
    }
    refuseUpgrade(socket, 421, 'Misdirected Request');
    this.refusals.warn(`unknown_host ${req.socket.remoteAddress}`, {
      event: 'stream_refused',
      code: 'unknown_host',
      remote: req.socket.remoteAddress,
      host: String(req.headers.host ?? '').slice(0, 256),
    });
    return true;
  }

  private refusedCredentials(req: IncomingMessage, url: URL, socket: Duplex): boolean {
    const { token, origins } = this.options;
    if (token && !presentedTokens(req, url).some((given) => tokenMatches(token, given))) {
      refuseUpgrade(socket, 401, 'Unauthorized');
      return true;
    }
    if (!origins.allowsCameraOrigin(req.headers.origin)) {
      refuseUpgrade(socket, 403, 'Forbidden');
      return true;
    }
    return false;
  }

  /** STREAM_MAX_SESSIONS, or draining: 503 naming the peers with room. */
  private refusedForRoom(socket: Duplex, accepting: boolean, replacing: boolean): boolean {
    if (accepting && (this.registry.sessions.size < this.options.maxSessions || replacing)) {
      return false;
    }
    const answer = {
      error: accepting ? 'station_full' : 'station_draining',
      retry_after: RETRY_AFTER_S,
      alternatives: this.options.alternatives?.() ?? [],
    };
    refuseBusy(socket, answer);
    return true;
  }

  /** STREAM_MAX_SESSIONS_PER_ADDRESS: one host cannot take every slot (this machine's loopback can). */
  private refusedForAddress(socket: Duplex, address: string): boolean {
    const max = this.options.maxSessionsPerAddress;
    if (isOwnLoopback(address) || this.registry.countFrom(address) < max) return false;
    const detail = `${address} already holds ${max} camera sessions (STREAM_MAX_SESSIONS_PER_ADDRESS)`;
    const answer = { error: 'too_many_sessions', detail, retry_after: RETRY_AFTER_S };
    refuseBusy(socket, answer);
    this.refusals.warn(`too_many_sessions ${address}`, {
      event: 'stream_refused',
      code: 'too_many_sessions',
      remote: address,
      detail,
    });
    return true;
  }
}
