/**
 * The station inside the desktop app: started on ready, drained on quit. A
 * start that fails (port in use, bad settings) is kept as a StartupProblem for
 * the window to show, with a restart on another port, instead of a crash.
 * Electron-free: the shell wires it to IPC.
 */
import type {
  ActionResult,
  StartupProblem,
  StationEvent,
  StationInfo,
} from '../../shared/contract';
import { Listeners } from '../../shared/listeners';
import type { StationSettings } from '../config/settings';
import type { Station, StationOptions } from '../station';

export interface StationHostOptions {
  /** Throws a SettingsError when the settings are invalid. */
  loadSettings: () => StationSettings;
  createStation: (options: StationOptions) => Station;
  /** Start-up lines for humans (the shell sends them to stderr). */
  report?: (line: string) => void;
  /** A reason not to start at all (e.g. no usable image backend), checked before each start. */
  preflight?: () => StartupProblem | null;
}

export interface StationHost {
  /** The settings (loaded once), or null when they are invalid (then problem() says why). */
  settings(): StationSettings | null;
  /** Never rejects: a failure becomes problem(). */
  start(): Promise<void>;
  /** Resolves once the first start has served or failed (the window waits for it). */
  settled(): Promise<void>;
  /** Only while there is a problem: tries again on `port` (0: any free port). */
  restartOnPort(port: number): Promise<ActionResult>;
  /** The serving station, or null. */
  station(): Station | null;
  problem(): StartupProblem | null;
  /** Events of whichever station serves, across restarts. Returns unsubscribe. */
  subscribe(listener: (event: StationEvent) => void): () => void;
  /** Drains the station (answers frames in flight, closes cameras with 1001). */
  stop(): Promise<void>;
}

function describeFailure(err: unknown, host: string, port: number): StartupProblem {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    return {
      code: 'port_in_use',
      message: `Port ${port} is already in use on ${host}: another program, or another station, listens there.`,
      host,
      port,
    };
  }
  if (e.code === 'EACCES') {
    return {
      code: 'start_failed',
      message: `Not allowed to listen on ${host}:${port} (ports below 1024 need special rights).`,
      host,
      port,
    };
  }
  return { code: 'start_failed', message: e.message, host, port };
}

export function createStationHost(options: StationHostOptions): StationHost {
  return new DesktopStationHost(options);
}

class DesktopStationHost implements StationHost {
  private readonly report: (line: string) => void;
  private readonly listeners = new Listeners<StationEvent>();
  private loaded: StationSettings | null = null;
  private serving: Station | null = null;
  private currentProblem: StartupProblem | null = null;
  private unsubscribeStation: (() => void) | null = null;
  private stopped = false;
  private markSettled: () => void = () => undefined;
  private readonly firstStart = new Promise<void>((resolve) => (this.markSettled = resolve));

  constructor(private readonly options: StationHostOptions) {
    this.report = options.report ?? (() => undefined);
  }

  settings(): StationSettings | null {
    if (!this.loaded && !this.currentProblem) {
      try {
        this.loaded = this.options.loadSettings();
      } catch (err) {
        const message = (err as Error).message;
        this.currentProblem = { code: 'start_failed', message, host: '', port: 0 };
      }
    }
    return this.loaded;
  }

  async start(): Promise<void> {
    await this.startOn(null).finally(this.markSettled);
  }

  settled(): Promise<void> {
    return this.firstStart;
  }

  async restartOnPort(port: number): Promise<ActionResult> {
    if (this.serving) {
      return {
        ok: false,
        code: 'invalid_argument',
        message: `The station already serves on port ${this.serving.info().port}.`,
      };
    }
    const info = await this.startOn(port);
    if (info) return { ok: true };
    return {
      ok: false,
      code: 'not_available',
      message: this.currentProblem?.message ?? 'The station did not start.',
    };
  }

  station(): Station | null {
    return this.serving;
  }

  problem(): StartupProblem | null {
    return this.currentProblem;
  }

  subscribe(listener: (event: StationEvent) => void): () => void {
    return this.listeners.subscribe(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribeStation?.();
    const station = this.serving;
    this.serving = null;
    await station?.stop();
  }

  /** Starts on `port` (null: the settings' port); a failure becomes the problem. */
  private async startOn(port: number | null): Promise<StationInfo | null> {
    const current = this.settings();
    if (!current) return null;
    const refusal = this.options.preflight?.() ?? null;
    if (refusal) return this.failed(refusal);
    const wanted = port ?? current.port;
    let station: Station | null = null;
    try {
      station = this.options.createStation({ ...current, port: wanted });
      const info = await station.start();
      // Quit while starting: the new station drains at once.
      if (this.stopped) {
        await station.stop();
        return null;
      }
      this.serve(station, info);
      return info;
    } catch (err) {
      this.failed(describeFailure(err, current.host, wanted));
      await station?.stop().catch(() => undefined);
      return null;
    }
  }

  private serve(station: Station, info: StationInfo): void {
    this.serving = station;
    this.currentProblem = null;
    this.unsubscribeStation = station.subscribe((event) => this.listeners.emit(event));
    this.report(
      `Foregsyte Station ${info.version}: cameras connect to ${info.camera_urls.join('  ')}`,
    );
  }

  private failed(problem: StartupProblem): null {
    this.currentProblem = problem;
    this.report(`Foregsyte Station did not start: ${problem.message}`);
    return null;
  }
}
