/** The lab's stations on the same broker, from their retained status. */
import type { FleetSnapshot } from '../../../../shared/fleet';
import { StationRow } from './StationRow';
import './fleet.css';

const MQTT_WORDS: Record<FleetSnapshot['mqtt'], string> = {
  off: 'no broker',
  connecting: 'connecting to the broker…',
  connected: 'connected to the broker',
  disconnected: 'broker unreachable: reconnecting',
};

export function StationsView({ fleet }: { fleet: FleetSnapshot | null }) {
  if (!fleet) return <p className="muted">Loading the stations…</p>;
  if (fleet.mqtt === 'off') {
    return (
      <section className="empty" data-testid="fleet-off">
        <h2>This station is on its own</h2>
        <p>
          Stations of a lab see each other through an MQTT broker. Start this one with{' '}
          <code>--mqtt-url mqtt://BROKER:1883</code> (or <code>STATION_MQTT_URL</code>) and a{' '}
          <code>--station-id</code>; docs/fleet.md shows how to set up the broker.
        </p>
      </section>
    );
  }
  return (
    <section className="fleet" aria-label="Stations">
      <p className="muted small" data-testid="fleet-mqtt">
        {fleet.station_id} · topics under <code>{fleet.prefix}/</code> · {MQTT_WORDS[fleet.mqtt]}
      </p>
      <table className="fleet-table">
        <thead>
          <tr>
            <th scope="col">station</th>
            <th scope="col">state</th>
            <th scope="col">load</th>
            <th scope="col">cameras</th>
            <th scope="col">fps in / out</th>
            <th scope="col">version</th>
            <th scope="col" aria-label="link" />
          </tr>
        </thead>
        <tbody>
          {fleet.stations.map((member) => (
            <StationRow key={member.station_id} member={member} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
