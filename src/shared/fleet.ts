/**
 * The fleet: the lab's stations as seen through their retained status on the
 * MQTT broker (docs/fleet.md). Process-neutral: the station serves it at
 * GET /api/fleet and the dashboard's Stations view shows it.
 */

/** What a station publishes, retained, on `<prefix>/stations/<station_id>/status`. */
export interface StationStatus {
  station_id: string;
  online: true;
  version: string;
  /** ws(s):// URL cameras use to reach this station. */
  camera_url: string;
  /** http(s):// URL of this station's dashboard. */
  dashboard_url: string;
  sessions: number;
  max_sessions: number;
  fps_in: number;
  fps_out: number;
  /** Frames per second this station sustains (the capacity setting); null until known. */
  capacity_fps: number | null;
  time: string;
}

/** The will, and what a clean stop publishes: retained too. */
export interface StationGone {
  station_id: string;
  online: false;
  time: string;
}

export type FleetMemberState = 'online' | 'offline' | 'stale';

/** One station of the fleet as this station knows it. */
export interface FleetMember {
  station_id: string;
  /** `stale`: online by its last status, but no status heard for three intervals. */
  state: FleetMemberState;
  /** This station itself. */
  self: boolean;
  /** When it went offline (its will or clean stop), or null. */
  offline_since: string | null;
  /** When its last status arrived here. */
  last_seen_at: string;
  /** Its last online status (null when only an offline message was ever heard). */
  status: StationStatus | null;
}

export type MqttState = 'off' | 'connecting' | 'connected' | 'disconnected';

export interface FleetSnapshot {
  /** off: no MQTT URL is set (the station is on its own). */
  mqtt: MqttState;
  station_id: string;
  prefix: string;
  /** Camera URLs of peers with room, best first: what a refused camera is offered. */
  alternatives: string[];
  stations: FleetMember[];
}
