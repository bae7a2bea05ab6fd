/**
 * The camera endpoint: the connection checks (upgrade-gate.ts), who the peer
 * is (camera-peer.ts), the refusals after the handshake (session-refusals.ts),
 * the hello, camera-id replacement, the heartbeat (heartbeat.ts), the registry
 * of live sessions (session-registry.ts) and the drain.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { CAMERA_ID_RULE, CloseCode, STREAM_PATH } from '../../shared/protocol';
import type { StationMetrics } from '../observe/metrics';
import type { PipelineCatalog } from '../pipeline/types';
import type { CameraBook } from './camera-book';
import { peerOf, type Peer } from './camera-peer';
import { Heartbeat } from './heartbeat';
import { choosePipeline, type PipelineChoice } from './pipeline-choice';
import { PipelineSlots } from './pipeline-slots';
import { RefusalLog } from './refusal-log';
import { helloMessage } from './replies';
import { Session } from './session';
import type { SessionDeps, SessionLimits } from './session-deps';
import { SessionRefusals } from './session-refusals';
import { SessionRegistry } from './session-registry';
import { UpgradeGate, type UpgradeGateOptions } from './upgrade-gate';

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

export class CameraServer {
  private readonly wss: WebSocketServer;
  private readonly registry = new SessionRegistry();
  readonly sessions = this.registry.sessions;
  private readonly refusals: SessionRefusals;
  private readonly gate: UpgradeGate;
  private readonly heartbeat: Heartbeat;
  private readonly slots: PipelineSlots;
  private accepting = true;

  constructor(private readonly options: CameraServerOptions) {
    this.slots = new PipelineSlots(options.pipelineSlots);
    const refusalLog = new RefusalLog(options.logger);
    this.refusals = new SessionRefusals(options.logger, refusalLog, options.heartbeatMs);
    this.gate = new UpgradeGate(options, this.registry, refusalLog);
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
    const peer = peerOf(req, url);
    if (this.gate.refuses(req, url, socket, peer, this.accepting)) return true;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, peer, url));
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
      this.refusals.refuse(ws, peer.remote, 'invalid_pipeline', chosen.error);
      return;
    }
    if (peer.invalidCameraId) {
      this.refusals.refuse(ws, peer.remote, 'invalid_camera_id', `camera_id: ${CAMERA_ID_RULE}`);
      return;
    }
    const claim = this.registry.claim(peer.cameraId, peer.address);
    if (claim.kind === 'in_use') {
      this.refusals.inUse(ws, peer.remote, peer.cameraId, claim.holder.remote);
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
    await this.registry.closeAll(CloseCode.goingAway, 'shutdown');
    this.heartbeat.stop();
    this.wss.close();
  }
}
