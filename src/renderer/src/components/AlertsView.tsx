/** Active alerts and their history: acknowledge, clear, open the recording at the moment. */
import { useContext, useState } from 'react';
import type { AlertRecord, AlertRecordingLink } from '../../../shared/alerts';
import type { StationBridge } from '../../../shared/contract';
import { formatClock, formatDuration } from '../format';
import { useAlerts } from '../state/alerts-store';
import { useNow } from '../state/use-now';
import { AlertsContext, alertLabel, SEVERITY_CLASS } from './AlertBadges';

interface Props {
  bridge: StationBridge;
  onOpenRecording: (link: AlertRecordingLink) => void;
}

const CLEARED_BY: Record<string, string> = {
  condition: 'recovered',
  operator: 'cleared by operator',
  session_ended: 'camera disconnected',
  pipeline_changed: 'pipeline changed',
};

function AlertRow({
  alert,
  now,
  act,
  onOpenRecording,
}: {
  alert: AlertRecord;
  now: number;
  act: (what: 'acknowledge' | 'clear', alert: AlertRecord) => void;
  onOpenRecording: Props['onOpenRecording'];
}) {
  const active = alert.state === 'active';
  const end = alert.cleared_at ? Date.parse(alert.cleared_at) : now;
  return (
    <tr data-testid="alert-row" data-alert={alert.alert} data-state={alert.state}>
      <td>
        <span className={`badge ${SEVERITY_CLASS[alert.severity]}`}>{alert.severity}</span>
      </td>
      <td className="mono">{alert.camera_id}</td>
      <td title={alert.description}>{alertLabel(alert.alert)}</td>
      <td className="mono">
        {alert.condition} <span className="muted">(was {alert.value})</span>
      </td>
      <td title={alert.raised_at}>{formatClock(alert.raised_at, now)}</td>
      <td>
        {active ? 'active' : (CLEARED_BY[alert.cleared_reason ?? ''] ?? 'cleared')} ·{' '}
        {formatDuration(end - Date.parse(alert.raised_at))}
      </td>
      <td>
        {/* Flex inside the cell: a flex <td> leaves the table and its border out of line. */}
        <div className="alert-actions">
          {alert.recording && (
            <button className="link" onClick={() => onOpenRecording(alert.recording!)}>
              recording
            </button>
          )}
          {alert.acknowledged_at ? (
            <span className="muted small">acknowledged</span>
          ) : (
            <button onClick={() => act('acknowledge', alert)}>Acknowledge</button>
          )}
          {active && <button onClick={() => act('clear', alert)}>Clear</button>}
        </div>
      </td>
    </tr>
  );
}

function AlertTable({
  alerts,
  ...rest
}: { alerts: AlertRecord[] } & Omit<Parameters<typeof AlertRow>[0], 'alert'>) {
  return (
    <table className="alerts-table">
      <thead>
        <tr>
          <th>severity</th>
          <th>camera</th>
          <th>alert</th>
          <th>condition</th>
          <th>raised</th>
          <th>state</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <AlertRow key={a.id} alert={a} {...rest} />
        ))}
      </tbody>
    </table>
  );
}

export function AlertsView({ bridge, onOpenRecording }: Props) {
  const store = useContext(AlertsContext);
  const { active, history } = useAlerts(store);
  const [error, setError] = useState<string | null>(null);
  const now = useNow(1000);

  function act(what: 'acknowledge' | 'clear', alert: AlertRecord): void {
    const call =
      what === 'acknowledge' ? bridge.acknowledgeAlert(alert.id) : bridge.clearAlert(alert.id);
    void call.then((result) => setError(result.ok ? null : result.message));
  }

  return (
    <section className="alerts-view" data-testid="alerts-view">
      {error && (
        <p className="action-error" role="alert">
          {error}
        </p>
      )}
      <h2>
        Active <span className="count">{active.length}</span>
      </h2>
      {active.length === 0 ? (
        <p className="muted">
          No alert is active. Pipelines with alerts (inspect, record, motion) raise them here when a
          condition holds long enough.
        </p>
      ) : (
        <AlertTable alerts={active} now={now} act={act} onOpenRecording={onOpenRecording} />
      )}
      <h2>
        History <span className="count">{history.length}</span>
      </h2>
      {history.length === 0 ? (
        <p className="muted">Alerts that cleared stay here (the last 500, kept across restarts).</p>
      ) : (
        <AlertTable alerts={history} now={now} act={act} onOpenRecording={onOpenRecording} />
      )}
    </section>
  );
}
