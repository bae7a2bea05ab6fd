/** Cameras that left: when and why, until the technician dismisses them. */
import { useState } from 'react';
import type { CameraRecord, StationBridge } from '../../../shared/contract';
import { ago, describeClose, formatClock } from '../format';

interface Props {
  bridge: StationBridge;
  cameras: readonly CameraRecord[];
  now: number;
}

export function OfflineCameras({ bridge, cameras, now }: Props) {
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Hidden at once; the station's cameras_changed confirms. Keyed by visit, so a
  // camera that comes back and leaves again shows again.
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const visit = (c: CameraRecord) => `${c.camera_id}@${c.last_seen_at}`;
  const shown = cameras.filter((c) => !dismissed.has(visit(c)));
  if (shown.length === 0) return null;

  async function dismiss(camera: CameraRecord): Promise<void> {
    const result = await bridge.dismissCamera(camera.camera_id);
    setErrors((e) => ({ ...e, [camera.camera_id]: result.ok ? '' : result.message }));
    if (result.ok) setDismissed((d) => new Set(d).add(visit(camera)));
  }

  return (
    <section className="offline" aria-label="Offline cameras">
      <h2>Offline</h2>
      <ul>
        {shown.map((camera) => (
          <li key={camera.camera_id} data-testid="offline-camera" data-camera-id={camera.camera_id}>
            <span className="camera-id">{camera.camera_id}</span>
            <span className="muted mono">{camera.remote}</span>
            <span title={camera.last_seen_at}>
              left at {formatClock(camera.last_seen_at, now)} ({ago(camera.last_seen_at, now)})
            </span>
            <span className="why" data-testid="offline-reason">
              {describeClose(camera.last_close_code, camera.last_close_reason)}
            </span>
            {camera.pinned_pipeline && (
              <span className="muted">pinned to {camera.pinned_pipeline}</span>
            )}
            <button onClick={() => void dismiss(camera)}>Dismiss</button>
            {errors[camera.camera_id] && (
              <span className="action-error" role="alert">
                {errors[camera.camera_id]}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
