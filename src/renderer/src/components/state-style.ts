/** Colours and words of a camera's state, shared by cards, totals and the sparkline. */
import type { SessionInfo } from '../../../shared/contract';

export type Health = SessionInfo['state'] | 'stale';

export const HEALTH_COLOR: Record<Health, string> = {
  normal: '#3fb950',
  degraded: '#d29922',
  slow_down: '#f85149',
  stale: '#8b949e',
};

export const HEALTH_LABEL: Record<Health, string> = {
  normal: 'normal',
  degraded: 'degraded',
  slow_down: 'slow down',
  stale: 'stale',
};

/** No frame for this long and a camera shows as stale. */
export const STALE_AFTER_MS = 5000;

export function healthOf(session: SessionInfo, now: number): Health {
  const last = Date.parse(session.last_frame_at ?? session.connected_at);
  if (now - last > STALE_AFTER_MS) return 'stale';
  return session.state;
}
