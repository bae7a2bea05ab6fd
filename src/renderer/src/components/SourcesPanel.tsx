/**
 * Cameras the station pulls in itself: an MJPEG or RTSP URL, or a device, run
 * through the camera bridge. Their sessions show as camera cards; this panel
 * shows how each source is doing (reconnects, errors) and adds, pauses or
 * removes them.
 */
import { useState } from 'react';
import type {
  PipelineSummary,
  SourceError,
  SourceInfo,
  SourceRunState,
  StationBridge,
} from '../../../shared/contract';
import { formatClock, formatCount, formatDuration } from '../format';
import { AddSourceForm } from './AddSourceForm';
import { useAction } from './use-action';

const STATE_CLASS: Record<SourceRunState, string> = {
  streaming: 'src-ok',
  starting: 'src-wait',
  reconnecting: 'src-wait',
  disabled: 'src-off',
  stopped: 'src-off',
  failed: 'src-bad',
};

interface Props {
  bridge: StationBridge;
  sources: readonly SourceInfo[];
  pipelines: readonly PipelineSummary[];
  now: number;
}

/** The error beside the state: what failed, in words, its detail, and when the next try is. */
function SourceErrorText({ error, now }: { error: SourceError; now: number }) {
  const end = error.end === 'station' ? 'station link' : error.end === 'source' ? 'camera' : null;
  const retry =
    error.retry_at !== null
      ? `retry ${error.attempt + 1} at ${formatClock(error.retry_at, now)}${
          Date.parse(error.retry_at) > now
            ? ` (in ${formatDuration(Date.parse(error.retry_at) - now)})`
            : ' (trying now)'
        }`
      : error.attempt > 0
        ? `after ${error.attempt} ${error.attempt === 1 ? 'retry' : 'retries'}`
        : null;
  return (
    <span className="source-error small" data-testid="source-error">
      <span className="error-text">
        {end ? `${end}: ` : ''}
        {error.message}
      </span>
      {error.detail && <span className="mono muted"> {error.detail}</span>}
      {retry && (
        <span className="muted" data-testid="source-retry">
          {' '}
          · {retry}
        </span>
      )}
    </span>
  );
}

function SourceRow({
  bridge,
  source,
  now,
}: {
  bridge: StationBridge;
  source: SourceInfo;
  now: number;
}) {
  const [error, run] = useAction();
  const [confirming, setConfirming] = useState(false);
  return (
    <li data-testid="source" data-source-id={source.id}>
      <span className={`src-state ${STATE_CLASS[source.state]}`} data-testid="source-state">
        {source.state}
      </span>
      <span className="camera-id">{source.camera_id}</span>
      <span className="mono muted" title={source.url}>
        {source.url}
      </span>
      <span className="muted small">
        source {source.source} · station {source.station} · {formatCount(source.frames_read)} read ·{' '}
        {formatCount(source.sent)} sent
        {source.source_reconnects + source.station_reconnects > 0 &&
          ` · ${source.source_reconnects + source.station_reconnects} reconnects`}
      </span>
      {source.error && <SourceErrorText error={source.error} now={now} />}
      <span className="source-actions">
        <button onClick={() => void run(() => bridge.setSourceEnabled(source.id, !source.enabled))}>
          {source.enabled ? 'Pause' : 'Resume'}
        </button>
        {confirming ? (
          <>
            <button
              className="danger"
              onClick={() => void run(() => bridge.removeSource(source.id))}
            >
              Remove
            </button>
            <button onClick={() => setConfirming(false)}>Keep</button>
          </>
        ) : (
          <button onClick={() => setConfirming(true)}>Remove…</button>
        )}
      </span>
      {error && (
        <span className="action-error" role="alert">
          {error}
        </span>
      )}
    </li>
  );
}

export function SourcesPanel({ bridge, sources, pipelines, now }: Props) {
  const [adding, setAdding] = useState(false);
  return (
    <section className="sources" aria-label="Sources">
      <div className="sources-head">
        <h2>
          Sources <span className="muted">cameras the station pulls in: {sources.length}</span>
        </h2>
        {!adding && (
          <button onClick={() => setAdding(true)} data-testid="add-source">
            Add a camera URL…
          </button>
        )}
      </div>
      {adding && (
        <AddSourceForm bridge={bridge} pipelines={pipelines} onDone={() => setAdding(false)} />
      )}
      {sources.length > 0 && (
        <ul>
          {sources.map((source) => (
            <SourceRow key={source.id} bridge={bridge} source={source} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}
