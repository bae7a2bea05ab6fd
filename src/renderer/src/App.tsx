/** The technician's dashboard: station bar, then cameras or pipelines. */
import { lazy, startTransition, Suspense, useEffect, useState } from 'react';
import type { StartupProblem as Problem, StationBridge } from '../../shared/contract';
import type { AlertRecordingLink } from '../../shared/alerts';
import { isHttpBridge } from './bridge/pick-bridge';
import { AlertsContext } from './components/AlertBadges';
import { AlertsTab } from './components/AlertsTab';
import { CamerasView } from './components/CamerasView';
import { FleetCount } from './components/fleet/FleetCount';
import { StationsView } from './components/fleet/StationsView';
import { StartupProblem } from './components/StartupProblem';
import { StationBar } from './components/StationBar';
import { TokenControl } from './components/TokenControl';
import { createAlertsStore } from './state/alerts-store';
import { createStationStore } from './state/station-store';

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

type Tab = 'cameras' | 'pipelines' | 'stations' | 'recordings' | 'alerts';
type Startup =
  { phase: 'checking' } | { phase: 'problem'; problem: Problem } | { phase: 'serving' };

function Dashboard({ bridge }: { bridge: StationBridge }) {
  const [store] = useState(() => createStationStore(bridge));
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  const [state, setState] = useState(store.getState);
  // A transition: React renders the cards in slices and yields to the browser between
  // them, so 32 cards updating at once never make one long main-thread task.
  useEffect(
    () => store.subscribe(() => startTransition(() => setState(store.getState()))),
    [store],
  );
  const [tab, setTab] = useState<Tab>('cameras');
  const [alerts] = useState(() => createAlertsStore(bridge));
  useEffect(() => alerts.start(), [alerts]);
  const [recordingTarget, setRecordingTarget] = useState<AlertRecordingLink | null>(null);
  const openRecording = (link: AlertRecordingLink) => {
    setRecordingTarget(link);
    setTab('recordings');
  };

  const view = (
    <div className="app">
      <header className="app-head">
        <h1>
          Foregsyte <span className="muted">Station</span>
        </h1>
        <nav className="tabs" aria-label="Views">
          <button
            className={tab === 'cameras' ? 'active' : undefined}
            onClick={() => setTab('cameras')}
          >
            Cameras <span className="count">{state.sessions.length}</span>
          </button>
          <button
            className={tab === 'pipelines' ? 'active' : undefined}
            onClick={() => setTab('pipelines')}
          >
            Pipelines <span className="count">{state.pipelines.length}</span>
            {state.pipelineErrors.length > 0 && (
              <span className="count count-alert" title="pipeline files that did not load">
                {state.pipelineErrors.length} invalid
              </span>
            )}
          </button>
          <button
            className={tab === 'stations' ? 'active' : undefined}
            onClick={() => setTab('stations')}
          >
            Stations <FleetCount fleet={state.fleet} />
          </button>
          <button
            className={tab === 'recordings' ? 'active' : undefined}
            onClick={() => {
              setRecordingTarget(null);
              setTab('recordings');
            }}
          >
            Recordings
          </button>
          <AlertsTab active={tab === 'alerts'} onClick={() => setTab('alerts')} />
        </nav>
        <div className="head-right">
          {state.station?.draining && <span className="pill pill-warn">shutting down</span>}
          {isHttpBridge(bridge) && state.station?.token_required && (
            <TokenControl bridge={bridge} />
          )}
          <span className={`conn conn-${state.connection}`} data-testid="connection">
            {state.connection === 'live'
              ? 'live'
              : state.connection === 'lost'
                ? 'reconnecting…'
                : 'connecting…'}
          </span>
          {state.station && <span className="muted small">v{state.station.version}</span>}
        </div>
      </header>
      <StationBar bridge={bridge} state={state} />
      <main>
        {state.phase === 'loading' && <p className="muted">Loading the station…</p>}
        {state.phase === 'failed' && (
          <p className="action-error" role="alert">
            The station could not be reached: {state.loadError}
          </p>
        )}
        {state.phase === 'ready' &&
          (tab === 'cameras' ? (
            <CamerasView bridge={bridge} state={state} />
          ) : tab === 'stations' ? (
            <StationsView fleet={state.fleet} />
          ) : (
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
              {tab === 'alerts' && <AlertsView bridge={bridge} onOpenRecording={openRecording} />}
            </Suspense>
          ))}
      </main>
    </div>
  );
  return <AlertsContext.Provider value={alerts}>{view}</AlertsContext.Provider>;
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
