/** The top bar: where cameras connect, metrics, token, uptime and totals. */
import { useState } from 'react';
import type { StationBridge } from '../../../shared/contract';
import { formatCount, formatDuration, formatRate } from '../format';
import type { DashboardState } from '../state/station-store';
import { CopyField } from './CopyField';
import { StationsOnline } from './fleet/FleetCount';

interface Props {
  bridge: StationBridge;
  state: DashboardState;
}

type Station = NonNullable<DashboardState['station']>;

function StationUrls({ station }: { station: Station }) {
  // The same dashboard for a colleague's browser (loopback addresses are no use to them).
  const lanDashboard = station.dashboard_urls.find(
    (url) => !/\/\/(127\.|\[::1\]|localhost)/.test(url),
  );
  return (
    <div className="urls">
      <div className="url-group">
        <span className="label">Cameras connect to</span>
        {station.camera_urls.map((url) => (
          <CopyField key={url} value={url} label="camera URL" />
        ))}
      </div>
      <div className="url-group">
        <span className="label">Metrics</span>
        <CopyField value={station.metrics_url} label="metrics URL" />
      </div>
      {lanDashboard && (
        <div className="url-group">
          <span className="label">Dashboard on the LAN</span>
          <CopyField value={lanDashboard} label="dashboard URL" />
        </div>
      )}
      <div className="url-group">
        <span className="label">Token</span>
        <span
          className={`pill ${station.token_required ? 'pill-on' : 'pill-off'}`}
          data-testid="token-state"
        >
          {station.token_required ? 'required' : 'off'}
        </span>
      </div>
    </div>
  );
}

function StationTotals({ station, state }: { station: Station; state: DashboardState }) {
  const { sessions, now } = state;
  const fpsIn = sessions.reduce((sum, s) => sum + s.fps_in, 0);
  const fpsOut = sessions.reduce((sum, s) => sum + s.fps_out, 0);
  const dropped = sessions.reduce((sum, s) => sum + s.dropped, 0);
  const troubled = sessions.filter((s) => s.state !== 'normal').length;
  return (
    <dl className="totals" data-testid="totals">
      <div>
        <dt>cameras</dt>
        <dd data-testid="total-cameras">
          {sessions.length}
          <span className="muted small"> / {station.max_sessions}</span>
        </dd>
      </div>
      <div>
        <dt>fps in</dt>
        <dd>{formatRate(fpsIn)}</dd>
      </div>
      <div>
        <dt>fps out</dt>
        <dd>{formatRate(fpsOut)}</dd>
      </div>
      <div>
        <dt>dropped</dt>
        <dd data-testid="total-dropped">{formatCount(dropped)}</dd>
      </div>
      <div>
        <dt>need attention</dt>
        <dd className={troubled > 0 ? 'warn-text' : undefined}>{troubled}</dd>
      </div>
      <StationsOnline fleet={state.fleet} />
      <div>
        <dt>uptime</dt>
        <dd>{formatDuration(now - Date.parse(station.started_at))}</dd>
      </div>
    </dl>
  );
}

/** In the desktop app only: the data folder in the system's file manager. */
function DataFolderButton({ bridge, dataDir }: { bridge: StationBridge; dataDir: string }) {
  const [folderError, setFolderError] = useState<string | null>(null);
  return (
    <span className="data-folder">
      <button
        onClick={() =>
          void bridge
            .openDataFolder()
            .then((result) => setFolderError(result.ok ? null : result.message))
        }
        title={dataDir}
      >
        Open data folder
      </button>
      {folderError && <span className="action-error">{folderError}</span>}
    </span>
  );
}

export function StationBar({ bridge, state }: Props) {
  const { station } = state;
  if (!station) return null;
  return (
    <section className="station-bar" aria-label="Station">
      <StationUrls station={station} />
      <StationTotals station={station} state={state} />
      {bridge.kind === 'ipc' && <DataFolderButton bridge={bridge} dataDir={station.data_dir} />}
    </section>
  );
}
