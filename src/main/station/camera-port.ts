/**
 * The camera server on the station's port, wired to the station's settings,
 * catalog and event hub: what observers hear when sessions open, change and close.
 */
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { CloseCode } from '../../shared/protocol';
import type { OriginPolicy } from '../access';
import type { StationSettings } from '../config/settings';
import type { StationMetrics } from '../observe/metrics';
import type { PipelineCatalog } from '../pipeline/types';
import type { CameraBook } from '../streaming/camera-book';
import { CameraServer } from '../streaming/camera-server';
import type { StationAlerts } from '../alerts/station-alerts';
import type { Fleet } from '../fleet/fleet';
import type { EventHub } from './event-hub';

export interface CameraPortDeps {
  settings: StationSettings;
  origins: OriginPolicy;
  catalog: PipelineCatalog;
  cameras: CameraBook;
  metrics: StationMetrics;
  logger: Logger;
  hub: EventHub;
  alerts?: StationAlerts;
  defaultPipelineId: () => string;
  /** Publishes results, names peers in a 503 (docs/fleet.md). */
  fleet: Pick<Fleet, 'result' | 'alternatives'>;
}

export function createCameraPort(deps: CameraPortDeps): CameraServer {
  const { settings, cameras, hub } = deps;
  return new CameraServer({
    limits: settings,
    pipelineSlots: settings.pipelineSlots ?? availableParallelism() + 1,
    maxSessions: settings.maxSessions,
    maxSessionsPerAddress: settings.maxSessionsPerAddress,
    idleMs: settings.idleMs,
    heartbeatMs: settings.heartbeatMs,
    token: settings.token,
    origins: deps.origins,
    catalog: deps.catalog,
    cameras,
    metrics: deps.metrics,
    logger: deps.logger,
    defaultPipelineId: deps.defaultPipelineId,
    onResult: (s, reply) => deps.fleet.result({ sessionId: s.id, cameraId: s.cameraId }, reply),
    alternatives: deps.fleet.alternatives,
    onSessionOpened: (s) => {
      hub.emit({ type: 'session_opened', session: s.info() });
      hub.emit({ type: 'cameras_changed', cameras: cameras.list() });
    },
    onSessionChanged: (s) => hub.sessionChanged(s),
    onOutcome: (session, frame, outcome) => deps.alerts?.onResult(session, frame, outcome),
    onSessionClosed: (s) => {
      deps.alerts?.onSessionClosed(s);
      hub.sessionGone(s);
      hub.emit({
        type: 'session_closed',
        session: s.info(),
        code: s.closeCode ?? CloseCode.abnormal,
        reason: s.closeReason ?? '',
      });
      hub.emit({ type: 'cameras_changed', cameras: cameras.list() });
    },
  });
}
