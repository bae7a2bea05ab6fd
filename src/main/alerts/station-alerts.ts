/**
 * Alerts wired into the station: each processed frame's result is evaluated
 * for its session, every change goes to the window (`alert` events) and, for
 * cameras that asked with `&alerts=1`, to the camera as `{"alert":{…}}`.
 */
import type { Logger } from 'pino';
import { alertMessage, type AlertRecord, type AlertsSnapshot } from '../../shared/alerts';
import type { ActionResult, StationEvent } from '../../shared/contract';
import type { StationMetrics } from '../observe/metrics';
import type { PipelineRunResult } from '../pipeline/types';
import type { WaitingFrame } from '../streaming/frame-queue';
import type { Session } from '../streaming/session';
import { createAlertService, type AlertListener, type AlertService } from './alert-service';

export interface StationAlertsOptions {
  dataDir: string;
  logger: Logger;
  metrics: StationMetrics;
  emit: (event: StationEvent) => void;
  findSession: (sessionId: string) => Session | undefined;
}

export interface StationAlerts {
  readonly service: AlertService;
  onResult(session: Session, frame: WaitingFrame, outcome: PipelineRunResult): void;
  onSessionClosed(session: Session): void;
  getAlerts(): AlertsSnapshot;
  acknowledgeAlert(alertId: string): ActionResult;
  clearAlert(alertId: string): ActionResult;
  /** Every raise, clear and acknowledgement (e.g. for a broker). Returns unsubscribe. */
  subscribe(listener: AlertListener): () => void;
}

export function createStationAlerts(options: StationAlertsOptions): StationAlerts {
  const { metrics } = options;
  const service = createAlertService({
    dataDir: options.dataDir,
    logger: options.logger,
    meters: { active: metrics.alertsActive, raised: metrics.alertsRaised },
  });
  service.subscribe((alert: AlertRecord, change) => {
    options.emit({ type: 'alert', alert });
    if (change === 'acknowledged') return;
    const session = options.findSession(alert.session_id);
    if (session?.wantsAlerts) session.send(alertMessage(alert));
  });
  return {
    service,
    onResult(session, frame, outcome) {
      if (outcome.failure) return;
      const { pipeline } = frame;
      service.onResult({
        sessionId: session.id,
        cameraId: session.cameraId,
        pipeline: {
          id: pipeline.id,
          version: pipeline.version,
          alerts: pipeline.alerts ?? [],
          records: pipeline.records ?? false,
        },
        frameIndex: frame.index,
        result: outcome.result,
      });
    },
    onSessionClosed: (session) => void service.sessionEnded(session.id),
    getAlerts: () => service.snapshot(),
    acknowledgeAlert: (alertId) => service.acknowledge(alertId),
    clearAlert: (alertId) => service.clear(alertId),
    subscribe: (listener) => service.subscribe(listener),
  };
}
