/** Orders of the camera list the technician can pick. */
import type { SessionInfo } from '../../../shared/contract';

export type SortKey = 'camera' | 'state' | 'drop_rate' | 'fps_in' | 'connected';

export const SORT_LABELS: Record<SortKey, string> = {
  camera: 'Camera id',
  state: 'State (worst first)',
  drop_rate: 'Drop rate',
  fps_in: 'Frames in',
  connected: 'Connected since',
};

const SEVERITY: Record<SessionInfo['state'], number> = { slow_down: 2, degraded: 1, normal: 0 };

function severity(s: SessionInfo): number {
  return SEVERITY[s.state] * 2 + (s.storage === 'stopped' ? 1 : 0);
}

export function sortSessions(sessions: readonly SessionInfo[], key: SortKey): SessionInfo[] {
  const byCamera = (a: SessionInfo, b: SessionInfo) => a.camera_id.localeCompare(b.camera_id);
  const compare: Record<SortKey, (a: SessionInfo, b: SessionInfo) => number> = {
    camera: byCamera,
    state: (a, b) => severity(b) - severity(a) || b.drop_rate - a.drop_rate || byCamera(a, b),
    drop_rate: (a, b) => b.drop_rate - a.drop_rate || byCamera(a, b),
    fps_in: (a, b) => b.fps_in - a.fps_in || byCamera(a, b),
    connected: (a, b) => a.connected_at.localeCompare(b.connected_at) || byCamera(a, b),
  };
  return [...sessions].sort(compare[key]);
}
