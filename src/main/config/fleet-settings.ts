/** The fleet's settings (docs/fleet.md): broker, station id, topics, what is advertised. */
import { hostname } from 'node:os';
import { z } from 'zod';
import { urlInput } from '../../shared/inputs';
import { CAMERA_ID_PATTERN, CAMERA_ID_RULE } from '../../shared/protocol';
import type { SettingSpec } from './settings';

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const url = (protocols: string[]) => urlInput(protocols).nullable();

/** The fleet's settings (docs/fleet.md). */
export const FLEET_SETTINGS: readonly SettingSpec[] = [
  {
    key: 'mqttUrl',
    env: 'STATION_MQTT_URL',
    flag: 'mqtt-url',
    describe: 'MQTT broker of the fleet, mqtt://host:1883 or mqtts://host:8883 (default: none)',
    schema: url(['mqtt:', 'mqtts:']),
    secret: true,
  },
  {
    key: 'mqttUsername',
    env: 'STATION_MQTT_USERNAME',
    flag: 'mqtt-username',
    describe: 'broker user name (or in the URL)',
    schema: z.string().min(1).max(256).nullable(),
  },
  {
    key: 'mqttPasswordFile',
    env: 'STATION_MQTT_PASSWORD_FILE',
    flag: 'mqtt-password-file',
    describe: 'file holding the broker password (or STATION_MQTT_PASSWORD)',
    schema: z.string().min(1).nullable(),
  },
  {
    key: 'stationId',
    env: 'STATION_ID',
    flag: 'station-id',
    describe: "this station's name in the fleet (default: the host name)",
    schema: z.string().regex(CAMERA_ID_PATTERN, `like a camera id: ${CAMERA_ID_RULE}`),
  },
  {
    key: 'mqttPrefix',
    env: 'STATION_MQTT_PREFIX',
    flag: 'mqtt-prefix',
    describe: 'first level(s) of every topic',
    schema: z
      .string()
      .max(128)
      .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'must be topic levels of A-Z a-z 0-9 . _ -'),
  },
  {
    key: 'mqttResults',
    env: 'STATION_MQTT_RESULTS',
    flag: 'mqtt-results',
    describe: 'publish every frame result: all or none',
    schema: z.enum(['all', 'none']),
  },
  {
    key: 'mqttOutbox',
    env: 'STATION_MQTT_OUTBOX',
    flag: 'mqtt-outbox',
    describe: 'messages waiting for the broker at most; beyond, the oldest go',
    schema: int(10, 1_000_000),
  },
  {
    key: 'advertiseUrl',
    env: 'STATION_ADVERTISE_URL',
    flag: 'advertise-url',
    describe: 'http(s):// base URL peers and cameras reach this station at',
    schema: url(['http:', 'https:']),
  },
  {
    key: 'capacityFps',
    env: 'STATION_CAPACITY_FPS',
    flag: 'capacity-fps',
    describe: 'frames per second this station sustains (npm run preflight measures it)',
    schema: z.coerce.number().positive().max(1e6).nullable(),
  },
];

/** The host name as a station id: characters outside the rule become hyphens. */
export function defaultStationId(): string {
  return (
    hostname()
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .slice(0, 64) || 'station'
  );
}
