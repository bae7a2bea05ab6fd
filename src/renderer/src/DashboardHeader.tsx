/** The dashboard's head: the title, the view tabs and the station's status on the right. */
import type { StationBridge } from '../../shared/contract';
import { isHttpBridge } from './bridge/pick-bridge';
import { AlertsTab } from './components/AlertsTab';
import { FleetCount } from './components/fleet/FleetCount';
import { TokenControl } from './components/TokenControl';
import type { DashboardState } from './state/station-store';

export type Tab = 'cameras' | 'pipelines' | 'stations' | 'recordings' | 'alerts';

interface TabsProps {
  state: DashboardState;
  tab: Tab;
  onTab: (tab: Tab) => void;
  /** The Recordings tab itself opens the list, not the recording an alert linked to. */
  onRecordings: () => void;
}

function ViewTabs({ state, tab, onTab, onRecordings }: TabsProps) {
  const activeIf = (which: Tab) => (tab === which ? 'active' : undefined);
  return (
    <nav className="tabs" aria-label="Views">
      <button className={activeIf('cameras')} onClick={() => onTab('cameras')}>
        Cameras <span className="count">{state.sessions.length}</span>
      </button>
      <button className={activeIf('pipelines')} onClick={() => onTab('pipelines')}>
        Pipelines <span className="count">{state.pipelines.length}</span>
        {state.pipelineErrors.length > 0 && (
          <span className="count count-alert" title="pipeline files that did not load">
            {state.pipelineErrors.length} invalid
          </span>
        )}
      </button>
      <button className={activeIf('stations')} onClick={() => onTab('stations')}>
        Stations <FleetCount fleet={state.fleet} />
      </button>
      <button className={activeIf('recordings')} onClick={onRecordings}>
        Recordings
      </button>
      <AlertsTab active={tab === 'alerts'} onClick={() => onTab('alerts')} />
    </nav>
  );
}

const CONNECTION_LABEL: Record<DashboardState['connection'], string> = {
  live: 'live',
  lost: 'reconnecting…',
  connecting: 'connecting…',
};

function StationStatus({ bridge, state }: { bridge: StationBridge; state: DashboardState }) {
  return (
    <div className="head-right">
      {state.station?.draining && <span className="pill pill-warn">shutting down</span>}
      {isHttpBridge(bridge) && state.station?.token_required && <TokenControl bridge={bridge} />}
      <span className={`conn conn-${state.connection}`} data-testid="connection">
        {CONNECTION_LABEL[state.connection]}
      </span>
      {state.station && <span className="muted small">v{state.station.version}</span>}
    </div>
  );
}

export function DashboardHeader({ bridge, ...tabs }: TabsProps & { bridge: StationBridge }) {
  return (
    <header className="app-head">
      <h1>
        Foregsyte <span className="muted">Station</span>
      </h1>
      <ViewTabs {...tabs} />
      <StationStatus bridge={bridge} state={tabs.state} />
    </header>
  );
}
