/** The technician's dashboard: station bar, then cameras or pipelines. */
import { lazy, Suspense, useEffect, useState } from 'react';
import type { StartupProblem as Problem, StationBridge } from '../../shared/contract';
import type { AlertRecordingLink } from '../../shared/alerts';
import { AlertsContext } from './components/AlertBadges';
import { CamerasView } from './components/CamerasView';
import { StationsView } from './components/fleet/StationsView';
import { StartupProblem } from './components/StartupProblem';
import { StationBar } from './components/StationBar';
import { DashboardHeader, type Tab } from './DashboardHeader';
import type { DashboardState } from './state/station-store';
import { useAlertsStore, useDashboardState } from './state/use-dashboard';

const RecordingsView = lazy(() =>
  import('./components/RecordingsView').then((m) => ({ default: m.RecordingsView })),
);
const AlertsView = lazy(() =>
  import('./components/AlertsView').then((m) => ({ default: m.AlertsView })),
);

// The graph library is only loaded when the Pipelines view opens: a faster first paint.
const PipelinesView = lazy(() =>
  import('./components/PipelinesView').then((m) => ({ default: m.PipelinesView })),
);

type Startup =
  { phase: 'checking' } | { phase: 'problem'; problem: Problem } | { phase: 'serving' };

interface ViewProps {
  bridge: StationBridge;
  state: DashboardState;
  tab: Tab;
  recordingTarget: AlertRecordingLink | null;
  onOpenRecording: (link: AlertRecordingLink) => void;
}

/** The open view; the ones loaded on demand wait in a Suspense. */
function CurrentView({ bridge, state, tab, recordingTarget, onOpenRecording }: ViewProps) {
  if (tab === 'cameras') return <CamerasView bridge={bridge} state={state} />;
  if (tab === 'stations') return <StationsView fleet={state.fleet} />;
  return (
    <Suspense fallback={<p className="muted">Loading the view…</p>}>
      {tab === 'pipelines' && <PipelinesView bridge={bridge} state={state} />}
      {tab === 'recordings' && (
        // Opened from an alert: mounted anew for that session and frame.
        <RecordingsView
          key={
            recordingTarget
              ? `${recordingTarget.session_id}@${recordingTarget.frame_index}`
              : 'list'
          }
          bridge={bridge}
          target={recordingTarget}
        />
      )}
      {tab === 'alerts' && <AlertsView bridge={bridge} onOpenRecording={onOpenRecording} />}
    </Suspense>
  );
}

function Dashboard({ bridge }: { bridge: StationBridge }) {
  const state = useDashboardState(bridge);
  const alerts = useAlertsStore(bridge);
  const [tab, setTab] = useState<Tab>('cameras');
  const [recordingTarget, setRecordingTarget] = useState<AlertRecordingLink | null>(null);
  const openRecording = (link: AlertRecordingLink | null) => {
    setRecordingTarget(link);
    setTab('recordings');
  };
  return (
    <AlertsContext.Provider value={alerts}>
      <div className="app">
        <DashboardHeader
          bridge={bridge}
          state={state}
          tab={tab}
          onTab={setTab}
          onRecordings={() => openRecording(null)}
        />
        <StationBar bridge={bridge} state={state} />
        <main>
          {state.phase === 'loading' && <p className="muted">Loading the station…</p>}
          {state.phase === 'failed' && (
            <p className="action-error" role="alert">
              The station could not be reached: {state.loadError}
            </p>
          )}
          {state.phase === 'ready' && (
            <CurrentView
              bridge={bridge}
              state={state}
              tab={tab}
              recordingTarget={recordingTarget}
              onOpenRecording={openRecording}
            />
          )}
        </main>
      </div>
    </AlertsContext.Provider>
  );
}

export function App({ bridge }: { bridge: StationBridge }) {
  const [startup, setStartup] = useState<Startup>({ phase: 'checking' });

  useEffect(() => {
    let cancelled = false;
    const check = bridge.getStartupProblem?.() ?? Promise.resolve(null);
    check
      .then((problem) => {
        if (!cancelled) setStartup(problem ? { phase: 'problem', problem } : { phase: 'serving' });
      })
      .catch(() => {
        if (!cancelled) setStartup({ phase: 'serving' });
      });
    return () => {
      cancelled = true;
    };
  }, [bridge]);

  if (startup.phase === 'problem') {
    return (
      <div className="app">
        <StartupProblem
          bridge={bridge}
          problem={startup.problem}
          onStarted={() => setStartup({ phase: 'serving' })}
        />
      </div>
    );
  }
  if (startup.phase === 'checking') return <div className="app muted">Starting…</div>;
  return <Dashboard bridge={bridge} />;
}
