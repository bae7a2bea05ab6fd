/** The window's two stores, started while the dashboard is mounted. */
import { startTransition, useEffect, useState } from 'react';
import type { StationBridge } from '../../../shared/contract';
import { createAlertsStore, type AlertsStore } from './alerts-store';
import { createStationStore, type DashboardState } from './station-store';

export function useDashboardState(bridge: StationBridge): DashboardState {
  const [store] = useState(() => createStationStore(bridge));
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  const [state, setState] = useState(store.getState);
  // A transition: React renders the cards in slices and yields to the browser between
  // them, so 32 cards updating at once never make one long main-thread task.
  useEffect(
    () => store.subscribe(() => startTransition(() => setState(store.getState()))),
    [store],
  );
  return state;
}

export function useAlertsStore(bridge: StationBridge): AlertsStore {
  const [alerts] = useState(() => createAlertsStore(bridge));
  useEffect(() => alerts.start(), [alerts]);
  return alerts;
}
