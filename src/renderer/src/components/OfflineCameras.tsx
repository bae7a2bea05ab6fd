/**
 * Cameras that left: when and why, until the technician dismisses them. A
 * normal close reads in a neutral colour, a lost or refused camera in amber;
 * beyond the newest OFFLINE_SHOWN the older ones fold into one line, and two
 * buttons dismiss them all, or only the normal closes.
 */
import { useState } from 'react';
import { isNormalClose } from '../../../shared/camera-closes';
import type { CameraRecord, StationBridge } from '../../../shared/contract';
import { ago, describeClose, formatClock } from '../format';

/** Offline cameras listed before the rest fold away. */
export const OFFLINE_SHOWN = 8;

interface Props {
  bridge: StationBridge;
  /** Newest first. */
  cameras: readonly CameraRecord[];
  now: number;
}

const visit = (c: CameraRecord) => `${c.camera_id}@${c.last_seen_at}`;

export function OfflineCameras({ bridge, cameras, now }: Props) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Hidden at once; the station's cameras_changed confirms. Keyed by visit, so a
  // camera that comes back and leaves again shows again.
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [expanded, setExpanded] = useState(false);
  const shown = cameras.filter((c) => !dismissed.has(visit(c)));
  if (shown.length === 0) return null;
  const normal = shown.filter((c) => isNormalClose(c.last_close_code));
  const listed = expanded ? shown : shown.slice(0, OFFLINE_SHOWN);
  const folded = shown.length - listed.length;

  async function dismiss(list: readonly CameraRecord[]): Promise<void> {
    const results = await Promise.all(
      list.map(async (camera) => ({
        camera,
        result: await bridge.dismissCamera(camera.camera_id),
      })),
    );
    setErrors((e) => {
      const next = { ...e };
      for (const { camera, result } of results)
        next[camera.camera_id] = result.ok ? '' : result.message;
      return next;
    });
    setDismissed((d) => {
      const next = new Set(d);
      for (const { camera, result } of results) if (result.ok) next.add(visit(camera));
      return next;
    });
  }

  return (
    <section className="offline" aria-label="Offline cameras">
      <div className="offline-head">
        <h2>
          Offline <span className="muted">{shown.length}</span>
        </h2>
        {normal.length > 0 && (
          <button onClick={() => void dismiss(normal)} data-testid="dismiss-normal">
            Dismiss normal closes ({normal.length})
          </button>
        )}
        <button onClick={() => void dismiss(shown)} data-testid="dismiss-all">
          Dismiss all
        </button>
      </div>
      <ul>
        {listed.map((camera) => (
          <OfflineRow
            key={camera.camera_id}
            camera={camera}
            now={now}
            error={errors[camera.camera_id] ?? ''}
            onDismiss={() => void dismiss([camera])}
          />
        ))}
      </ul>
      {folded > 0 && (
        <button
          className="offline-more"
          onClick={() => setExpanded(true)}
          data-testid="offline-more"
        >
          {folded} older offline {folded === 1 ? 'camera' : 'cameras'}: show
        </button>
      )}
      {expanded && shown.length > OFFLINE_SHOWN && (
        <button className="offline-more" onClick={() => setExpanded(false)}>
          Show only the newest {OFFLINE_SHOWN}
        </button>
      )}
    </section>
  );
}

interface RowProps {
  camera: CameraRecord;
  now: number;
  error: string;
  onDismiss: () => void;
}

function OfflineRow({ camera, now, error, onDismiss }: RowProps) {
  const normal = isNormalClose(camera.last_close_code);
  return (
    <li
      data-testid="offline-camera"
      data-camera-id={camera.camera_id}
      data-close={normal ? 'normal' : 'abnormal'}
    >
      <span className="camera-id">{camera.camera_id}</span>
      <span className="muted mono">{camera.remote}</span>
      <span title={camera.last_seen_at}>
        left at {formatClock(camera.last_seen_at, now)} ({ago(camera.last_seen_at, now)})
      </span>
      <span className={normal ? 'why why-normal' : 'why why-abnormal'} data-testid="offline-reason">
        {describeClose(camera.last_close_code, camera.last_close_reason)}
      </span>
      {camera.pinned_pipeline && <span className="muted">pinned to {camera.pinned_pipeline}</span>}
      <button onClick={onDismiss}>Dismiss</button>
      {error && (
        <span className="action-error" role="alert">
          {error}
        </span>
      )}
    </li>
  );
}
