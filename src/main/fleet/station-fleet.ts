/**
 * The fleet as the station composes it: its figures from the live sessions,
 * the links it advertises, its metrics on the station's registry.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { SessionInfo } from '../../shared/contract';
import type { FleetSnapshot } from '../../shared/fleet';
import { lanAddresses } from '../access';
import type { StationSettings } from '../config/settings';
import { STATION_VERSION } from '../version';
import { advertisedLinks } from './advertise';
import { createFleet, type Fleet } from './fleet';

export interface StationFleetDeps {
  settings: StationSettings;
  logger: Logger;
  registry: Registry;
  port: () => number;
  sessions: () => SessionInfo[];
  onChange: (fleet: FleetSnapshot) => void;
}

export function createStationFleet(deps: StationFleetDeps): Fleet {
  const { settings } = deps;
  return createFleet({
    settings,
    version: STATION_VERSION,
    logger: deps.logger,
    registry: deps.registry,
    onChange: deps.onChange,
    local() {
      const sessions = deps.sessions();
      return {
        figures: {
          sessions: sessions.length,
          maxSessions: settings.maxSessions,
          fpsIn: sessions.reduce((sum, s) => sum + s.fps_in, 0),
          fpsOut: sessions.reduce((sum, s) => sum + s.fps_out, 0),
        },
        ...advertisedLinks(settings.advertiseUrl, settings.host, deps.port(), lanAddresses()),
      };
    },
  });
}
