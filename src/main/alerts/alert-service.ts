/**
 * The station's alerts: evaluates each session's results against its
 * pipeline's rules, keeps occurrences in the AlertBook, logs them
 * (`alert_raised`, `alert_cleared`), counts them on /metrics and tells
 * listeners (window events, cameras that asked, the broker).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type {
  AlertClearReason,
  AlertRecord,
  AlertRecordingLink,
  AlertsSnapshot,
} from '../../shared/alerts';
import type { ActionResult } from '../../shared/contract';
import { AlertBook } from './alert-book';
import { SessionAlertState, type AlertTransition } from './evaluator';
import type { AlertRule } from './rule';
import { stationCameraId, stationPipelineId, stationSessionId } from '../../shared/station-ids';

export interface AlertMeters {
  active: { set(labels: { camera_id: string; alert: string }, value: number): void };
  raised: { inc(labels: { camera_id: string; alert: string; severity: string }): void };
}

/** What the evaluation needs to know of one processed frame. */
export interface ResultContext {
  sessionId: string;
  cameraId: string;
  pipeline: { id: string; version: string; alerts: readonly AlertRule[]; records: boolean };
  frameIndex: number;
  result: Record<string, unknown>;
}

export interface AlertServiceOptions {
  dataDir: string;
  logger: Logger;
  meters: AlertMeters;
  maxRecords?: number;
  now?: () => number;
}

/** What happened to the record: raised, cleared, or acknowledged by an operator. */
export type AlertChange = 'raised' | 'cleared' | 'acknowledged';
export type AlertListener = (record: AlertRecord, change: AlertChange) => void;

export interface AlertService {
  /** Evaluates one result; returns the occurrences it raised or cleared. */
  onResult(context: ResultContext): AlertRecord[];
  /** The session ended: its active alerts clear (`session_ended`). */
  sessionEnded(sessionId: string): AlertRecord[];
  acknowledge(id: string): ActionResult;
  clear(id: string): ActionResult;
  snapshot(): AlertsSnapshot;
  /** Active alerts of one session (the camera card's badge). */
  activeFor(sessionId: string): AlertRecord[];
  /** Every raise, clear and acknowledgement. Returns unsubscribe. */
  subscribe(listener: AlertListener): () => void;
  start(): void;
  stop(): Promise<void>;
}

