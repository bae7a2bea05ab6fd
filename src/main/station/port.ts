/**
 * The station's one port, opened: HTTP (the router) and the camera WebSocket
 * (the camera server) on the same listening socket, with the origin policy
 * known only once the port is.
 */
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { OriginPolicy } from '../access';
import type { StationAlerts } from '../alerts/station-alerts';
import type { StationSettings } from '../config/settings';
import type { Fleet } from '../fleet/fleet';
import { stationSecrets } from '../http/operator-access';
import { createRouter, type HttpStationApi } from '../http/router';
import { defaultRendererDir, listenHttp, serveHttp } from '../http/server';
import type { StationMetrics } from '../observe/metrics';
import type { PipelineCatalog } from '../pipeline/types';
import type { CameraBook } from '../streaming/camera-book';
import type { CameraServer } from '../streaming/camera-server';
import { createCameraPort } from './camera-port';
import type { EventHub } from './event-hub';

export interface PortDeps {
  settings: StationSettings;
  api: HttpStationApi;
  /** Where the built dashboard is: found beside the main process when undefined. */
  rendererDir: string | null | undefined;
  catalog: PipelineCatalog;
  cameras: CameraBook;
  metrics: StationMetrics;
  logger: Logger;
  hub: EventHub;
  alerts: StationAlerts;
  fleet: Fleet;
  defaultPipelineId: () => string;
}

export interface OpenPort {
  server: Server;
  port: number;
  cameraServer: CameraServer;
}

export async function openStationPort(deps: PortDeps): Promise<OpenPort> {
  const { settings, logger } = deps;
  const { server, port } = await listenHttp(settings.host, settings.port);
  const origins = new OriginPolicy(port, settings.allowedOrigins, settings.allowedHosts);
  logger.info({ event: 'station_host_names', names: [...origins.hostNames] });
  const cameraServer = createCameraPort({ ...deps, origins });
  cameraServer.start();
  const rendererDir =
    deps.rendererDir !== undefined ? deps.rendererDir : defaultRendererDir(__dirname);
  const router = createRouter({
    ...{ station: deps.api, origins, rendererDir, logger },
    secrets: stationSecrets(settings, logger),
    eventLimits: settings,
  });
  serveHttp(server, router, (req, socket, head, url) =>
    cameraServer.handleUpgrade(req, socket, head, url),
  );
  return { server, port, cameraServer };
}
