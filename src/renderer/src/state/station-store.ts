/**
 * The dashboard's state. Station events are applied at once to plain maps, but
 * React sees a new state at most every FLUSH_MS: with 32 cameras sending 15
 * frames a second, each card still renders only a few times a second.
 */
import type {
  CameraRecord,
  PipelineFileError,
  PipelineSummary,
  SessionInfo,
  SourceInfo,
  StationBridge,
  StationEvent,
  StationInfo,
  StationSnapshot,
} from '../../../shared/contract';
import type { FleetSnapshot } from '../../../shared/fleet';
import type { ConnectionState } from './connection';
import { appendSample, EMPTY_HISTORY, type DropHistory } from './drop-history';

export const FLUSH_MS = 250;
const SAMPLE_MS = 1000;

export type LoadPhase = 'loading' | 'ready' | 'failed';

export interface DashboardState {
  phase: LoadPhase;
  loadError: string | null;
  connection: ConnectionState;
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
  /** Wall clock of the last sample (ms), for "stale" and durations. */
  now: number;
}

export interface StationStore {
  getState: () => DashboardState;
  subscribe: (listener: () => void) => () => void;
  /** Subscribes and loads; start and stop may alternate (React's strict mode does). */
  start: () => void;
  stop: () => void;
}

interface ConnectionAware {
  onConnectionChange?(listener: (state: ConnectionState) => void): () => void;
}

const INITIAL: DashboardState = {
  phase: 'loading',
  loadError: null,
  connection: 'connecting',
  station: null,
  sessions: [],
  history: new Map(),
  cameras: [],
  pipelines: [],
  pipelineErrors: [],
  sources: [],
  fleet: null,
  now: Date.now(),
};

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

export function createStationStore(bridge: StationBridge & ConnectionAware): StationStore {
  let state = INITIAL;
  const listeners = new Set<() => void>();
  const sessions = new Map<string, SessionInfo>();
  let history = new Map<string, DropHistory>();
  let cameras: CameraRecord[] = [];
  let station: StationInfo | null = null;
  let pipelines: PipelineSummary[] = [];
  let pipelineErrors: PipelineFileError[] = [];
  let sources: SourceInfo[] = [];
  let fleet: FleetSnapshot | null = null;
  let phase: LoadPhase = 'loading';
  let loadError: string | null = null;
  let connection: ConnectionState = bridge.kind === 'ipc' ? 'live' : 'connecting';
  let dirty = true;
  /** Events that arrive while a snapshot is on its way are applied after it. */
  let pending: StationEvent[] | null = null;
  let lastSample = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  let unsubscribeEvents: (() => void) | null = null;
  let unsubscribeConnection: (() => void) | null = null;

  function applySession(session: SessionInfo): void {
    const current = sessions.get(session.session_id);
    // Events may cross a snapshot: never go back to an older frame count.
    if (current && current.frame_index > session.frame_index) return;
    sessions.set(session.session_id, session);
  }

  function apply(event: StationEvent): void {
    dirty = true;
    switch (event.type) {
      case 'session_opened':
      case 'session_updated':
        applySession(event.session);
        break;
      case 'session_closed': {
        sessions.delete(event.session.session_id);
        history.delete(event.session.session_id);
        // Shown as offline at once, even before the station's cameras_changed arrives.
        const others = cameras.filter((c) => c.camera_id !== event.session.camera_id);
        const replaced = [...sessions.values()].some(
          (s) => s.camera_id === event.session.camera_id,
        );
        if (!replaced)
          cameras = [...others, offlineRecord(event.session, event.code, event.reason)];
        break;
      }
      case 'cameras_changed':
        cameras = event.cameras;
        break;
      case 'pipelines_changed':
        pipelines = event.pipelines;
        pipelineErrors = event.pipeline_errors;
        break;
      case 'station_changed':
        station = event.station;
        break;
      case 'sources_changed':
        sources = event.sources;
        break;
      case 'fleet_changed':
        fleet = event.fleet;
        break;
    }
  }

  function applySnapshot(snapshot: StationSnapshot): void {
    station = snapshot.station;
    cameras = snapshot.cameras;
    pipelines = snapshot.pipelines;
    pipelineErrors = snapshot.pipeline_errors;
    sources = snapshot.sources ?? [];
    fleet = snapshot.fleet ?? null;
    sessions.clear();
    for (const session of snapshot.sessions) sessions.set(session.session_id, session);
    const kept = new Map<string, DropHistory>();
    for (const id of sessions.keys()) kept.set(id, history.get(id) ?? EMPTY_HISTORY);
    history = kept;
    phase = 'ready';
    loadError = null;
    dirty = true;
  }

  async function load(): Promise<void> {
    pending = [];
    try {
      applySnapshot(await bridge.getSnapshot());
      for (const event of pending) apply(event);
    } catch (err) {
      if (phase !== 'ready') phase = 'failed';
      loadError = (err as Error).message;
      dirty = true;
    } finally {
      pending = null;
    }
  }

  function sample(now: number): void {
    const next = new Map<string, DropHistory>();
    const sec = Math.round(now / 1000);
    for (const session of sessions.values()) {
      const previous = history.get(session.session_id) ?? EMPTY_HISTORY;
      next.set(session.session_id, appendSample(previous, sec, session.drop_rate));
    }
    history = next;
  }

  function flush(): void {
    const now = Date.now();
    const sampleDue = now - lastSample >= SAMPLE_MS;
    if (!dirty && !sampleDue) return;
    if (sampleDue) {
      lastSample = now;
      sample(now);
    }
    dirty = false;
    const ordered = [...sessions.values()].sort((a, b) =>
      a.connected_at.localeCompare(b.connected_at),
    );
    state = {
      phase,
      loadError,
      connection,
      station,
      sessions: ordered,
      history,
      cameras,
      pipelines,
      pipelineErrors,
      sources,
      fleet,
      now: sampleDue ? now : state.now,
    };
    listeners.forEach((l) => l());
  }

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      unsubscribeEvents = bridge.subscribe((event) => {
        if (pending) pending.push(event);
        else apply(event);
      });
      unsubscribeConnection =
        bridge.onConnectionChange?.((next) => {
          const resync = next === 'live' && connection === 'lost';
          connection = next;
          dirty = true;
          if (resync) void load();
        }) ?? null;
      void load();
      timer = setInterval(flush, FLUSH_MS);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
      unsubscribeEvents?.();
      unsubscribeConnection?.();
    },
  };
}
