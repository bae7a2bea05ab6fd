/** The fleet as the station knows it, read every few seconds (statuses arrive every 5 s). */
import { useEffect, useState } from 'react';
import type { FleetSnapshot } from '../../../shared/fleet';

export const FLEET_POLL_MS = 2000;

export type LoadFleet = () => Promise<FleetSnapshot>;

/** null until the first answer; the last good answer stays while a read fails. */
export function useFleet(load: LoadFleet, intervalMs = FLEET_POLL_MS): FleetSnapshot | null {
  const [fleet, setFleet] = useState<FleetSnapshot | null>(null);
  useEffect(() => {
    let cancelled = false;
    const read = () =>
      void load().then(
        (snapshot) => {
          if (!cancelled) setFleet(snapshot);
        },
        () => undefined,
      );
    read();
    const timer = setInterval(read, intervalMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [load, intervalMs]);
  return fleet;
}

/** Stations online, this one included; null when the station is on its own (no broker). */
export function stationsOnline(fleet: FleetSnapshot | null): number | null {
  if (!fleet || fleet.mqtt === 'off') return null;
  return fleet.stations.filter((s) => s.state === 'online').length;
}

/** Only web links from a status are ever shown. */
export function safeLink(url: string | undefined): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}
