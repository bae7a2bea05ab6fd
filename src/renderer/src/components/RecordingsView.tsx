/**
 * Recorded sessions per camera; opening one shows the viewer. Delete asks first.
 * Opened from an alert, the view is mounted anew for that target (App keys it).
 */
import '../review.css';
import { useCallback, useEffect, useState } from 'react';
import type { AlertRecordingLink } from '../../../shared/alerts';
import type { StationBridge } from '../../../shared/contract';
import type { RecordingCamera, RecordingSession } from '../../../shared/recordings';
import { formatBytes, formatClock, formatCount, formatDuration } from '../format';
import { useNow } from '../state/use-now';
import { ConfirmAction } from './ConfirmAction';
import { SessionViewer } from './SessionViewer';

interface Props {
  bridge: StationBridge;
  /** Opened from an alert: this session, at this frame. */
  target: AlertRecordingLink | null;
}

function SessionRow({
  session,
  open,
  onOpen,
  onDelete,
}: {
  session: RecordingSession;
  open: boolean;
  onOpen: () => void;
  onDelete: () => void;
}) {
  const now = useNow(60_000);
  const span =
    session.started_at && session.ended_at
      ? formatDuration(Date.parse(session.ended_at) - Date.parse(session.started_at))
      : '';
  return (
    <li
      className={open ? 'recording active' : 'recording'}
      data-testid="recording-session"
      data-session-id={session.session_id}
    >
      <button className="recording-open" onClick={onOpen}>
        <span>{session.started_at ? formatClock(session.started_at, now) : 'empty'}</span>
        <span className="muted small">
          {formatCount(session.frames)} frames · {span} · {formatBytes(session.bytes)}
          {session.pipeline
            ? ` · ${session.pipeline.id} ${session.pipeline.version.slice(0, 8)}`
            : ''}
        </span>
      </button>
      <ConfirmAction label="delete…" action="Delete" onConfirm={onDelete} />
    </li>
  );
}

interface Opened {
  camera: string;
  session: string;
  frame: number | null;
}

/** The recordings on disk, the session open in the viewer, and deleting one. */
function useRecordings(bridge: StationBridge, target: AlertRecordingLink | null) {
  const [cameras, setCameras] = useState<RecordingCamera[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<Opened | null>(
    target
      ? { camera: target.camera_id, session: target.session_id, frame: target.frame_index }
      : null,
  );

  const load = useCallback(() => {
    bridge.listRecordings().then(
      (list) => {
        setCameras(list);
        setError(null);
      },
      (err: unknown) => setError((err as Error).message),
    );
  }, [bridge]);
  useEffect(load, [load]);

  async function remove(session: RecordingSession): Promise<void> {
    const result = await bridge.deleteRecording(session.camera_id, session.session_id);
    if (!result.ok) setError(result.message);
    if (opened?.session === session.session_id) setOpened(null);
    load();
  }

  const current = cameras
    ?.find((c) => c.camera_id === opened?.camera)
    ?.sessions.find((s) => s.session_id === opened?.session);
  return { cameras, error, opened, setOpened, current, load, remove };
}

type Recordings = ReturnType<typeof useRecordings>;

function CameraRecordings({
  camera,
  recordings,
}: {
  camera: RecordingCamera;
  recordings: Recordings;
}) {
  const { opened, setOpened, remove } = recordings;
  return (
    <div
      className="recording-camera"
      data-testid="recording-camera"
      data-camera-id={camera.camera_id}
    >
      <h3>{camera.camera_id}</h3>
      <ul>
        {camera.sessions.map((s) => (
          <SessionRow
            key={s.session_id}
            session={s}
            open={opened?.session === s.session_id}
            onOpen={() => setOpened({ camera: s.camera_id, session: s.session_id, frame: null })}
            onDelete={() => void remove(s)}
          />
        ))}
      </ul>
    </div>
  );
}

function RecordingList({ recordings }: { recordings: Recordings }) {
  const { cameras, error, load } = recordings;
  return (
    <aside className="recording-list">
      <div className="toolbar">
        <h2>Recordings</h2>
        <button onClick={load}>Refresh</button>
      </div>
      {error && (
        <p className="action-error" role="alert">
          {error}
        </p>
      )}
      {cameras?.length === 0 && (
        <p className="muted">
          Nothing recorded yet. A camera records when its pipeline has a <code>store</code> node,
          e.g. the built-in <code>record</code>.
        </p>
      )}
      {cameras?.map((camera) => (
        <CameraRecordings key={camera.camera_id} camera={camera} recordings={recordings} />
      ))}
    </aside>
  );
}

export function RecordingsView({ bridge, target }: Props) {
  const recordings = useRecordings(bridge, target);
  const { cameras, opened, current } = recordings;
  return (
    <section className="recordings-layout" data-testid="recordings-view">
      <RecordingList recordings={recordings} />
      <div className="recording-detail">
        {current ? (
          <SessionViewer
            key={`${current.session_id}:${opened?.frame ?? ''}`}
            bridge={bridge}
            session={current}
            startFrame={opened?.frame ?? null}
          />
        ) : (
          <p className="muted">
            {opened && cameras
              ? 'That recording is no longer on disk.'
              : 'Open a session to view its frames.'}
          </p>
        )}
      </div>
    </section>
  );
}
