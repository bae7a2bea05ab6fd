/**
 * createStation(options): the station core — camera server, pipelines,
 * metrics, logs and HTTP on one port — composed, started and drained. The
 * Electron shell and the headless CLI both run exactly this.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DestinationStream } from 'pino';
import type { StationInfo } from '../shared/contract';
import { createStationAlerts } from './alerts/station-alerts';
import { createSourceManager } from './bridge/source-manager';
import { resolveSettings, type StationSettings } from './config/settings';
import { createStationFleet } from './fleet/station-fleet';
import type { HttpStationApi } from './http/router';
import { closeHttp } from './http/server';
import { createLogger } from './observe/logger';
import { createMetrics } from './observe/metrics';
import { createPipelineCatalog } from './pipeline/catalog';
import { jpegDecoder } from './pipeline/decode';
import { allowHeapHeadroom } from './pipeline/heap-headroom';
import type { PipelineCatalog } from './pipeline/types';
import { createRecordingOperations } from './recordings/operations';
import { createStationApi } from './station/api';
import { watchCameraExpectations } from './station/camera-expectations';
import { createEventHub } from './station/event-hub';
import { LiveState } from './station/live';
import { openStationPort } from './station/port';
import { selfLinkUrl } from './station/urls';
import { createStationView } from './station/view';
import { CameraBook } from './streaming/camera-book';
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

/** Every part of the station, wired to each other; nothing listens yet. */
function composeParts(settings: StationSettings, options: StationOptions, live: LiveState) {
  const { dataDir, token } = settings;
  const logs = createLogger({
    level: settings.logLevel,
    logDir: join(dataDir, 'logs'),
    stdout: options.stdoutLogs ?? false,
    extra: options.logStream,
  });
  const { logger } = logs;
  const metrics = createMetrics(STATION_VERSION);
  const catalog =
    options.catalog ??
    createPipelineCatalog({
      ...{ userDir: join(dataDir, 'pipelines'), dataDir, logger, metrics },
      recordingsMaxBytes: settings.recordingsMaxMb * 1024 * 1024,
    });
  const hub = createEventHub(logger);
  const sources = createSourceManager({
    ...{ dataDir, logger, allowLocal: settings.sourcesAllowLocal, maxSources: settings.maxSources },
    stationUrl: () => selfLinkUrl(settings.host, live.port),
    ...(token ? { token } : {}),
    onChange: () => hub.sourcesChanged(),
  });
  const cameras = new CameraBook(dataDir, logger, (id) => void metrics.forgetCamera(id));
  watchCameraExpectations(metrics, cameras, sources);
  const view = createStationView({ settings, catalog, cameras, sources, live });
  const fleet = createStationFleet({
    ...{ settings, logger, registry: metrics.registry },
    sessions: () => live.sessions(),
    port: () => live.port,
    onChange: (snapshot) => hub.emit({ type: 'fleet_changed', fleet: snapshot }),
  });
  const findSession = (sessionId: string) => live.findSession(sessionId);
  const alerts = createStationAlerts({ dataDir, logger, metrics, emit: hub.emit, findSession });
  const recordings = createRecordingOperations({
    ...{ dir: join(dataDir, 'recordings'), logger },
    isLive: (sessionId) => findSession(sessionId) !== undefined,
  });
  const parts = { logger, metrics, catalog, hub, sources, cameras, view, fleet, alerts };
  const api = createStationApi({ ...parts, recordings, findSession });
  return { ...parts, api, closeLogs: logs.close };
}

export function createStation(options: StationOptions = {}): Station {
  const settings = resolveSettings(options);
  mkdirSync(settings.dataDir, { recursive: true });
  const live = new LiveState(settings.port);
  const parts = composeParts(settings, options, live);
  const { logger, catalog, hub, sources, cameras, view, fleet, alerts, api } = parts;
  let unsubscribeCatalog: (() => void) | null = null;

  async function start(): Promise<StationInfo> {
    allowHeapHeadroom();
    await catalog.start();
    alerts.service.start();
    view.logDefaultPipeline(logger);
    unsubscribeCatalog = hub.watchCatalog(catalog);
    const opened = await openStationPort({
      ...parts,
      settings,
      rendererDir: options.rendererDir,
      defaultPipelineId: view.defaultPipelineId,
    });
    Object.assign(live, opened);
    const { cameraServer } = opened;
    hub.startTicker({ tick: (now) => cameraServer.tick(now), listSources: () => sources.list() });
    sources.start();
    hub.subscribe(fleet.observe);
    fleet.start();
    const info = view.info();
    const urls = info.camera_urls;
    logger.info({ event: 'station_listening', port: live.port, host: settings.host, urls });
    const decoder = jpegDecoder();
    logger.info({ event: 'jpeg_decoder', decoder: decoder.name, reason: decoder.reason });
    return info;
  }

  async function drainAndClose(): Promise<void> {
    live.draining = true;
    hub.emit({ type: 'station_changed', station: view.info() });
    await live.cameraServer?.drain();
    await sources.stop();
    await fleet.stop();
    hub.stopTicker();
    unsubscribeCatalog?.();
    cameras.saveNow();
    if (live.server) await closeHttp(live.server);
    await catalog.stop();
    await alerts.service.stop();
    logger.info({ event: 'station_stopped' });
    await parts.closeLogs();
  }

  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopping ??= drainAndClose());
  return { ...api, settings, dataDir: settings.dataDir, start, stop };
}
