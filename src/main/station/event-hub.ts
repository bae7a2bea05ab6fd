/**
 * What observers (the SSE stream, the window over IPC) hear of the station:
 * events go out at once, except session updates and source counters, which
 * the ticker gathers and sends at most every EVENT_INTERVAL_MS.
 */
import type { Logger } from 'pino';
import type { SourceInfo, StationEvent } from '../../shared/contract';
import { Listeners } from '../../shared/listeners';
import type { PipelineCatalog } from '../pipeline/types';
import type { Session } from '../streaming/session';

/** Session updates reach observers at most this often per session. */
const EVENT_INTERVAL_MS = 250;
/** Running sources' counters (frames read, sent) reach observers once a second. */
const SOURCE_COUNTER_TICKS = 4;

export interface TickTargets {
  /** Re-evaluates every session's window (slow_down, state). */
  tick: (now: number) => void;
  listSources: () => SourceInfo[];
}

export interface EventHub {
  emit: (event: StationEvent) => void;
  /** Returns an unsubscribe function. */
  subscribe: (listener: (event: StationEvent) => void) => () => void;
  /** The session changed: one session_updated at the next tick. */
  sessionChanged: (session: Session) => void;
  /** The session is gone: no update for it any more. */
  sessionGone: (session: Session) => void;
  /** A source changed state: sources_changed at the next tick. */
  sourcesChanged: () => void;
  /** pipelines_changed whenever the catalog changes; returns the unsubscribe function. */
  watchCatalog: (catalog: PipelineCatalog) => () => void;
  startTicker: (targets: TickTargets) => void;
  stopTicker: () => void;
}

export function createEventHub(logger: Logger): EventHub {
  const listeners = new Listeners<StationEvent>((err) =>
    logger.error({ event: 'listener_error', error: (err as Error).message }),
  );
  const dirty = new Set<Session>();
  let sourcesDirty = false;
  let ticker: NodeJS.Timeout | null = null;

  function emit(event: StationEvent): void {
    listeners.emit(event);
  }

  function startTicker(targets: TickTargets): void {
    let ticks = 0;
    ticker = setInterval(() => {
      targets.tick(Date.now());
      for (const session of dirty) emit({ type: 'session_updated', session: session.info() });
      dirty.clear();
      // Sources report state changes at once, and their counters once a second.
      const sourceList =
        sourcesDirty || ++ticks % SOURCE_COUNTER_TICKS === 0 ? targets.listSources() : [];
      if (sourcesDirty || sourceList.some((s) => s.enabled)) {
        sourcesDirty = false;
        emit({ type: 'sources_changed', sources: sourceList });
      }
    }, EVENT_INTERVAL_MS);
    ticker.unref();
  }

  return {
    emit,
    subscribe: (listener) => listeners.subscribe(listener),
    sessionChanged: (session) => dirty.add(session),
    sessionGone: (session) => dirty.delete(session),
    sourcesChanged: () => (sourcesDirty = true),
    watchCatalog: (catalog) =>
      catalog.onChange(() =>
        emit({
          type: 'pipelines_changed',
          pipelines: catalog.list(),
          pipeline_errors: catalog.errors(),
        }),
      ),
    startTicker,
    stopTicker() {
      if (ticker) clearInterval(ticker);
      ticker = null;
    },
  };
}
