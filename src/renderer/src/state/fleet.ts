/** What the dashboard shows of the fleet: how many stations are online, which links are safe. */
import type { FleetSnapshot } from '../../../shared/fleet';

/** Stations online, this one included; null when the station is on its own (no broker). */
export function stationsOnline(fleet: FleetSnapshot | null): number | null {
  if (!fleet || fleet.mqtt === 'off') return null;
  return fleet.stations.filter((s) => s.state === 'online').length;
}

/** Only web links from a status are ever shown. */
export function safeLink(url: string | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}