export function createAlertService(options: AlertServiceOptions): AlertService {
  const { logger, meters } = options;
  const now = options.now ?? Date.now;
  const book = new AlertBook(options);
  const sessions = new Map<string, SessionAlertState>();
  /** `session/pipeline/rule` → the active occurrence's id. */
  const activeKeys = new Map<string, string>();
  const listeners = new Set<AlertListener>();

  function tell(record: AlertRecord, change: AlertChange): void {
    for (const listener of listeners) {
      try {
        listener({ ...record }, change);
      } catch (err) {
        logger.error({ event: 'listener_error', error: String(err) }, 'alert listener failed');
      }
    }
  }

  function raise(context: ResultContext, rule: AlertRule, value: number): AlertRecord {
    const { pipeline } = context;
    const recording: AlertRecordingLink | null = pipeline.records
      ? {
          camera_id: stationCameraId(context.cameraId),
          session_id: stationSessionId(context.sessionId),
          frame_index: context.frameIndex,
        }
      : null;
    const record: AlertRecord = {
      id: randomUUID(),
      alert: rule.name,
      severity: rule.severity,
      description: rule.description,
      camera_id: stationCameraId(context.cameraId),
      session_id: stationSessionId(context.sessionId),
      pipeline_id: stationPipelineId(pipeline.id),
      pipeline_version: pipeline.version,
      condition: rule.when.text,
      value,
      frame_index: context.frameIndex,
      raised_at: new Date(now()).toISOString(),
      state: 'active',
      cleared_at: null,
      cleared_reason: null,
      cleared_value: null,
      acknowledged_at: null,
      recording,
    };
    book.add(record);
    activeKeys.set(`${context.sessionId}/${pipeline.id}/${rule.name}`, record.id);
    meters.active.set({ camera_id: record.camera_id, alert: record.alert }, 1);
    meters.raised.inc({
      camera_id: record.camera_id,
      alert: record.alert,
      severity: record.severity,
    });
    logger.warn(
      {
        event: 'alert_raised',
        alert_id: record.id,
        alert: record.alert,
        severity: record.severity,
        camera_id: record.camera_id,
        session_id: record.session_id,
        pipeline_id: record.pipeline_id,
        condition: record.condition,
        value,
        frame_index: record.frame_index,
      },
      `alert ${record.alert} on ${record.camera_id}: ${record.condition} (value ${value})`,
    );
    tell(record, 'raised');
    return { ...record };
  }

  function finish(id: string, reason: AlertClearReason, value: number | null): AlertRecord | null {
    const before = book.get(id);
    if (!before || before.state !== 'active') return null;
    const record = book.update(id, {
      state: 'cleared',
      cleared_at: new Date(now()).toISOString(),
      cleared_reason: reason,
      cleared_value: value,
    })!;
    for (const [key, active] of activeKeys) if (active === id) activeKeys.delete(key);
    meters.active.set({ camera_id: record.camera_id, alert: record.alert }, 0);
    logger.info(
      {
        event: 'alert_cleared',
        alert_id: record.id,
        alert: record.alert,
        camera_id: record.camera_id,
        session_id: record.session_id,
        pipeline_id: record.pipeline_id,
        reason,
        value,
        active_ms: Date.parse(record.cleared_at!) - Date.parse(record.raised_at),
      },
      `alert ${record.alert} on ${record.camera_id} cleared (${reason})`,
    );
    tell(record, 'cleared');
    return { ...record };
  }

  function apply(context: ResultContext, transition: AlertTransition): AlertRecord | null {
    const key = `${context.sessionId}/${context.pipeline.id}/${transition.rule.name}`;
    if (transition.kind === 'raise') return raise(context, transition.rule, transition.value);
    const id = activeKeys.get(key);
    return id ? finish(id, 'condition', transition.value) : null;
  }

  return {
    onResult(context) {
      let state = sessions.get(context.sessionId);
      const changed: AlertRecord[] = [];
      if (!state) {
        if (context.pipeline.alerts.length === 0) return changed;
        state = new SessionAlertState();
        sessions.set(context.sessionId, state);
      }
      for (const key of state.retire(context.pipeline.id, context.pipeline.alerts)) {
        const id = activeKeys.get(`${context.sessionId}/${key}`);
        const done = id ? finish(id, 'pipeline_changed', null) : null;
        if (done) changed.push(done);
      }
      const { pipeline, result } = context;
      for (const t of state.evaluate(pipeline.id, pipeline.alerts, result, now())) {
        const record = apply(context, t);
        if (record) changed.push(record);
      }
      return changed;
    },
    sessionEnded(sessionId) {
      sessions.delete(sessionId);
      const ended: AlertRecord[] = [];
      for (const record of book.active()) {
        if (record.session_id !== sessionId) continue;
        const done = finish(record.id, 'session_ended', null);
        if (done) ended.push(done);
      }
      return ended;
    },
    acknowledge(id) {
      const record = book.get(id);
      if (!record) return { ok: false, code: 'unknown_alert', message: `No alert ${id}` };
      if (!record.acknowledged_at) {
        book.update(id, { acknowledged_at: new Date(now()).toISOString() });
        logger.info({
          event: 'alert_acknowledged',
          alert_id: id,
          alert: record.alert,
          camera_id: record.camera_id,
        });
        tell(record, 'acknowledged');
      }
      return { ok: true };
    },
    clear(id) {
      const record = book.get(id);
      if (!record) return { ok: false, code: 'unknown_alert', message: `No alert ${id}` };
      if (record.state !== 'active') {
        return { ok: false, code: 'invalid_argument', message: `Alert ${id} is already cleared` };
      }
      sessions.get(record.session_id)?.mute(record.pipeline_id, record.alert, now());
      finish(id, 'operator', null);
      return { ok: true };
    },
    snapshot: () => book.snapshot(),
    activeFor: (sessionId) =>
      book
        .active()
        .filter((r) => r.session_id === sessionId)
        .map((r) => ({ ...r })),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      for (const stale of book.load()) finish(stale.id, 'session_ended', null);
    },
    stop: () => book.flush(),
  };
}
