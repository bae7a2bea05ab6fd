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
  const report = options.report ?? (() => undefined);
  const listeners = new Set<(event: StationEvent) => void>();
  let settings: StationSettings | null = null;
  let serving: Station | null = null;
  let problem: StartupProblem | null = null;
  let unsubscribeStation: (() => void) | null = null;
  let stopped = false;
  let markSettled: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (markSettled = resolve));

  function ensureSettings(): StationSettings | null {
    if (!settings && !problem) {
      try {
        settings = options.loadSettings();
      } catch (err) {
        problem = { code: 'start_failed', message: (err as Error).message, host: '', port: 0 };
      }
    }
    return settings;
  }

  async function startOn(port: number | null): Promise<StationInfo | null> {
    const current = ensureSettings();
    if (!current) return null;
    const refusal = options.preflight?.() ?? null;
    if (refusal) {
      problem = refusal;
      report(`Foregsyte Station did not start: ${refusal.message}`);
      return null;
    }
    const wanted = port ?? current.port;
    let station: Station | null = null;
    try {
      station = options.createStation({ ...current, port: wanted });
      const info = await station.start();
      if (stopped) {
        await station.stop();
        return null;
      }
      serving = station;
      problem = null;
      unsubscribeStation = station.subscribe((event) => listeners.forEach((l) => l(event)));
      report(
        `Foregsyte Station ${info.version}: cameras connect to ${info.camera_urls.join('  ')}`,
      );
      return info;
    } catch (err) {
      problem = describeFailure(err, current.host, wanted);
      report(`Foregsyte Station did not start: ${problem.message}`);
      await station?.stop().catch(() => undefined);
      return null;
    }
  }

  return {
    settings: ensureSettings,
    async start() {
      await startOn(null).finally(markSettled);
    },
    settled: () => settled,
    async restartOnPort(port) {
      if (serving) {
        return {
          ok: false,
          code: 'invalid_argument',
          message: `The station already serves on port ${serving.info().port}.`,
        };
      }
      const info = await startOn(port);
      if (info) return { ok: true };
      return {
        ok: false,
        code: 'not_available',
        message: problem?.message ?? 'The station did not start.',
      };
    },
    station: () => serving,
    problem: () => problem,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      unsubscribeStation?.();
      const station = serving;
      serving = null;
      await station?.stop();
    },
  };
}
