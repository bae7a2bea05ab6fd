/** The Alerts tab button, with the number of active alerts. */
import { useContext } from 'react';
import { useAlerts } from '../state/alerts-store';
import { AlertsContext } from './AlertBadges';

export function AlertsTab({ active, onClick }: { active: boolean; onClick: () => void }) {
  const { active: alerts } = useAlerts(useContext(AlertsContext));
  return (
    <button className={active ? 'active' : undefined} onClick={onClick}>
      Alerts{' '}
      <span className={alerts.length ? 'count count-alert' : 'count'} data-testid="alerts-count">
        {alerts.length}
      </span>
    </button>
  );
}
