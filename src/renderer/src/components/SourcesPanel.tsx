/**
 * Cameras the station pulls in itself: an MJPEG or RTSP URL, or a device, run
 * through the camera bridge. Their sessions show as camera cards; this panel
 * shows how each source is doing (reconnects, errors) and adds, pauses or
 * removes them.
 */
import { useState, type FormEvent } from 'react';
import type {
  ActionResult,
  PipelineSummary,
  SourceError,
  SourceInfo,
  SourceRunState,
  StationBridge,
} from '../../../shared/contract';
import { CameraIdInput, PipelineIdInput } from '../../../shared/inputs';
import { formatClock, formatCount, formatDuration } from '../format';

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

function useAction(): [string | null, (run: () => Promise<ActionResult>) => Promise<boolean>] {
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<ActionResult>): Promise<boolean> => {
    setError(null);
    const result = await action().catch((err: Error): ActionResult => ({
      ok: false,
      code: 'internal',
      message: err.message,
    }));
    if (!result.ok) setError(result.message);
    return result.ok;
  };
  return [error, run];
}

function AddSourceForm({
  bridge,
  pipelines,
  onDone,
}: {
  bridge: StationBridge;
  pipelines: readonly PipelineSummary[];
  onDone: () => void;
}) {
  const [url, setUrl] = useState('');
  const [cameraId, setCameraId] = useState('');
  const [pipelineId, setPipelineId] = useState('');
  const [fps, setFps] = useState('');
  const [error, run] = useAction();
  const parsedId = CameraIdInput.safeParse(cameraId);
  const idValid = parsedId.success;
  const fpsValue = fps.trim() === '' ? null : Number(fps);
  const fpsValid = fpsValue === null || (Number.isFinite(fpsValue) && fpsValue > 0);

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!parsedId.success) return;
    const camera_id = parsedId.data;
    const added = await run(() =>
      bridge.addSource({
        url: url.trim(),
        camera_id,
        pipeline_id: pipelineId ? PipelineIdInput.parse(pipelineId) : null,
        fps: fpsValue,
      }),
    );
    if (added) onDone();
  }

  return (
    <form className="source-form" onSubmit={(e) => void submit(e)} data-testid="add-source-form">
      <label>
        URL or device
        <input
          required
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="rtsp://192.168.1.20/stream, http://cam/mjpg, /dev/video0"
          size={44}
        />
      </label>
      <label>
        Camera id
        <input
          required
          value={cameraId}
          onChange={(e) => setCameraId(e.target.value)}
          placeholder="bench-left"
          aria-invalid={cameraId !== '' && !idValid}
          title="1-64 letters, digits, dot, dash or underscore"
        />
      </label>
      <label>
        Pipeline
        <select value={pipelineId} onChange={(e) => setPipelineId(e.target.value)}>
          <option value="">station default</option>
          {pipelines.map((p) => (
            <option key={p.id} value={p.id}>
              {p.id}
            </option>
          ))}
        </select>
      </label>
      <label>
        fps
        <input
          inputMode="decimal"
          value={fps}
          onChange={(e) => setFps(e.target.value)}
          placeholder="as sent"
          size={6}
          aria-invalid={!fpsValid}
        />
      </label>
      <button type="submit" disabled={!url.trim() || !idValid || !fpsValid}>
        Add
      </button>
      <button type="button" onClick={onDone}>
        Cancel
      </button>
      {error && (
        <p className="action-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
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
