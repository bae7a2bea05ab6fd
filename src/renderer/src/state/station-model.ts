/**
 * What the dashboard knows of the station, kept in plain maps: station events
 * and snapshots are applied here at once, and `view()` makes the part of the
 * dashboard's state React sees when the store flushes.
 */
import type {
  CameraRecord,
  PipelineFileError,
  PipelineSummary,
  SessionInfo,
  SourceInfo,
  StationEvent,
  StationInfo,
  StationSnapshot,
} from '../../../shared/contract';
import type { FleetSnapshot } from '../../../shared/fleet';
import { appendSample, EMPTY_HISTORY, type DropHistory } from './drop-history';

export interface StationView {
  station: StationInfo | null;
  /** Connected sessions, oldest first. Objects keep their identity until they change. */
  sessions: readonly SessionInfo[];
  history: ReadonlyMap<string, DropHistory>;
  cameras: readonly CameraRecord[];
  pipelines: readonly PipelineSummary[];
  pipelineErrors: readonly PipelineFileError[];
  /** Cameras the station pulls in itself (MJPEG/RTSP URLs, devices). */
  sources: readonly SourceInfo[];
  /** The lab's stations on the broker; null from a station without the fleet. */
  fleet: FleetSnapshot | null;
}

function offlineRecord(session: SessionInfo, code: number, reason: string): CameraRecord {
  return {
    camera_id: session.camera_id,
    online: false,
    session_id: null,
    remote: session.remote,
    first_seen_at: session.connected_at,
    last_seen_at: new Date().toISOString(),
    last_close_code: code,
    last_close_reason: reason,
    pinned_pipeline: session.pipeline_source === 'pinned' ? session.pipeline_id : null,
  };
}

export class StationModel {
  private readonly sessions = new Map<string, SessionInfo>();
  private history = new Map<string, DropHistory>();
  private cameras: CameraRecord[] = [];
  private station: StationInfo | null = null;
  private pipelines: PipelineSummary[] = [];
  private pipelineErrors: PipelineFileError[] = [];
  private sources: SourceInfo[] = [];
  private fleet: FleetSnapshot | null = null;

  apply(event: StationEvent): void {
    switch (event.type) {
      case 'session_opened':
      case 'session_updated':
        this.applySession(event.session);
        break;
      case 'session_closed':
        this.closeSession(event.session, event.code, event.reason);
        break;
      case 'cameras_changed':
        this.cameras = event.cameras;
        break;
      case 'pipelines_changed':
        this.pipelines = event.pipelines;
        this.pipelineErrors = event.pipeline_errors;
        break;
      case 'station_changed':
        this.station = event.station;
        break;
      case 'sources_changed':
        this.sources = event.sources;
        break;
      case 'fleet_changed':
        this.fleet = event.fleet;
        break;
    }
  }

  applySnapshot(snapshot: StationSnapshot): void {
    this.station = snapshot.station;
    this.cameras = snapshot.cameras;
    this.pipelines = snapshot.pipelines;
    this.pipelineErrors = snapshot.pipeline_errors;
    this.sources = snapshot.sources ?? [];
    this.fleet = snapshot.fleet ?? null;
    this.sessions.clear();
    for (const session of snapshot.sessions) this.sessions.set(session.session_id, session);
    const kept = new Map<string, DropHistory>();
    for (const id of this.sessions.keys()) kept.set(id, this.history.get(id) ?? EMPTY_HISTORY);
    this.history = kept;
  }

  /** One drop-rate sample per session for the sparklines; closed sessions' go. */
  sample(now: number): void {
    const next = new Map<string, DropHistory>();
    const sec = Math.round(now / 1000);
    for (const session of this.sessions.values()) {
      const previous = this.history.get(session.session_id) ?? EMPTY_HISTORY;
      next.set(session.session_id, appendSample(previous, sec, session.drop_rate));
    }
    this.history = next;
  }

  view(): StationView {
    const ordered = [...this.sessions.values()].sort((a, b) =>
      a.connected_at.localeCompare(b.connected_at),
    );
    return {
      station: this.station,
      sessions: ordered,
      history: this.history,
      cameras: this.cameras,
      pipelines: this.pipelines,
      pipelineErrors: this.pipelineErrors,
      sources: this.sources,
      fleet: this.fleet,
    };
  }

  private applySession(session: SessionInfo): void {
    const current = this.sessions.get(session.session_id);
    // Events may cross a snapshot: never go back to an older frame count.
    if (current && current.frame_index > session.frame_index) return;
    this.sessions.set(session.session_id, session);
  }

  private closeSession(session: SessionInfo, code: number, reason: string): void {
    this.sessions.delete(session.session_id);
    this.history.delete(session.session_id);
    // Shown as offline at once, even before the station's cameras_changed arrives.
    const others = this.cameras.filter((c) => c.camera_id !== session.camera_id);
    const replaced = [...this.sessions.values()].some((s) => s.camera_id === session.camera_id);
    if (!replaced) this.cameras = [...others, offlineRecord(session, code, reason)];
  }
}
