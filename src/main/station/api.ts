/**
 * The station's API (what the window over IPC and the HTTP router call),
 * gathered from the parts that answer it: the view, the actions, the fleet,
 * recordings, alerts and the metrics registry.
 */
import type { Logger } from 'pino';
import type { StationAlerts } from '../alerts/station-alerts';
import type { SourceManager } from '../bridge/source-manager';
import type { Fleet } from '../fleet/fleet';
import type { HttpStationApi } from '../http/router';
import type { StationMetrics } from '../observe/metrics';
import type { PipelineCatalog } from '../pipeline/types';
import type { RecordingOperations } from '../recordings/operations';
import type { CameraBook } from '../streaming/camera-book';
import type { Session } from '../streaming/session';
import { createStationActions } from './actions';
import type { EventHub } from './event-hub';
import type { StationView } from './view';

export interface StationApiParts {
  view: StationView;
  hub: EventHub;
  fleet: Fleet;
  catalog: PipelineCatalog;
  cameras: CameraBook;
  sources: SourceManager;
  recordings: RecordingOperations;
  alerts: StationAlerts;
  metrics: StationMetrics;
  findSession: (sessionId: string) => Session | undefined;
  logger: Logger;
}

export function createStationApi(parts: StationApiParts): HttpStationApi {
  const { view, hub, fleet, recordings, alerts, metrics, findSession } = parts;
  const snapshot = () => ({ ...view.snapshot(), fleet: fleet.snapshot() });
  return {
    info: view.info,
    health: () => ({ ...view.health(), mqtt: fleet.mqttState() }),
    fleet: fleet.snapshot,
    snapshot,
    getSnapshot: snapshot,
    subscribe: hub.subscribe,
    getThumbnail: (sessionId) => findSession(sessionId)?.thumbnail ?? null,
    ...createStationActions({ ...parts, ...view, ...hub }),
    ...recordings,
    recordingBrowser: () => recordings.browser,
    getAlerts: () => alerts.getAlerts(),
    acknowledgeAlert: (alertId) => alerts.acknowledgeAlert(alertId),
    clearAlert: (alertId) => alerts.clearAlert(alertId),
    async metricsText() {
      return { contentType: metrics.registry.contentType, body: await metrics.registry.metrics() };
    },
  };
}
