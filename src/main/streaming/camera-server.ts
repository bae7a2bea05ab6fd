/**
 * The camera endpoint: the protocol's connection checks in their order, the
 * hello, camera-id replacement, the heartbeat, and the registry of live sessions.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  CAMERA_ID_PATTERN,
  CAMERA_ID_RULE,
  CLOSE_GRACE_MS,
  CloseCode,
  PROTOCOL_VERSION,
  STREAM_PATH,
  type HelloMessage,
  type PipelineSource,
  type ProtocolErrorCode,
} from '../../shared/protocol';
import { presentedTokens, tokenMatches, type OriginPolicy } from '../access';
import type { StationMetrics } from '../observe/metrics';
import type { CompiledPipeline, PipelineCatalog } from '../pipeline/types';
import type { CameraBook } from './camera-book';
import { closeWithGrace } from './close';
import { PipelineSlots } from './pipeline-slots';
import { RefusalLog } from './refusal-log';
import { Session, type SessionDeps, type SessionLimits } from './session';
import { errorMessage } from './replies';
import { SessionRegistry, isOwnLoopback, peerAddress } from './session-registry';

export interface CameraServerOptions {
  limits: SessionLimits;
  /** Frames in pipelines at once, station-wide. */
  pipelineSlots: number;
  maxSessions: number;
  /** Sessions one remote address may hold (this machine's loopback: no limit). */
  maxSessionsPerAddress: number;
  /** A session that sends no frame this long is closed with 4009. */
  idleMs: number;
  heartbeatMs: number;
  token: string | null;
  origins: OriginPolicy;
  catalog: PipelineCatalog;
  cameras: CameraBook;
  metrics: StationMetrics;
  logger: Logger;
  defaultPipelineId: () => string;
  onSessionOpened: (session: Session) => void;
  onSessionChanged: (session: Session) => void;
  onSessionClosed: (session: Session) => void;
  /** Each processed frame's reply, after it was sent (the fleet publishes it). */
  onResult?: SessionDeps['onResult'];
  /** Each processed frame's outcome, after its reply (alerts). */
  onOutcome?: SessionDeps['onOutcome'];
  /** Camera URLs of peers with room, named in a 503 (docs/fleet.md). */
  alternatives?: () => string[];
}

/** Camera id from the remote address alone, so a reconnecting camera keeps it. */
function cameraIdFromAddress(address: string | undefined): string {
  return (
    peerAddress(address)
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 64) || 'unknown'
  );
}

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

export class CameraServer {
  private readonly wss: WebSocketServer;
  private readonly registry = new SessionRegistry();
  readonly sessions = this.registry.sessions;
  private readonly refusals: RefusalLog;
  private readonly alive = new WeakMap<WebSocket, number>();
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly slots: PipelineSlots;
  private accepting = true;

  constructor(private readonly options: CameraServerOptions) {
    this.slots = new PipelineSlots(options.pipelineSlots);
    this.refusals = new RefusalLog(options.logger);
    this.wss = new WebSocketServer({
      noServer: true,
      // The WebSocket layer refuses a larger message from its header: nothing beyond is buffered.
      maxPayload: options.limits.maxFrameBytes,
      perMessageDeflate: false,
      clientTracking: false,
      // One message per turn of the event loop and socket: a flooding peer waits its turn.
      allowSynchronousEvents: false,
    });
  }

  start(): void {
    // Ping twice per heartbeat period; a peer silent for a whole period is ended.
    const period = Math.max(50, Math.floor(this.options.heartbeatMs / 2));
    this.heartbeat = setInterval(() => this.checkHeartbeats(), period);
    this.heartbeat.unref();
  }

