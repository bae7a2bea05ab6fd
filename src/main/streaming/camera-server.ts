/**
 * The camera endpoint: the connection checks (upgrade-gate.ts), the hello,
 * camera-id replacement, the heartbeat (heartbeat.ts), the registry of live
 * sessions and the drain.
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
  STREAM_PATH,
  type ProtocolErrorCode,
} from '../../shared/protocol';
import type { StationMetrics } from '../observe/metrics';
import type { PipelineCatalog } from '../pipeline/types';
import type { CameraBook } from './camera-book';
import { closeWithGrace } from './close';
import { Heartbeat } from './heartbeat';
import { choosePipeline, type PipelineChoice } from './pipeline-choice';
import { PipelineSlots } from './pipeline-slots';
import { RefusalLog } from './refusal-log';
import { errorMessage, helloMessage, sendMessage } from './replies';
import { Session } from './session';
import type { SessionDeps, SessionLimits } from './session-deps';
import { SessionRegistry, peerAddress } from './session-registry';
import { cameraIdFromAddress, UpgradeGate, type UpgradeGateOptions } from './upgrade-gate';

export interface CameraServerOptions extends UpgradeGateOptions {
  limits: SessionLimits;
  /** Frames in pipelines at once, station-wide. */
  pipelineSlots: number;
  /** A session that sends no frame this long is closed with 4009. */
  idleMs: number;
  heartbeatMs: number;
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
}

/** Who a new socket is, read from its upgrade request. */
interface Peer {
  remote: string;
  address: string;
  cameraId: string;
  /** The camera_id it gave breaks CAMERA_ID_RULE. */
  invalidCameraId: boolean;
  wantsAlerts: boolean;
}

export class CameraServer {
  private readonly wss: WebSocketServer;
  private readonly registry = new SessionRegistry();
  readonly sessions = this.registry.sessions;
  private readonly refusals: RefusalLog;
  private readonly gate: UpgradeGate;
  private readonly heartbeat: Heartbeat;
  private readonly slots: PipelineSlots;
  private accepting = true;

  constructor(private readonly options: CameraServerOptions) {
    this.slots = new PipelineSlots(options.pipelineSlots);
    this.refusals = new RefusalLog(options.logger);
    this.gate = new UpgradeGate(options, this.registry, this.refusals);
    this.heartbeat = new Heartbeat(options.heartbeatMs, options.idleMs, () =>
      this.sessions.values(),
    );
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
    this.heartbeat.start();
  }

  /** Handles an HTTP upgrade; false when the path is not the camera endpoint. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean {
    if (url.pathname !== STREAM_PATH) return false;
    socket.on('error', () => socket.destroy());
    const cameraId =
      url.searchParams.get('camera_id') ?? cameraIdFromAddress(req.socket.remoteAddress);
    const peer = { cameraId, address: peerAddress(req.socket.remoteAddress) };
    if (this.gate.refuses(req, url, socket, peer, this.accepting)) return true;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, peerOf(req, url), url));
    return true;
  }

  private onConnection(ws: WebSocket, peer: Peer, url: URL): void {
    ws.on('error', () => undefined); // errors are followed by 'close'; handled there
    const { catalog, cameras, defaultPipelineId } = this.options;
    const chosen = choosePipeline(
      catalog,
      cameras,
      defaultPipelineId(),
      peer.invalidCameraId ? null : peer.cameraId,
      url.searchParams.get('pipeline_id') ?? '',
    );
    if ('error' in chosen) {
      this.refuseSession(ws, peer.remote, 'invalid_pipeline', chosen.error);
      return;
    }
    if (peer.invalidCameraId) {
      this.refuseSession(ws, peer.remote, 'invalid_camera_id', `camera_id: ${CAMERA_ID_RULE}`);
      return;
    }
    const claim = this.registry.claim(peer.cameraId, peer.address);
    if (claim.kind === 'in_use') {
      this.refuseInUse(ws, peer.remote, peer.cameraId, claim.holder.remote);
      return;
    }
    const session = this.openSession(ws, peer, chosen);
    if (claim.kind === 'own') void claim.previous.close(CloseCode.replaced, 'replaced');
    this.greet(session, chosen);
  }

  private openSession(
    ws: WebSocket,
    peer: Peer,
    chosen: Exclude<PipelineChoice, { error: string }>,
  ): Session {
    const { options } = this;
    const session = new Session({
      socket: ws,
      cameraId: peer.cameraId,
      remote: peer.remote,
      address: peer.address,
      pipeline: chosen.pipeline,
      pipelineSource: chosen.source,
      catalog: options.catalog,
      limits: options.limits,
      slots: this.slots,
      metrics: options.metrics,
      logger: options.logger,
      onChange: (s) => options.onSessionChanged(s),
      wantsAlerts: peer.wantsAlerts,
      ...(options.onResult ? { onResult: options.onResult } : {}),
      ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
    });
    this.registry.add(session);
    this.heartbeat.watch(ws);
    options.metrics.sessionsActive.set(this.sessions.size);
    options.cameras.connected(peer.cameraId, session.id, peer.remote);
    ws.on('message', (data: Buffer, isBinary: boolean) => session.onMessage(data, isBinary));
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') session.onOversizeFrame();
      else session.markTerminated(`protocol_error: ${err.message}`);
    });
    ws.on(
      'close',
      (code: number, reason: Buffer) => void this.onClose(session, code, reason.toString()),
    );
    return session;
  }

  private greet(session: Session, chosen: Exclude<PipelineChoice, { error: string }>): void {
    const { limits } = this.options;
    session.send(
      helloMessage({
        sessionId: session.id,
        cameraId: session.cameraId,
        pipelineId: chosen.pipeline.id,
        pipelineSource: chosen.source,
        maxFrameBytes: limits.maxFrameBytes,
        maxFps: limits.maxFps,
        alerts: session.wantsAlerts,
      }),
    );
    session.logger.info({
      event: 'stream_connect',
      pipeline_id: chosen.pipeline.id,
      pipeline_source: chosen.source,
      remote: session.remote,
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
    sendMessage(ws, errorMessage(code, detail));
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

  private async onClose(session: Session, code: number, reason: string): Promise<void> {
    await session.onClosed(code, reason);
    this.registry.remove(session);
    this.options.metrics.sessionsActive.set(this.sessions.size);
    const closeCode = session.closeCode ?? code;
    const closeReason = session.closeReason ?? reason;
    this.options.cameras.disconnected(session.cameraId, session.id, closeCode, closeReason);
    session.logger.info({
      event: 'stream_disconnect',
      pipeline_id: session.currentPipelineId,
      frame_index: session.frameIndex,
      processed: session.processed,
      dropped_frames: session.dropped,
      rejected: session.rejected,
      code: closeCode,
      reason: closeReason,
    });
    this.options.onSessionClosed(session);
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
    this.heartbeat.stop();
    this.wss.close();
  }
}

function peerOf(req: IncomingMessage, url: URL): Peer {
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
