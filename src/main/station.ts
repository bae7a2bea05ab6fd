/**
 * createStation(options): the station core — camera server, pipelines,
 * metrics, logs and HTTP on one port — composed, started and drained. The
 * Electron shell and the headless CLI both run exactly this.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import type { StationInfo } from '../shared/contract';
import { OriginPolicy } from './access';
import { createStationAlerts } from './alerts/station-alerts';
import { createSourceManager } from './bridge/source-manager';
import { resolveSettings, type StationSettings } from './config/settings';
import { createStationFleet } from './fleet/station-fleet';
import { createRouter, type HttpStationApi } from './http/router';
import { stationSecrets } from './http/operator-access';
import { closeHttp, defaultRendererDir, listenHttp, serveHttp } from './http/server';
import { createLogger } from './observe/logger';
import { createMetrics } from './observe/metrics';
import { createPipelineCatalog } from './pipeline/catalog';
import { createRecordingOperations } from './recordings/operations';
import { jpegDecoder } from './pipeline/decode';
import { silenceMatters } from '../shared/camera-closes';
import type { PipelineCatalog } from './pipeline/types';
import { createStationActions } from './station/actions';
import { createCameraPort } from './station/camera-port';
import { createEventHub } from './station/event-hub';
import { selfLinkUrl } from './station/urls';
import { createStationView } from './station/view';
import { CameraBook } from './streaming/camera-book';
import type { CameraServer } from './streaming/camera-server';
import { STATION_VERSION } from './version';

export interface StationOptions extends Partial<StationSettings> {
  /** JSON log lines to stdout (headless); off by default. */
  stdoutLogs?: boolean;
  /** Extra log destination (tests parse it). */
  logStream?: DestinationStream;
  /** Where the built dashboard is; found automatically when omitted. */
  rendererDir?: string | null;
  /** Replaces the file-based catalog (built-ins + <dataDir>/pipelines). */
  catalog?: PipelineCatalog;
}

export interface Station extends HttpStationApi {
  readonly settings: StationSettings;
  readonly dataDir: string;
  start(): Promise<StationInfo>;
  stop(): Promise<void>;
}

