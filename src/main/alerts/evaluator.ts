/**
 * Per-session alert state: each result moves each rule of the session's
 * pipeline through `ok → pending → active → clearing → ok`. Pure arithmetic on
 * numbers already in the result: no pixel work, no I/O.
 */
import { holds, readField, type AlertRule } from './rule';

/** `muted`: cleared by an operator while the condition still held; waits for it to recover. */
type Phase = 'ok' | 'pending' | 'active' | 'clearing' | 'muted';

interface RuleState {
  phase: Phase;
  /** When the current phase's condition started to hold (ms). */
  since: number;
}

export type AlertTransition =
  | { kind: 'raise'; rule: AlertRule; value: number }
  | { kind: 'clear'; rule: AlertRule; value: number };

function recovered(rule: AlertRule, value: number): boolean {
  return rule.clearWhen ? holds(rule.clearWhen, value) : !holds(rule.when, value);
}

export class SessionAlertState {
  /** Keyed by `pipeline id/rule name`: a switch to another pipeline starts afresh. */
  private readonly rules = new Map<string, RuleState>();

  /** Rule keys in an alerting phase that `rules` no longer has (the pipeline changed). */
  retire(pipelineId: string, rules: readonly AlertRule[]): string[] {
    const keep = new Set(rules.map((r) => `${pipelineId}/${r.name}`));
    const gone: string[] = [];
    for (const [key, state] of this.rules) {
      if (keep.has(key)) continue;
      this.rules.delete(key);
      if (state.phase !== 'ok' && state.phase !== 'pending') gone.push(key);
    }
    return gone;
  }

  /** One result: the transitions it causes, in rule order. */
  evaluate(
    pipelineId: string,
    rules: readonly AlertRule[],
    result: Record<string, unknown>,
    now: number,
  ): AlertTransition[] {
    const out: AlertTransition[] = [];
    for (const rule of rules) {
      const value = readField(result, rule.when.path);
      const clearValue = rule.clearWhen ? readField(result, rule.clearWhen.path) : value;
      const key = `${pipelineId}/${rule.name}`;
      const state = this.rules.get(key) ?? { phase: 'ok', since: now };
      const next = step(rule, state, value, clearValue, now);
      if (next.transition) out.push(next.transition);
      this.rules.set(key, next.state);
    }
    return out;
  }

  /** An operator cleared the alert: silent until its condition recovers. */
  mute(pipelineId: string, name: string, now: number): void {
    const key = `${pipelineId}/${name}`;
    const state = this.rules.get(key);
    if (state && state.phase !== 'ok' && state.phase !== 'pending') {
      this.rules.set(key, { phase: 'muted', since: now });
    }
  }
}

function step(
  rule: AlertRule,
  state: RuleState,
  value: number | null,
  clearValue: number | null,
  now: number,
): { state: RuleState; transition?: AlertTransition } {
  switch (state.phase) {
    case 'ok':
    case 'pending': {
      if (value === null) return { state };
      if (!holds(rule.when, value)) return { state: { phase: 'ok', since: now } };
      const since = state.phase === 'pending' ? state.since : now;
      if (now - since >= rule.forMs) {
        return {
          state: { phase: 'active', since: now },
          transition: { kind: 'raise', rule, value },
        };
      }
      return { state: { phase: 'pending', since } };
    }
    case 'active':
    case 'clearing':
    case 'muted': {
      if (clearValue === null) return { state };
      if (!recovered(rule, clearValue)) {
        return { state: state.phase === 'clearing' ? { phase: 'active', since: now } : state };
      }
      if (state.phase === 'muted') return { state: { phase: 'ok', since: now } };
      const since = state.phase === 'clearing' ? state.since : now;
      if (now - since >= rule.clearForMs) {
        return {
          state: { phase: 'ok', since: now },
          transition: { kind: 'clear', rule, value: clearValue },
        };
      }
      return { state: { phase: 'clearing', since } };
    }
  }
}
