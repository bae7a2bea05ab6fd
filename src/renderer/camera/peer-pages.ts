/** Which /camera pages of peers a full station can offer (only http(s) links). */
import type { FleetSnapshot } from '../../shared/fleet';

/** The /camera pages of peers with room, best first; [] when this station is not full. */
export function peerCameraPages(fleet: FleetSnapshot): string[] {
  const self = fleet.stations.find((s) => s.self)?.status;
  if (!self || self.sessions < self.max_sessions) return [];
  const pages: string[] = [];
  for (const cameraUrl of fleet.alternatives) {
    const peer = fleet.stations.find((s) => s.status?.camera_url === cameraUrl)?.status;
    if (!peer || !/^https?:\/\//i.test(peer.dashboard_url)) continue;
    pages.push(new URL('/camera', peer.dashboard_url).toString());
  }
  return pages;
}
