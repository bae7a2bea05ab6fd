/**
 * Station events → the fleet's per-camera event messages: connect,
 * disconnect (close code and reason), state changes (with the drop rate) and
 * pipeline switches. Keeps the last state and pipeline of each live session.
 */
import type { SessionInfo, StationEvent } from '../../shared/contract';

export interface CameraEvent {
  camera_id: string;
  session_id: string;
  fields: Record<string, unknown>;
}

interface Seen {
  state: string;
  pipelineId: string;
}

export class CameraEvents {
  private readonly seen = new Map<string, Seen>();

  /** The camera events one station event means (often none). */
  translate(event: StationEvent): CameraEvent[] {
    switch (event.type) {
      case 'session_opened':
        this.remember(event.session);
        return [
          this.make(event.session, {
            event: 'connect',
            pipeline_id: event.session.pipeline_id,
            pipeline_source: event.session.pipeline_source,
          }),
        ];
      case 'session_updated':
        return this.changes(event.session);
      case 'session_closed':
        this.seen.delete(event.session.session_id);
        return [
          this.make(event.session, {
            event: 'disconnect',
            code: event.code,
            reason: event.reason,
            processed: event.session.processed,
            dropped: event.session.dropped,
          }),
        ];
      default:
        return [];
    }
  }

  private changes(session: SessionInfo): CameraEvent[] {
    const before = this.seen.get(session.session_id);
    if (!before) return [];
    const out: CameraEvent[] = [];
    if (before.state !== session.state) {
      out.push(
        this.make(session, { event: 'state', state: session.state, drop_rate: session.drop_rate }),
      );
    }
    if (before.pipelineId !== session.pipeline_id) {
      out.push(
        this.make(session, {
          event: 'pipeline_switched',
          pipeline_id: session.pipeline_id,
          previous_pipeline_id: before.pipelineId,
          pipeline_source: session.pipeline_source,
        }),
      );
    }
    this.remember(session);
    return out;
  }

  private remember(session: SessionInfo): void {
    this.seen.set(session.session_id, { state: session.state, pipelineId: session.pipeline_id });
  }

  private make(session: SessionInfo, fields: Record<string, unknown>): CameraEvent {
    return { camera_id: session.camera_id, session_id: session.session_id, fields };
  }
}
