/** "N stations online": on the Stations tab and in the station bar (hidden without a broker). */
import type { FleetSnapshot } from '../../../../shared/fleet';
import { stationsOnline } from '../../state/fleet';

export function FleetCount({ fleet }: { fleet: FleetSnapshot | null }) {
  const online = stationsOnline(fleet);
  return online === null ? null : <span className="count">{online}</span>;
}

export function StationsOnline({ fleet }: { fleet: FleetSnapshot | null }) {
  const online = stationsOnline(fleet);
  if (online === null) return null;
  return (
    <div>
      <dt>fleet</dt>
      <dd data-testid="stations-online" title={`MQTT broker: ${fleet?.mqtt ?? 'off'}`}>
        {online} {online === 1 ? 'station' : 'stations'} online
      </dd>
    </div>
  );
}
