/**
 * The camera grid with its sort order, the offline list and the empty state.
 * Sources come first, above the grid: a long offline list below cannot push
 * them off the screen.
 */
import { useMemo, useState } from 'react';
import type { StationBridge } from '../../../shared/contract';
import { EMPTY_HISTORY } from '../state/drop-history';
import { sortSessions, SORT_LABELS, type SortKey } from '../state/sort';
import type { DashboardState } from '../state/station-store';
import { useVisibility } from '../state/use-visibility';
import { CameraCard } from './CameraCard';
import { EmptyState } from './EmptyState';
import { OfflineCameras } from './OfflineCameras';
import { SourcesPanel } from './SourcesPanel';

interface Props {
  bridge: StationBridge;
  state: DashboardState;
}

export function CamerasView({ bridge, state }: Props) {
  const [sortKey, setSortKey] = useState<SortKey>('camera');
  const { visible, registry } = useVisibility();
  const sorted = useMemo(() => sortSessions(state.sessions, sortKey), [state.sessions, sortKey]);
  const offline = useMemo(() => {
    const live = new Set(state.sessions.map((s) => s.camera_id));
    return state.cameras
      .filter((c) => !c.online && !live.has(c.camera_id))
      .sort((a, b) => b.last_seen_at.localeCompare(a.last_seen_at));
  }, [state.cameras, state.sessions]);

  const sourcesPanel = (
    <SourcesPanel
      bridge={bridge}
      sources={state.sources}
      pipelines={state.pipelines}
      now={state.now}
    />
  );
  if (state.station && sorted.length === 0 && offline.length === 0) {
    return (
      <div className="cameras-view">
        <EmptyState station={state.station} />
        {sourcesPanel}
      </div>
    );
  }

  return (
    <div className="cameras-view">
      <div className="toolbar">
        <h2>
          Cameras <span className="muted">{sorted.length} connected</span>
        </h2>
        <label>
          Sort by{' '}
          <select
            data-testid="sort-select"
            value={sortKey}
            onChange={(e) => setSortKey(e.target.value as SortKey)}
          >
            {(Object.keys(SORT_LABELS) as SortKey[]).map((key) => (
              <option key={key} value={key}>
                {SORT_LABELS[key]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {sourcesPanel}
      {sorted.length === 0 && state.station && (
        <p className="muted">No camera is connected right now.</p>
      )}
      <div className="grid">
        {sorted.map((session) => (
          <CameraCard
            key={session.session_id}
            bridge={bridge}
            session={session}
            history={state.history.get(session.session_id) ?? EMPTY_HISTORY}
            pipelines={state.pipelines}
            now={state.now}
            visible={visible.has(session.camera_id)}
            registry={registry}
          />
        ))}
      </div>
      <OfflineCameras bridge={bridge} cameras={offline} now={state.now} />
    </div>
  );
}
