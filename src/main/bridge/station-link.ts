/**
 * One connection attempt to the station's camera endpoint (PROTOCOL.md). It
 * reports the hello, every reply, and how the connection ended, as a
 * BridgeError that says whether reconnecting makes sense. The token travels in
 * the Authorization header, never in the URL.
 */
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import {
  CloseCode,
  retryAfterFromReason,
  STREAM_PATH,
  type HelloMessage,
  type StationMessage,
} from '../../shared/protocol';
import { redactUrl } from '../observe/logger';
import { readRefusal } from '../fleet/refusal';
import { bridgeError, type BridgeError, type BridgeErrorCode } from './errors';

export interface StationLinkOptions {
  /** ws://HOST:PORT, optionally with the stream path. */
  station: string;
  cameraId: string;
  pipelineId?: string;
  token?: string;
  connectTimeoutMs: number;
  /** Ping the station this often; no pong by the next ping ends the link. Default 10000 ms. */
  heartbeatMs?: number;
}

export interface StationLinkHandlers {
  onHello(hello: HelloMessage['hello']): void;
  onMessage(message: StationMessage): void;
  /** Called once, when the attempt is over (not after close()). */
  onEnd(error: BridgeError): void;
}

export interface StationLink {
  /** True after the hello, until the connection ends. */
  ready(): boolean;
  send(frame: Buffer): void;
  /** Bytes queued in the socket, not yet sent. */
  bufferedAmount(): number;
  close(code?: number): Promise<void>;
}

/** Replies are small JSON; this bounds what a misbehaving peer can make us buffer. */
const MAX_REPLY_BYTES = 1024 * 1024;

export function streamUrl(
  options: Pick<StationLinkOptions, 'station' | 'cameraId' | 'pipelineId'>,
): URL {
  const url = new URL(options.station);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`station must be a ws:// or wss:// URL, got ${url.protocol}`);
  }
  if (url.pathname === '/' || url.pathname === '') url.pathname = STREAM_PATH;
  if (options.pipelineId) url.searchParams.set('pipeline_id', options.pipelineId);
  url.searchParams.set('camera_id', options.cameraId);
  return url;
}

/** The refusal of the upgrade, by its HTTP status (503 is read apart: its body names peers). */
function refusalCode(status: number): BridgeErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  return 'station_unreachable';
}

/** The station's close code, as the error the bridge decides on (retry or not, and when). */
function closeError(code: number, reason: string, lastError: string | null): BridgeError {
  const detail = [`close ${code}`, reason, lastError ?? ''].filter(Boolean).join(' ');
  switch (code) {
    case CloseCode.disconnectedByTechnician:
      return bridgeError('disconnected_by_technician', detail);
    case CloseCode.replaced:
      return bridgeError('replaced', detail);
    case CloseCode.cameraInUse: {
      const retryAfter = retryAfterFromReason(reason);
      return {
        ...bridgeError('camera_in_use', detail),
        ...(retryAfter !== null ? { retryAfterSeconds: retryAfter } : {}),
      };
    }
    case CloseCode.policyViolation:
      return bridgeError('rejected', detail);
    default:
      return bridgeError('station_closed', detail);
  }
}

/** A text reply as a message; undefined when it is not JSON. */
function parseReply(data: WebSocket.RawData): StationMessage | undefined {
  try {
    return JSON.parse(rawToString(data)) as StationMessage;
  } catch {
    return undefined;
  }
}

class StationConnection implements StationLink {
  private readonly url: URL;
  private readonly ws: WebSocket;
  private readonly closed: Promise<void>;
  private helloSeen = false;
  private ended = false;
  private closing = false;
  /** The station's last error message, quoted when it closes. */
  private lastError: string | null = null;
  // A station that vanished without a close (pulled cable, suspended host) is
  // found by its missing pong, not by waiting for TCP to give up.
  private alive = true;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: StationLinkOptions,
    private readonly handlers: StationLinkHandlers,
  ) {
    this.url = streamUrl(options);
    const ws = (this.ws = new WebSocket(this.url, {
      handshakeTimeout: options.connectTimeoutMs,
      maxPayload: MAX_REPLY_BYTES,
      headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
    }));
    this.closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.on('pong', () => (this.alive = true));
    ws.once('open', () => this.startHeartbeat());
    ws.once('close', () => clearInterval(this.heartbeat));
    ws.on('unexpected-response', (_req, res) => this.onRefused(res));
    ws.on('error', (err: NodeJS.ErrnoException) => {
      this.end(bridgeError('station_unreachable', `${err.code ?? ''} ${err.message}`.trim()));
    });
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (!isBinary) this.onReply(data);
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.end(closeError(code, reason.toString('utf8'), this.lastError));
    });
  }

  ready(): boolean {
    return this.helloSeen && !this.ended && this.ws.readyState === WebSocket.OPEN;
  }

  send(frame: Buffer): void {
    this.ws.send(frame, { binary: true });
  }

  bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  async close(code: number = CloseCode.normal): Promise<void> {
    this.closing = true;
    const { ws } = this;
    if (ws.readyState === WebSocket.CLOSED) return;
    if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
    else ws.close(code);
    const timer = setTimeout(() => ws.terminate(), 2000);
    await this.closed;
    clearTimeout(timer);
  }

  private end(error: BridgeError): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.closing) this.handlers.onEnd(error);
  }

  private startHeartbeat(): void {
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs ?? 10_000);
  }

  /** No pong since the last ping ends the link; else ping again. */
  private beat(): void {
    if (!this.alive) {
      this.end(bridgeError('station_unreachable', 'no answer to ping'));
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private onRefused(res: IncomingMessage): void {
    const status = res.statusCode ?? 0;
    const detail = `HTTP ${status} from ${redactUrl(this.url.origin)}`;
    if (status === 503) {
      // A full station's body names peers with room (docs/fleet.md).
      void readRefusal(res).then((refusal) =>
        this.end({ ...bridgeError('station_busy', detail), alternatives: refusal.alternatives }),
      );
    } else {
      res.resume();
      this.end(bridgeError(refusalCode(status), detail));
    }
    this.ws.terminate();
  }

  private onReply(data: WebSocket.RawData): void {
    const message = parseReply(data);
    if (message === undefined) return;
    if ('hello' in message) {
      this.helloSeen = true;
      this.handlers.onHello(message.hello);
      return;
    }
    if ('error' in message) this.lastError = `${message.error}: ${message.detail}`;
    this.handlers.onMessage(message);
  }
}

export function openStationLink(
  options: StationLinkOptions,
  handlers: StationLinkHandlers,
): StationLink {
  return new StationConnection(options, handlers);
}

function rawToString(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
