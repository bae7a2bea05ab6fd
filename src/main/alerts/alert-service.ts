/**
 * The station's alerts: evaluates each session's results against its
 * pipeline's rules, keeps occurrences in the AlertBook, logs them
 * (`alert_raised`, `alert_cleared`), counts them on /metrics and tells
 * listeners (window events, cameras that asked, the broker).
 */
import type { Logger } from 'pino';
import type { AlertClearReason, AlertRecord, AlertsSnapshot } from '../../shared/alerts';
import type { ActionResult } from '../../shared/contract';
import { Listeners } from '../../shared/listeners';
import { AlertBook } from './alert-book';
import {
  type ResultContext,
  logAcknowledged,
  logCleared,
  logRaised,
  newOccurrence,
} from './alert-occurrence';
import { SessionAlertState, type AlertTransition } from './evaluator';

export type { ResultContext } from './alert-occurrence';

export interface AlertMeters {
  active: { set(labels: { camera_id: string; alert: string }, value: number): void };
  raised: { inc(labels: { camera_id: string; alert: string; severity: string }): void };
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
  return new StationAlertService(options);
}

class StationAlertService implements AlertService {
  private readonly logger: Logger;
  private readonly meters: AlertMeters;
  private readonly now: () => number;
  private readonly book: AlertBook;
  private readonly sessions = new Map<string, SessionAlertState>();
  /** `session/pipeline/rule` → the active occurrence's id. */
  private readonly activeKeys = new Map<string, string>();
  private readonly listeners: Listeners<{ record: AlertRecord; change: AlertChange }>;

  constructor(options: AlertServiceOptions) {
    this.logger = options.logger;
    this.meters = options.meters;
    this.now = options.now ?? Date.now;
    this.book = new AlertBook(options);
    this.listeners = new Listeners((err) =>
      this.logger.error({ event: 'listener_error', error: String(err) }, 'alert listener failed'),
    );
  }

  onResult(context: ResultContext): AlertRecord[] {
    const { sessionId, pipeline, result } = context;
    let state = this.sessions.get(sessionId);
    if (!state) {
      if (pipeline.alerts.length === 0) return [];
      state = new SessionAlertState();
      this.sessions.set(sessionId, state);
    }
    const changed: AlertRecord[] = [];
    // Alerts of rules the session's pipeline no longer has (switched, or edited) clear first.
    for (const key of state.retire(pipeline.id, pipeline.alerts)) {
      const id = this.activeKeys.get(`${sessionId}/${key}`);
      const done = id ? this.finish(id, 'pipeline_changed', null) : null;
      if (done) changed.push(done);
    }
    for (const t of state.evaluate(pipeline.id, pipeline.alerts, result, this.now())) {
      const record = this.apply(context, t);
      if (record) changed.push(record);
    }
    return changed;
  }

  sessionEnded(sessionId: string): AlertRecord[] {
    this.sessions.delete(sessionId);
    const ended: AlertRecord[] = [];
    for (const record of this.book.active()) {
      if (record.session_id !== sessionId) continue;
      const done = this.finish(record.id, 'session_ended', null);
      if (done) ended.push(done);
    }
    return ended;
  }

  acknowledge(id: string): ActionResult {
    const record = this.book.get(id);
    if (!record) return { ok: false, code: 'unknown_alert', message: `No alert ${id}` };
    if (!record.acknowledged_at) {
      this.book.update(id, { acknowledged_at: new Date(this.now()).toISOString() });
      logAcknowledged(this.logger, record);
      this.tell(record, 'acknowledged');
    }
    return { ok: true };
  }

  clear(id: string): ActionResult {
    const record = this.book.get(id);
    if (!record) return { ok: false, code: 'unknown_alert', message: `No alert ${id}` };
    if (record.state !== 'active') {
      return { ok: false, code: 'invalid_argument', message: `Alert ${id} is already cleared` };
    }
    // Cleared by hand: the rule stays silent until its condition recovers.
    this.sessions.get(record.session_id)?.mute(record.pipeline_id, record.alert, this.now());
    this.finish(id, 'operator', null);
    return { ok: true };
  }

  snapshot(): AlertsSnapshot {
    return this.book.snapshot();
  }

  activeFor(sessionId: string): AlertRecord[] {
    return this.book
      .active()
      .filter((r) => r.session_id === sessionId)
      .map((r) => ({ ...r }));
  }

  subscribe(listener: AlertListener): () => void {
    // Each listener gets a copy of its own.
    return this.listeners.subscribe(({ record, change }) => listener({ ...record }, change));
  }

  start(): void {
    // Alerts still active in the file belong to sessions of a previous run.
    for (const stale of this.book.load()) this.finish(stale.id, 'session_ended', null);
  }

  stop(): Promise<void> {
    return this.book.flush();
  }

  private apply(context: ResultContext, transition: AlertTransition): AlertRecord | null {
    if (transition.kind === 'raise') return this.raise(context, transition);
    const key = `${context.sessionId}/${context.pipeline.id}/${transition.rule.name}`;
    const id = this.activeKeys.get(key);
    return id ? this.finish(id, 'condition', transition.value) : null;
  }

  private raise(context: ResultContext, { rule, value }: AlertTransition): AlertRecord {
    const record = newOccurrence(context, rule, value, this.now());
    this.book.add(record);
    this.activeKeys.set(`${context.sessionId}/${context.pipeline.id}/${rule.name}`, record.id);
    const { camera_id, alert, severity } = record;
    this.meters.active.set({ camera_id, alert }, 1);
    this.meters.raised.inc({ camera_id, alert, severity });
    logRaised(this.logger, record);
    this.tell(record, 'raised');
    return { ...record };
  }

  private finish(id: string, reason: AlertClearReason, value: number | null): AlertRecord | null {
    const before = this.book.get(id);
    if (!before || before.state !== 'active') return null;
    const record = this.book.update(id, {
      state: 'cleared',
      cleared_at: new Date(this.now()).toISOString(),
      cleared_reason: reason,
      cleared_value: value,
    })!;
    for (const [key, active] of this.activeKeys) if (active === id) this.activeKeys.delete(key);
    this.meters.active.set({ camera_id: record.camera_id, alert: record.alert }, 0);
    logCleared(this.logger, record);
    this.tell(record, 'cleared');
    return { ...record };
  }

  private tell(record: AlertRecord, change: AlertChange): void {
    this.listeners.emit({ record, change });
  }
}
