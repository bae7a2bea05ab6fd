/**
 * One connection attempt to the station's camera endpoint (PROTOCOL.md). It
 * reports the hello, every reply, and how the connection ended, as a
 * BridgeError that says whether reconnecting makes sense. The token travels in
 * the Authorization header, never in the URL.
 */
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
import { bridgeError, type BridgeError } from './errors';

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

export function openStationLink(
  options: StationLinkOptions,
  handlers: StationLinkHandlers,
): StationLink {
  const url = streamUrl(options);
  const ws = new WebSocket(url, {
    handshakeTimeout: options.connectTimeoutMs,
    maxPayload: MAX_REPLY_BYTES,
    headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
  });
  let helloSeen = false;
  let ended = false;
  let closing = false;
  let lastError: { error: string; detail: string } | null = null;
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  // A station that vanished without a close (pulled cable, suspended host) is
  // found by its missing pong, not by waiting for TCP to give up.
  let alive = true;
  let heartbeat: NodeJS.Timeout | undefined;
  ws.on('pong', () => (alive = true));
  ws.once('open', () => {
    heartbeat = setInterval(() => {
      if (!alive) {
        end(bridgeError('station_unreachable', 'no answer to ping'));
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, options.heartbeatMs ?? 10_000);
  });
  ws.once('close', () => clearInterval(heartbeat));

  function end(error: BridgeError): void {
    if (ended) return;
    ended = true;
    if (!closing) handlers.onEnd(error);
  }

  ws.on('unexpected-response', (_req, res) => {
    const status = res.statusCode ?? 0;
    if (status !== 503) res.resume();
    const detail = `HTTP ${status} from ${redactUrl(url.origin)}`;
    if (status === 401) end(bridgeError('unauthorized', detail));
    else if (status === 403) end(bridgeError('forbidden', detail));
    else if (status === 503) {
      // A full station's body names peers with room (docs/fleet.md).
      void readRefusal(res).then((refusal) =>
        end({ ...bridgeError('station_busy', detail), alternatives: refusal.alternatives }),
      );
    } else end(bridgeError('station_unreachable', detail));
    ws.terminate();
  });
  ws.on('error', (err: NodeJS.ErrnoException) => {
    end(bridgeError('station_unreachable', `${err.code ?? ''} ${err.message}`.trim()));
  });
  ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
    if (isBinary) return;
    let message: StationMessage;
    try {
      message = JSON.parse(rawToString(data)) as StationMessage;
    } catch {
      return;
    }
    if ('hello' in message) {
      helloSeen = true;
      handlers.onHello(message.hello);
      return;
    }
    if ('error' in message) lastError = { error: message.error, detail: message.detail };
    handlers.onMessage(message);
  });
  ws.on('close', (code: number, reasonBuffer: Buffer) => {
    const reason = reasonBuffer.toString('utf8');
    const detail = [
      `close ${code}`,
      reason,
      lastError ? `${lastError.error}: ${lastError.detail}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    if (code === CloseCode.disconnectedByTechnician)
      end(bridgeError('disconnected_by_technician', detail));
    else if (code === CloseCode.replaced) end(bridgeError('replaced', detail));
    else if (code === CloseCode.cameraInUse) {
      const retryAfter = retryAfterFromReason(reason);
      end({
        ...bridgeError('camera_in_use', detail),
        ...(retryAfter !== null ? { retryAfterSeconds: retryAfter } : {}),
      });
    } else if (code === CloseCode.policyViolation) end(bridgeError('rejected', detail));
    else end(bridgeError('station_closed', detail));
  });

  return {
    ready: () => helloSeen && !ended && ws.readyState === WebSocket.OPEN,
    send(frame) {
      ws.send(frame, { binary: true });
    },
    bufferedAmount: () => ws.bufferedAmount,
    async close(code = CloseCode.normal) {
      closing = true;
      if (ws.readyState === WebSocket.CLOSED) return;
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(code);
      const timer = setTimeout(() => ws.terminate(), 2000);
      await closed;
      clearTimeout(timer);
    },
  };
}

function rawToString(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