export function createStation(options: StationOptions = {}): Station {
  const settings = resolveSettings(options);
  const { dataDir, token } = settings;
  mkdirSync(dataDir, { recursive: true });
  const { logger, close: closeLogs } = createLogger({
    level: settings.logLevel,
    logDir: join(dataDir, 'logs'),
    stdout: options.stdoutLogs ?? false,
    extra: options.logStream,
  });
  const metrics = createMetrics(STATION_VERSION);
  const catalog =
    options.catalog ??
    createPipelineCatalog({
      userDir: join(dataDir, 'pipelines'),
      dataDir,
      logger,
      metrics,
      recordingsMaxBytes: settings.recordingsMaxMb * 1024 * 1024,
    });
  const hub = createEventHub(logger);
  let port = settings.port;
  let draining = false;
  let server: Server | null = null;
  let cameraServer: CameraServer | null = null;
  const sources = createSourceManager({
    dataDir,
    logger,
    stationUrl: () => selfLinkUrl(settings.host, port),
    ...(token ? { token } : {}),
    onChange: () => hub.sourcesChanged(),
    allowLocal: settings.sourcesAllowLocal,
    maxSources: settings.maxSources,
  });
  const cameras = new CameraBook(
    dataDir,
    logger,
    (cameraId) => void metrics.forgetCamera(cameraId),
  );
  metrics.watchCameraExpectations(() => {
    const fed = new Set(sources.list().map((s) => s.camera_id));
    return cameras
      .list()
      .map((c) => ({ camera_id: c.camera_id, expected: silenceMatters(c, fed.has(c.camera_id)) }));
  });
  const view = createStationView({
    settings,
    catalog,
    cameras,
    sources,
    live: {
      port: () => port,
      draining: () => draining,
      sessions: () => [...(cameraServer?.sessions.values() ?? [])].map((s) => s.info()),
      sessionCount: () => cameraServer?.sessions.size ?? 0,
    },
  });
  const fleet = createStationFleet({
    ...{ settings, logger, registry: metrics.registry },
    port: () => port,
    sessions: () => [...(cameraServer?.sessions.values() ?? [])].map((s) => s.info()),
    onChange: (snapshot) => hub.emit({ type: 'fleet_changed', fleet: snapshot }),
  });
  const findSession = (sessionId: string) => cameraServer?.sessions.get(sessionId);
  const alerts = createStationAlerts({ dataDir, logger, metrics, emit: hub.emit, findSession });
  const recordings = createRecordingOperations({
    dir: join(dataDir, 'recordings'),
    logger,
    isLive: (sessionId) => findSession(sessionId) !== undefined,
  });
  const snapshot = () => ({ ...view.snapshot(), fleet: fleet.snapshot() });
  const api: HttpStationApi = {
    info: view.info,
    health: () => ({ ...view.health(), mqtt: fleet.mqttState() }),
    fleet: fleet.snapshot,
    snapshot,
    getSnapshot: snapshot,
    subscribe: hub.subscribe,
    getThumbnail: (sessionId) => findSession(sessionId)?.thumbnail ?? null,
    ...createStationActions({ catalog, cameras, sources, findSession, ...view, ...hub, logger }),
    ...recordings,
    recordingBrowser: () => recordings.browser,
    getAlerts: () => alerts.getAlerts(),
    acknowledgeAlert: (alertId) => alerts.acknowledgeAlert(alertId),
    clearAlert: (alertId) => alerts.clearAlert(alertId),
    async metricsText() {
      return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
    },
  };
  let unsubscribeCatalog: (() => void) | null = null;

  async function start(): Promise<StationInfo> {
    await catalog.start();
    alerts.service.start();
    view.logDefaultPipeline(logger);
    unsubscribeCatalog = hub.watchCatalog(catalog);
    const rendererDir =
      options.rendererDir !== undefined ? options.rendererDir : defaultRendererDir(__dirname);
    const listening = await listenHttp(settings.host, settings.port);
    server = listening.server;
    port = listening.port;
    const origins = new OriginPolicy(port, settings.allowedOrigins, settings.allowedHosts);
    logger.info({ event: 'station_host_names', names: [...origins.hostNames] });
    const camerasOnPort = createCameraPort({
      ...{ settings, origins, catalog, cameras, metrics, logger, hub, alerts },
      defaultPipelineId: view.defaultPipelineId,
      fleet,
    });
    cameraServer = camerasOnPort;
    camerasOnPort.start();
    const secrets = stationSecrets(settings, logger);
    const router = createRouter({
      ...{ station: api, origins, secrets, rendererDir, logger },
      eventLimits: settings,
    });
    serveHttp(server, router, (req, socket, head, url) =>
      camerasOnPort.handleUpgrade(req, socket, head, url),
    );
    hub.startTicker({ tick: (now) => camerasOnPort.tick(now), listSources: () => sources.list() });
    sources.start();
    hub.subscribe(fleet.observe);
    fleet.start();
    const info = view.info();
    logger.info({ event: 'station_listening', port, host: settings.host, urls: info.camera_urls });
    const decoder = jpegDecoder();
    logger.info({ event: 'jpeg_decoder', decoder: decoder.name, reason: decoder.reason });
    return info;
  }

  async function drainAndClose(): Promise<void> {
    draining = true;
    hub.emit({ type: 'station_changed', station: view.info() });
    await cameraServer?.drain();
    await sources.stop();
    await fleet.stop();
    hub.stopTicker();
    unsubscribeCatalog?.();
    cameras.saveNow();
    if (server) await closeHttp(server);
    await catalog.stop();
    await alerts.service.stop();
    logger.info({ event: 'station_stopped' });
    await closeLogs();
  }

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopping ??= drainAndClose());
  return { ...api, settings, dataDir, start, stop };
}