  /** Handles an HTTP upgrade; false when the path is not the camera endpoint. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean {
    if (url.pathname !== STREAM_PATH) return false;
    socket.on('error', () => socket.destroy());
    const { token, origins, maxSessions } = this.options;
    // Browsers always send Origin; a page on a rebinding name is refused before anything else.
    if (req.headers.origin !== undefined && !origins.isOwnHostName(req.headers.host)) {
      refuseUpgrade(socket, 421, 'Misdirected Request');
      this.refusals.warn(`unknown_host ${req.socket.remoteAddress}`, {
        event: 'stream_refused',
        code: 'unknown_host',
        remote: req.socket.remoteAddress,
        host: String(req.headers.host ?? '').slice(0, 256),
      });
      return true;
    }
    if (token && !presentedTokens(req, url).some((given) => tokenMatches(token, given))) {
      refuseUpgrade(socket, 401, 'Unauthorized');
      return true;
    }
    if (!origins.allowsCameraOrigin(req.headers.origin)) {
      refuseUpgrade(socket, 403, 'Forbidden');
      return true;
    }
    // A camera reconnecting after a blip replaces its own session: never locked out by it.
    const cameraId =
      url.searchParams.get('camera_id') ?? cameraIdFromAddress(req.socket.remoteAddress);
    const address = peerAddress(req.socket.remoteAddress);
    const replacing = this.registry.claim(cameraId, address).kind === 'own';
    if (!this.accepting || (this.sessions.size >= maxSessions && !replacing)) {
      const alternatives = this.options.alternatives?.() ?? [];
      const error = this.accepting ? 'station_full' : 'station_draining';
      refuseUpgrade(
        socket,
        503,
        'Service Unavailable',
        { 'Retry-After': '5' },
        {
          error,
          retry_after: 5,
          alternatives,
        },
      );
      return true;
    }
    if (!replacing && this.refusedForAddress(socket, address)) return true;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req, url));
    return true;
  }

  /** STREAM_MAX_SESSIONS_PER_ADDRESS: one host cannot take every slot (this machine's loopback can). */
  private refusedForAddress(socket: Duplex, address: string): boolean {
    const max = this.options.maxSessionsPerAddress;
    if (isOwnLoopback(address) || this.registry.countFrom(address) < max) return false;
    const detail = `${address} already holds ${max} camera sessions (STREAM_MAX_SESSIONS_PER_ADDRESS)`;
    const answer = { error: 'too_many_sessions', detail, retry_after: 5 };
    refuseUpgrade(socket, 503, 'Service Unavailable', { 'Retry-After': '5' }, answer);
    this.refusals.warn(`too_many_sessions ${address}`, {
      event: 'stream_refused',
      code: 'too_many_sessions',
      remote: address,
      detail,
    });
    return true;
  }

  /** STREAM_IDLE_MS: a session that sends no frame that long holds a slot for nothing. */
  private closeIfIdle(session: Session, now: number): void {
    const { idleMs } = this.options;
    if (session.phase !== 'streaming') return;
    if (now - (session.lastFrameAt ?? session.connectedAt) < idleMs) return;
    const detail = `no frame for ${Math.round(idleMs / 1000)} s (STREAM_IDLE_MS)`;
    session.logger.info({ event: 'session_idle', detail });
    void session.close(CloseCode.idleTimeout, 'idle_timeout', errorMessage('idle_timeout', detail));
  }

  private resolvePipeline(
    cameraId: string | null,
    requested: string,
  ): { pipeline: CompiledPipeline; source: PipelineSource } | { error: string } {
    const { catalog, cameras } = this.options;
    const pinnedId = cameraId ? cameras.pinnedPipeline(cameraId) : null;
    const pinned = pinnedId ? catalog.get(pinnedId) : undefined;
    if (pinned) return { pipeline: pinned, source: 'pinned' };
    if (requested) {
      const pipeline = catalog.get(requested);
      return pipeline
        ? { pipeline, source: 'url' }
        : { error: `Unknown pipeline_id: ${requested}` };
    }
    const fallbackId = this.options.defaultPipelineId();
    const pipeline = catalog.get(fallbackId);
    return pipeline
      ? { pipeline, source: 'default' }
      : { error: `The station's default pipeline ${fallbackId} is not available` };
  }

