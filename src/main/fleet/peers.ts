/**
 * Which peers a full station names to a camera: online, with a free session,
 * below 80 % of their capacity when it is known, least loaded first.
 */
import type { FleetMember, StationStatus } from '../../shared/fleet';

/** A peer at or above this share of its capacity is not offered. */
const MAX_PEER_LOAD = 0.8;
/** At most this many alternatives in one answer. */
export const MAX_ALTERNATIVES = 3;

/** Load 0..1: fps against capacity when known, else sessions against the limit. */
function peerLoad(status: StationStatus): number {
  const sessionShare = status.max_sessions > 0 ? status.sessions / status.max_sessions : 1;
  if (status.capacity_fps === null || status.capacity_fps <= 0) return sessionShare;
  return status.fps_out / status.capacity_fps;
}

function hasRoom(status: StationStatus): boolean {
  if (status.sessions >= status.max_sessions) return false;
  if (status.capacity_fps === null) return true;
  return status.capacity_fps > 0 && status.fps_out < MAX_PEER_LOAD * status.capacity_fps;
}

/** The camera URLs to try, best first. */
export function chooseAlternatives(members: readonly FleetMember[]): string[] {
  const candidates: StationStatus[] = [];
  for (const member of members) {
    if (member.self || member.state !== 'online' || !member.status) continue;
    if (hasRoom(member.status)) candidates.push(member.status);
  }
  candidates.sort(
    (a, b) =>
      peerLoad(a) - peerLoad(b) ||
      a.sessions - b.sessions ||
      a.station_id.localeCompare(b.station_id),
  );
  return candidates.slice(0, MAX_ALTERNATIVES).map((s) => s.camera_url);
}
