/**
 * createFleet(options): the station's part in a lab's fleet over MQTT —
 * status (retained, with a will), results and camera events out, the other
 * stations' status in, and the peers a full station names. Without an MQTT
 * URL it is inert: nothing connects, nothing is published.
 *
 * The station talks to it through four calls: `result` (one processed
 * frame's reply), `observe` (station events), `snapshot` and `alternatives`.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { StationEvent } from '../../shared/contract';
import type { StationSettings } from '../config/settings';
import type { FleetMember, FleetSnapshot, MqttState, StationStatus } from '../../shared/fleet';
import { CameraEvents } from './camera-events';
import { brokerAccess, brokerLabel } from './credentials';
import { createFleetMetrics } from './metrics';
import { MqttLink } from './mqtt-link';
import { chooseAlternatives } from './peers';
import { FleetRegistry } from './registry';
import { buildGone, buildStatus, type LocalFigures } from './status';
import { createTopics } from './topics';

/** A status is republished this often (and at once on a change of sessions). */
const STATUS_INTERVAL_MS = 5000;
const CHANGE_COALESCE_MS = 1000;

export type FleetSettings = Pick<
  StationSettings,
  | 'mqttUrl'
  | 'mqttUsername'
  | 'mqttPasswordFile'
  | 'stationId'
  | 'mqttPrefix'
  | 'mqttResults'
  | 'mqttOutbox'
  | 'capacityFps'
>;

export interface LocalView {
  figures: LocalFigures;
  cameraUrl: string;
  dashboardUrl: string;
}

export interface FleetOptions {
  settings: FleetSettings;
  version: string;
  logger: Logger;
  registry: Registry;
  /** This station now: sessions, rates and the links it advertises. */
  local: () => LocalView;
  env?: NodeJS.ProcessEnv;
  /** The fleet changed (a status heard, the broker link, this station's figures); coalesced. */
  onChange?: (fleet: FleetSnapshot) => void;
  /** Seconds between keepalives (the will fires ~1.5 of them after a silent loss). */
  keepaliveSeconds?: number;
}

export interface SessionIds {
  sessionId: string;
  cameraId: string;
}

export interface Fleet {
  start: () => void;
  stop: () => Promise<void>;
  /** A processed frame's reply, as the camera got it. */
  result: (ids: SessionIds, reply: object) => void;
  observe: (event: StationEvent) => void;
  snapshot: () => FleetSnapshot;
  /** Camera URLs of peers with room, best first. */
  alternatives: () => string[];
  mqttState: () => MqttState;
}