  private onConnection(ws: WebSocket, req: IncomingMessage, url: URL): void {
    const { logger, limits } = this.options;
    const remoteAddress = req.socket.remoteAddress;
    const remote = `${remoteAddress ?? 'unknown'}:${req.socket.remotePort ?? 0}`;
    const requestedCamera = url.searchParams.get('camera_id');
    const cameraIdValid = requestedCamera === null || CAMERA_ID_PATTERN.test(requestedCamera);
    const cameraId = requestedCamera ?? cameraIdFromAddress(remoteAddress);
    ws.on('error', () => undefined); // errors are followed by 'close'; handled there

    const chosen = this.resolvePipeline(
      cameraIdValid ? cameraId : null,
      url.searchParams.get('pipeline_id') ?? '',
    );
    if ('error' in chosen) {
      this.refuseSession(ws, remote, 'invalid_pipeline', chosen.error);
      return;
    }
    if (!cameraIdValid) {
      this.refuseSession(ws, remote, 'invalid_camera_id', `camera_id: ${CAMERA_ID_RULE}`);
      return;
    }

    const address = peerAddress(remoteAddress);
    const claim = this.registry.claim(cameraId, address);
    if (claim.kind === 'in_use') {
      this.refuseInUse(ws, remote, cameraId, claim.holder.remote);
      return;
    }
    const wantsAlerts = url.searchParams.get('alerts') === '1';
    const session = new Session({
      socket: ws,
      cameraId,
      remote,
      address,
      pipeline: chosen.pipeline,
      pipelineSource: chosen.source,
      catalog: this.options.catalog,
      limits,
      slots: this.slots,
      metrics: this.options.metrics,
      logger,
      onChange: (s) => this.options.onSessionChanged(s),
      wantsAlerts,
      ...(this.options.onResult ? { onResult: this.options.onResult } : {}),
      ...(this.options.onOutcome ? { onOutcome: this.options.onOutcome } : {}),
    });
    this.registry.add(session);
    this.alive.set(ws, Date.now());
    this.options.metrics.sessionsActive.set(this.sessions.size);
    this.options.cameras.connected(cameraId, session.id, remote);
    if (claim.kind === 'own') void claim.previous.close(CloseCode.replaced, 'replaced');

    // Only pongs prove the peer reads: a camera that sends but never answers pings
    // (and so never reads our replies) is ended like a silent one.
    ws.on('pong', () => this.alive.set(ws, Date.now()));
    ws.on('message', (data: Buffer, isBinary: boolean) => session.onMessage(data, isBinary));
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') session.onOversizeFrame();
      else session.markTerminated(`protocol_error: ${err.message}`);
    });
    ws.on(
      'close',
      (code: number, reason: Buffer) => void this.onClose(session, code, reason.toString()),
    );

    const hello: HelloMessage = {
      hello: {
        protocol: PROTOCOL_VERSION,
        session_id: session.id,
        camera_id: cameraId,
        pipeline_id: chosen.pipeline.id,
        pipeline_source: chosen.source,
        max_frame_bytes: limits.maxFrameBytes,
        max_fps: limits.maxFps,
        ...(wantsAlerts ? { alerts: true as const } : {}),
      },
    };
    session.send(hello);
    session.logger.info({
      event: 'stream_connect',
      pipeline_id: chosen.pipeline.id,
      pipeline_source: chosen.source,
      remote,
    });
    this.options.onSessionOpened(session);
  }

  /** Refused after the upgrade (no session, no frame): the error, then close 1008. */
  private refuseSession(
    ws: WebSocket,
    remote: string,
    code: ProtocolErrorCode,
    detail: string,
  ): void {
    ws.send(JSON.stringify({ error: code, detail }));
    closeWithGrace(ws, CloseCode.policyViolation, code);
    this.options.logger.info({ event: 'stream_refused', code, detail, remote });
  }

  /**
   * The id is live from another address: refused with 4003, retryable once the
   * heartbeat could have ended a dead holder. Logged at most every 10 s per id.
   */
  private refuseInUse(ws: WebSocket, remote: string, cameraId: string, holder: string): void {
    const retryAfter = Math.max(1, Math.ceil(this.options.heartbeatMs / 1000));
    const detail = `camera ${cameraId} is streaming from another address; retry after ${retryAfter} s`;
    ws.send(JSON.stringify({ error: 'camera_in_use', detail, retry_after: retryAfter }));
    closeWithGrace(ws, CloseCode.cameraInUse, `camera_in_use retry_after=${retryAfter}`);
    this.refusals.warn(`camera_in_use ${cameraId}`, {
      event: 'stream_refused',
      code: 'camera_in_use',
      camera_id: cameraId,
      remote,
      holder,
    });
  }

  private async onClose(session: Session, code: number, reason: string): Promise<void> {
    await session.onClosed(code, reason);
    this.registry.remove(session);
    this.options.metrics.sessionsActive.set(this.sessions.size);
    this.options.cameras.disconnected(
      session.cameraId,
      session.id,
      session.closeCode ?? code,
      session.closeReason ?? reason,
    );
    session.logger.info({
      event: 'stream_disconnect',
      pipeline_id: session.currentPipelineId,
      frame_index: session.frameIndex,
      processed: session.processed,
      dropped_frames: session.dropped,
      rejected: session.rejected,
      code: session.closeCode ?? code,
      reason: session.closeReason ?? reason,
    });
    this.options.onSessionClosed(session);
  }

  private checkHeartbeats(): void {
    const now = Date.now();
    for (const session of this.sessions.values()) {
      const ws = session.socket;
      const last = this.alive.get(ws) ?? now;
      if (now - last >= this.options.heartbeatMs) {
        session.markTerminated('heartbeat_timeout');
        ws.terminate();
      } else if (ws.readyState === ws.OPEN) {
        ws.ping();
        this.closeIfIdle(session, now);
      }
    }
  }

  /** Evaluates every session's window (state changes, repeated slow_down). */
  tick(now: number): void {
    for (const session of this.sessions.values()) session.evaluate(now);
  }

  /** Stops accepting; answers in-flight frames, drops waiting ones, closes all with 1001. */
  async drain(): Promise<void> {
    this.accepting = false;
    const closing = [...this.sessions.values()].map((s) =>
      s.close(CloseCode.goingAway, 'shutdown'),
    );
    await Promise.all(closing);
    // Give peers a moment to complete the close handshake, then cut what is left.
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (this.sessions.size > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    for (const session of this.sessions.values()) session.socket.terminate();
    while (this.sessions.size > 0 && Date.now() < deadline + 500)
      await new Promise((r) => setTimeout(r, 10));
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.wss.close();
  }
}
