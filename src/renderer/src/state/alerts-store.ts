/**
 * The window's alerts: loaded once, then kept current by `alert` events (and
 * reloaded when the event stream reconnects). Components read it with
 * useAlerts(); a card re-renders only when its own alerts change.
 */
import { useSyncExternalStore } from 'react';
import type { AlertRecord, AlertsSnapshot } from '../../../shared/alerts';
import type { StationBridge } from '../../../shared/contract';
import { Listeners } from '../../../shared/listeners';
import type { ConnectionState } from './connection';

export interface AlertsStore {
  getState: () => AlertsSnapshot;
  subscribe: (listener: () => void) => () => void;
  /** Active alerts of a session, as one array that keeps its identity while unchanged. */
  activeFor: (sessionId: string) => readonly AlertRecord[];
  start: () => () => void;
  reload: () => Promise<void>;
}

const HISTORY_SHOWN = 500;
const NONE: readonly AlertRecord[] = [];

export function createAlertsStore(bridge: StationBridge): AlertsStore {
  let state: AlertsSnapshot = { active: [], history: [] };
  let bySession = new Map<string, readonly AlertRecord[]>();
  const listeners = new Listeners<void>();

  function set(next: AlertsSnapshot): void {
    state = next;
    const grouped = new Map<string, AlertRecord[]>();
    for (const a of next.active)
      grouped.set(a.session_id, [...(grouped.get(a.session_id) ?? []), a]);
    const kept = new Map<string, readonly AlertRecord[]>();
    for (const [id, list] of grouped) {
      const before = bySession.get(id);
      const same = before?.length === list.length && before.every((a, i) => a === list[i]);
      kept.set(id, same ? before : list);
    }
    bySession = kept;
    listeners.emit();
  }

  function apply(record: AlertRecord): void {
    const others = (list: AlertRecord[]) => list.filter((a) => a.id !== record.id);
    set(
      record.state === 'active'
        ? { active: [record, ...others(state.active)], history: others(state.history) }
        : {
            active: others(state.active),
            history: [record, ...others(state.history)].slice(0, HISTORY_SHOWN),
          },
    );
  }

  async function reload(): Promise<void> {
    try {
      set(await bridge.getAlerts());
    } catch {
      // The station's own list comes with the next reconnect.
    }
  }

  return {
    getState: () => state,
    subscribe: (listener) => listeners.subscribe(listener),
    activeFor: (sessionId) => bySession.get(sessionId) ?? NONE,
    reload,
    start: () => {
      const off = bridge.subscribe((event) => {
        if (event.type === 'alert') apply(event.alert);
      });
      const aware = bridge as { onConnectionChange?(l: (s: ConnectionState) => void): () => void };
      const offConnection = aware.onConnectionChange?.((s) => {
        if (s === 'live') void reload();
      });
      void reload();
      return () => {
        off();
        offConnection?.();
      };
    },
  };
}

export function useAlerts(store: AlertsStore): AlertsSnapshot {
  return useSyncExternalStore(store.subscribe, store.getState);
}

export function useSessionAlerts(store: AlertsStore, sessionId: string): readonly AlertRecord[] {
  return useSyncExternalStore(store.subscribe, () => store.activeFor(sessionId));
}