export function createFleet(options: FleetOptions): Fleet {
  const { settings, logger } = options;
  const stationId = settings.stationId;
  if (settings.mqttUrl === null) return inertFleet(stationId, settings.mqttPrefix);
  const access = brokerAccess({
    mqttUrl: settings.mqttUrl,
    mqttUsername: settings.mqttUsername,
    mqttPasswordFile: settings.mqttPasswordFile,
    env: options.env ?? process.env,
  });
  const log = logger.child({ broker: brokerLabel(settings.mqttUrl), station_id: stationId });
  const topics = createTopics(settings.mqttPrefix, stationId);
  const registry = new FleetRegistry(stationId, 3 * STATUS_INTERVAL_MS);
  const cameraEvents = new CameraEvents();
  const metrics = createFleetMetrics(options.registry);
  const statusTopic = topics.status(stationId);
  const goneText = () => JSON.stringify(buildGone(stationId));
  let lastSessions = -1;
  let timer: NodeJS.Timeout | null = null;
  let changeTimer: NodeJS.Timeout | null = null;
  /** Observers hear of changes at most once per CHANGE_COALESCE_MS. */
  function changed(): void {
    if (!options.onChange || changeTimer) return;
    changeTimer = setTimeout(() => {
      changeTimer = null;
      options.onChange?.(snapshot());
    }, CHANGE_COALESCE_MS);
    changeTimer.unref();
  }

  const link = new MqttLink({
    url: access.url,
    username: access.username,
    password: access.password,
    clientId: `foregsyte-${stationId}-${randomBytes(3).toString('hex')}`,
    keepaliveSeconds: options.keepaliveSeconds ?? 15,
    will: { topic: statusTopic, payload: goneText() },
    outboxSize: settings.mqttOutbox,
    subscriptions: [topics.allStatus],
    metrics,
    logger: log,
    onMessage: (topic, payload) => {
      const id = topics.stationOfStatus(topic);
      if (id === null) return;
      const read = registry.onStatus(id, payload);
      if (read.ok) changed();
      else log.debug({ event: 'fleet_status_ignored', from: id, reason: read.reason });
    },
    onConnected: () => publishStatus(),
    onStateChange: () => changed(),
  });

  function currentStatus(): StationStatus {
    const local = options.local();
    return buildStatus(
      {
        stationId,
        version: options.version,
        cameraUrl: local.cameraUrl,
        dashboardUrl: local.dashboardUrl,
        capacityFps: settings.capacityFps,
      },
      local.figures,
    );
  }

  function publishStatus(): void {
    const status = currentStatus();
    lastSessions = status.sessions;
    link.publishRetained(statusTopic, JSON.stringify(status));
    changed();
  }

  function snapshot(): FleetSnapshot {
    return {
      mqtt: link.state,
      station_id: stationId,
      prefix: settings.mqttPrefix,
      alternatives: chooseAlternatives(registry.members()),
      stations: withSelf(registry.members(), currentStatus()),
    };
  }

  function publishEvent(event: StationEvent): void {
    if (event.type === 'alert') {
      // The record as it is now (state, acknowledged_at, cleared_reason), then who and when.
      const payload = JSON.stringify({
        ...event.alert,
        station_id: stationId,
        time: new Date().toISOString(),
      });
      link.enqueue({ kind: 'alert', topic: topics.alert(event.alert.camera_id), payload });
      return;
    }
    for (const e of cameraEvents.translate(event)) {
      const payload = JSON.stringify({
        ...e.fields,
        station_id: stationId,
        camera_id: e.camera_id,
        session_id: e.session_id,
        time: new Date().toISOString(),
      });
      link.enqueue({ kind: 'event', topic: topics.event(e.camera_id), payload });
    }
  }

  return {
    start() {
      log.info({
        event: 'mqtt_starting',
        prefix: settings.mqttPrefix,
        results: settings.mqttResults,
      });
      link.start();
      timer = setInterval(publishStatus, STATUS_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (changeTimer) clearTimeout(changeTimer);
      await link.stop({ topic: statusTopic, payload: goneText() });
    },
    result(ids, reply) {
      if (settings.mqttResults === 'none') return;
      // The reply's own fields first, as the camera got them, then who and when.
      const payload = JSON.stringify({
        ...reply,
        station_id: stationId,
        camera_id: ids.cameraId,
        session_id: ids.sessionId,
        time: new Date().toISOString(),
      });
      link.enqueue({ kind: 'result', topic: topics.result(ids.cameraId), payload });
    },
    observe(event) {
      publishEvent(event);
      if (event.type === 'session_opened' || event.type === 'session_closed') {
        const sessions = options.local().figures.sessions;
        if (sessions !== lastSessions) publishStatus();
      }
    },
    snapshot,
    alternatives: () => chooseAlternatives(registry.members()),
    mqttState: () => link.state,
  };
}

/** This station is always in its own list, even before its status comes back from the broker. */
function withSelf(members: FleetMember[], self: StationStatus): FleetMember[] {
  const me: FleetMember = {
    station_id: self.station_id,
    state: 'online',
    self: true,
    offline_since: null,
    last_seen_at: self.time,
    status: self,
  };
  return [me, ...members.filter((m) => !m.self)];
}

function inertFleet(stationId: string, prefix: string): Fleet {
  return {
    start: () => undefined,
    stop: () => Promise.resolve(),
    result: () => undefined,
    observe: () => undefined,
    snapshot: () => ({
      mqtt: 'off',
      station_id: stationId,
      prefix,
      alternatives: [],
      stations: [],
    }),
    alternatives: () => [],
    mqttState: () => 'off',
  };
}
