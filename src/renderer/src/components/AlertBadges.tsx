/** A camera card's active alerts: one badge each, with since when. */
import '../review.css';
import { createContext, useContext } from 'react';
import type { AlertSeverity } from '../../../shared/alerts';
import { formatClock } from '../format';
import { createAlertsStore, useSessionAlerts, type AlertsStore } from '../state/alerts-store';

/** Without a provider (tests of single components) there are no alerts. */
const NO_ALERTS: AlertsStore = createAlertsStore({
  getAlerts: () => Promise.resolve({ active: [], history: [] }),
  subscribe: () => () => undefined,
} as unknown as Parameters<typeof createAlertsStore>[0]);

export const AlertsContext = createContext<AlertsStore>(NO_ALERTS);

export const SEVERITY_CLASS: Record<AlertSeverity, string> = {
  info: 'alert-info',
  warning: 'alert-warning',
  critical: 'alert-critical',
};

/** `out_of_focus` → `out of focus`. */
export function alertLabel(name: string): string {
  return name.replace(/[_-]+/g, ' ');
}

export function AlertBadges({ sessionId, now }: { sessionId: string; now: number }) {
  const store = useContext(AlertsContext);
  const active = useSessionAlerts(store, sessionId);
  if (active.length === 0) return null;
  return (
    <>
      {active.map((a) => (
        <span
          key={a.id}
          className={`badge badge-alert-rule ${SEVERITY_CLASS[a.severity]}`}
          data-testid="alert-badge"
          data-alert={a.alert}
          title={`${a.condition} (value ${a.value}) since ${a.raised_at}${a.acknowledged_at ? ', acknowledged' : ''}`}
        >
          {alertLabel(a.alert)} · since {formatClock(a.raised_at, now)}
        </span>
      ))}
    </>
  );
}
