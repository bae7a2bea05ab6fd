/**
 * Which camera sessions are still there: pinged twice per heartbeat period,
 * ended when no pong came for a whole period (a pulled cable), closed with
 * 4009 when they send no frame for STREAM_IDLE_MS.
 */
import type { WebSocket } from 'ws';
import { CloseCode } from '../../shared/protocol';
import { errorMessage } from './replies';
import type { Session } from './session';

export class Heartbeat {
  private readonly alive = new WeakMap<WebSocket, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly heartbeatMs: number,
    private readonly idleMs: number,
    private readonly sessions: () => Iterable<Session>,
  ) {}

  start(): void {
    const period = Math.max(50, Math.floor(this.heartbeatMs / 2));
    this.timer = setInterval(() => this.check(), period);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * Only pongs prove the peer reads: a camera that sends but never answers pings
   * (and so never reads our replies) is ended like a silent one.
   */
  watch(ws: WebSocket): void {
    this.alive.set(ws, Date.now());
    ws.on('pong', () => this.alive.set(ws, Date.now()));
  }

  private check(): void {
    const now = Date.now();
    for (const session of this.sessions()) {
      const ws = session.socket;
      const last = this.alive.get(ws) ?? now;
      if (now - last >= this.heartbeatMs) {
        session.markTerminated('heartbeat_timeout');
        ws.terminate();
      } else if (ws.readyState === ws.OPEN) {
        ws.ping();
        this.closeIfIdle(session, now);
      }
    }
  }

  /** STREAM_IDLE_MS: a session that sends no frame that long holds a slot for nothing. */
  private closeIfIdle(session: Session, now: number): void {
    if (session.phase !== 'streaming') return;
    if (now - (session.lastFrameAt ?? session.connectedAt) < this.idleMs) return;
    const detail = `no frame for ${Math.round(this.idleMs / 1000)} s (STREAM_IDLE_MS)`;
    session.logger.info({ event: 'session_idle', detail });
    void session.close(CloseCode.idleTimeout, 'idle_timeout', errorMessage('idle_timeout', detail));
  }
}
