/** What to do when no camera is connected yet. */
import type { StationInfo } from '../../../shared/contract';
import { STREAM_PATH } from '../../../shared/protocol';
import { CopyField } from './CopyField';

export function EmptyState({ station }: { station: StationInfo }) {
  const url = station.camera_urls[0] ?? `ws://HOST:${station.port}${STREAM_PATH}`;
  const tokenPart = station.token_required ? ' --token YOUR_TOKEN' : '';
  const simulate = `npm run simulate -- --url ${url} --cameras 4 --fps 15${tokenPart}`;
  const cameraPage = station.dashboard_urls[0]
    ? new URL('/camera', station.dashboard_urls[0]).toString()
    : null;

  return (
    <section className="empty" data-testid="empty-state">
      <h2>No camera connected</h2>
      <p>
        Point a camera at <strong>{url}</strong>: it opens a WebSocket there and sends one JPEG per
        binary message. Add <code>?camera_id=NAME</code> to give it a stable name and{' '}
        <code>&amp;pipeline_id=ID</code> to choose its pipeline
        {station.token_required ? (
          <>
            , and <code>&amp;token=…</code> (this station requires its token)
          </>
        ) : null}
        .
      </p>
      <p>To try the station without a camera, run the simulator from the project folder:</p>
      <CopyField value={simulate} label="simulator command" />
      {cameraPage && (
        <p>
          A laptop or phone with a webcam can also stream from its browser: open{' '}
          <strong>{cameraPage}</strong>.
        </p>
      )}
    </section>
  );
}
