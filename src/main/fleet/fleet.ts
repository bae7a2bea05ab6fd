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
  const { settings } = options;
  if (settings.mqttUrl === null) return inertFleet(settings.stationId, settings.mqttPrefix);
  const fleet = new BrokerFleet(options, settings.mqttUrl);
  // Called unbound (the event hub subscribes `fleet.observe`).
  return {
    start: () => fleet.start(),
    stop: () => fleet.stop(),
    result: (ids, reply) => fleet.result(ids, reply),
    observe: (event) => fleet.observe(event),
    snapshot: () => fleet.snapshot(),
    alternatives: () => chooseAlternatives(fleet.registry.members()),
    mqttState: () => fleet.link.state,
  };
}

/** The fleet with a broker: the link, the stations heard, and what this station publishes. */
class BrokerFleet {
  readonly registry: FleetRegistry;
  readonly link: MqttLink;
  private readonly settings: FleetSettings;
  private readonly stationId: string;
  private readonly log: Logger;
  private readonly topics: ReturnType<typeof createTopics>;
  private readonly statusTopic: string;
  private readonly cameraEvents = new CameraEvents();
  /** Sessions in the last status published: a change republishes at once. */
  private lastSessions = -1;
  private timer: NodeJS.Timeout | null = null;
  private changeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: FleetOptions,
    mqttUrl: string,
  ) {
    this.settings = options.settings;
    this.stationId = this.settings.stationId;
    this.log = options.logger.child({ broker: brokerLabel(mqttUrl), station_id: this.stationId });
    this.topics = createTopics(this.settings.mqttPrefix, this.stationId);
    this.registry = new FleetRegistry(this.stationId, 3 * STATUS_INTERVAL_MS);
    this.statusTopic = this.topics.status(this.stationId);
    this.link = this.createLink(mqttUrl);
  }

  start(): void {
    this.log.info({
      event: 'mqtt_starting',
      prefix: this.settings.mqttPrefix,
      results: this.settings.mqttResults,
    });
    this.link.start();
    this.timer = setInterval(() => this.publishStatus(), STATUS_INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.changeTimer) clearTimeout(this.changeTimer);
    await this.link.stop({ topic: this.statusTopic, payload: this.goneText() });
  }

  result(ids: SessionIds, reply: object): void {
    if (this.settings.mqttResults === 'none') return;
    // The reply's own fields first, as the camera got them, then who and when.
    const payload = this.stamped(reply, { camera_id: ids.cameraId, session_id: ids.sessionId });
    this.link.enqueue({ kind: 'result', topic: this.topics.result(ids.cameraId), payload });
  }

  observe(event: StationEvent): void {
    this.publishEvent(event);
    if (event.type === 'session_opened' || event.type === 'session_closed') {
      const sessions = this.options.local().figures.sessions;
      if (sessions !== this.lastSessions) this.publishStatus();
    }
  }

  snapshot(): FleetSnapshot {
    return {
      mqtt: this.link.state,
      station_id: this.stationId,
      prefix: this.settings.mqttPrefix,
      alternatives: chooseAlternatives(this.registry.members()),
      stations: withSelf(this.registry.members(), this.currentStatus()),
    };
  }

  private createLink(mqttUrl: string): MqttLink {
    const { settings, options } = this;
    const access = brokerAccess({
      mqttUrl,
      mqttUsername: settings.mqttUsername,
      mqttPasswordFile: settings.mqttPasswordFile,
      env: options.env ?? process.env,
    });
    return new MqttLink({
      url: access.url,
      username: access.username,
      password: access.password,
      clientId: `foregsyte-${this.stationId}-${randomBytes(3).toString('hex')}`,
      keepaliveSeconds: options.keepaliveSeconds ?? 15,
      will: { topic: this.statusTopic, payload: this.goneText() },
      outboxSize: settings.mqttOutbox,
      subscriptions: [this.topics.allStatus],
      metrics: createFleetMetrics(options.registry),
      logger: this.log,
      onMessage: (topic, payload) => this.heard(topic, payload),
      onConnected: () => this.publishStatus(),
      onStateChange: () => this.changed(),
    });
  }

  /** A message on the status topics: another station's status (or this one's echo). */
  private heard(topic: string, payload: Buffer): void {
    const id = this.topics.stationOfStatus(topic);
    if (id === null) return;
    const read = this.registry.onStatus(id, payload);
    if (read.ok) this.changed();
    else this.log.debug({ event: 'fleet_status_ignored', from: id, reason: read.reason });
  }

  /** Observers hear of changes at most once per CHANGE_COALESCE_MS. */
  private changed(): void {
    if (!this.options.onChange || this.changeTimer) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = null;
      this.options.onChange?.(this.snapshot());
    }, CHANGE_COALESCE_MS);
    this.changeTimer.unref();
  }

  private currentStatus(): StationStatus {
    const local = this.options.local();
    return buildStatus(
      {
        stationId: this.stationId,
        version: this.options.version,
        cameraUrl: local.cameraUrl,
        dashboardUrl: local.dashboardUrl,
        capacityFps: this.settings.capacityFps,
      },
      local.figures,
    );
  }

  private publishStatus(): void {
    const status = this.currentStatus();
    this.lastSessions = status.sessions;
    this.link.publishRetained(this.statusTopic, JSON.stringify(status));
    this.changed();
  }

  private publishEvent(event: StationEvent): void {
    if (event.type === 'alert') {
      // The record as it is now (state, acknowledged_at, cleared_reason), then who and when.
      const payload = this.stamped(event.alert, {});
      this.link.enqueue({
        kind: 'alert',
        topic: this.topics.alert(event.alert.camera_id),
        payload,
      });
      return;
    }
    for (const e of this.cameraEvents.translate(event)) {
      const payload = this.stamped(e.fields, { camera_id: e.camera_id, session_id: e.session_id });
      this.link.enqueue({ kind: 'event', topic: this.topics.event(e.camera_id), payload });
    }
  }

  /** A message's fields, then this station, the ids given and the time. */
  private stamped(fields: object, ids: { camera_id?: string; session_id?: string }): string {
    return JSON.stringify({
      ...fields,
      station_id: this.stationId,
      ...ids,
      time: new Date().toISOString(),
    });
  }

  private goneText(): string {
    return JSON.stringify(buildGone(this.stationId));
  }
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
