/**
 * The dashboard's state. Station events are applied at once to plain maps, but
 * React sees a new state at most every FLUSH_MS: with 32 cameras sending 15
 * frames a second, each card still renders only a few times a second.
 */
import type { StationBridge, StationEvent } from '../../../shared/contract';
import { Listeners } from '../../../shared/listeners';
import type { ConnectionState } from './connection';
import { StationModel, type StationView } from './station-model';

export const FLUSH_MS = 250;
const SAMPLE_MS = 1000;

export type LoadPhase = 'loading' | 'ready' | 'failed';

export interface DashboardState extends StationView {
  phase: LoadPhase;
  loadError: string | null;
  connection: ConnectionState;
  /** Wall clock of the last sample (ms), for "stale" and durations. */
  now: number;
}

export interface StationStore {
  getState: () => DashboardState;
  subscribe: (listener: () => void) => () => void;
  /** Subscribes and loads; start and stop may alternate (React's strict mode does). */
  start: () => void;
  stop: () => void;
}

interface ConnectionAware {
  onConnectionChange?(listener: (state: ConnectionState) => void): () => void;
}

type Bridge = StationBridge & ConnectionAware;

const INITIAL: DashboardState = {
  phase: 'loading',
  loadError: null,
  connection: 'connecting',
  station: null,
  sessions: [],
  history: new Map(),
  cameras: [],
  pipelines: [],
  pipelineErrors: [],
  sources: [],
  fleet: null,
  now: Date.now(),
};

/** Loading, the event and connection subscriptions, and the timed flush to React. */
class DashboardStore implements StationStore {
  private state = INITIAL;
  private readonly listeners = new Listeners<void>();
  private readonly model = new StationModel();
  private phase: LoadPhase = 'loading';
  private loadError: string | null = null;
  private connection: ConnectionState;
  private dirty = true;
  /** Events that arrive while a snapshot is on its way are applied after it. */
  private pending: StationEvent[] | null = null;
  private lastSample = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private unsubscribeEvents: (() => void) | null = null;
  private unsubscribeConnection: (() => void) | null = null;

  constructor(private readonly bridge: Bridge) {
    this.connection = bridge.kind === 'ipc' ? 'live' : 'connecting';
  }

  // Arrow functions: React calls these two unbound (useSyncExternalStore, useState).
  readonly getState = (): DashboardState => this.state;
  readonly subscribe = (listener: () => void): (() => void) => this.listeners.subscribe(listener);

  readonly start = (): void => {
    this.unsubscribeEvents = this.bridge.subscribe((event) => {
      if (this.pending) this.pending.push(event);
      else this.apply(event);
    });
    this.unsubscribeConnection =
      this.bridge.onConnectionChange?.((next) => this.connectionChanged(next)) ?? null;
    void this.load();
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
  };

  readonly stop = (): void => {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribeEvents?.();
    this.unsubscribeConnection?.();
  };

  private apply(event: StationEvent): void {
    this.dirty = true;
    this.model.apply(event);
  }

  /** Back from a lost connection: the events missed are in a fresh snapshot. */
  private connectionChanged(next: ConnectionState): void {
    const resync = next === 'live' && this.connection === 'lost';
    this.connection = next;
    this.dirty = true;
    if (resync) void this.load();
  }

  private async load(): Promise<void> {
    this.pending = [];
    try {
      this.model.applySnapshot(await this.bridge.getSnapshot());
      this.phase = 'ready';
      this.loadError = null;
      this.dirty = true;
      for (const event of this.pending) this.apply(event);
    } catch (err) {
      if (this.phase !== 'ready') this.phase = 'failed';
      this.loadError = (err as Error).message;
      this.dirty = true;
    } finally {
      this.pending = null;
    }
  }

  private flush(): void {
    const now = Date.now();
    const sampleDue = now - this.lastSample >= SAMPLE_MS;
    if (!this.dirty && !sampleDue) return;
    if (sampleDue) {
      this.lastSample = now;
      this.model.sample(now);
    }
    this.dirty = false;
    this.state = {
      phase: this.phase,
      loadError: this.loadError,
      connection: this.connection,
      ...this.model.view(),
      now: sampleDue ? now : this.state.now,
    };
    this.listeners.emit();
  }
}

export function createStationStore(bridge: Bridge): StationStore {
  return new DashboardStore(bridge);
}
