/**
 * The app's quit: drain the station, then exit — within a bound. A stop that
 * hangs (a stuck pipeline, a socket that never closes) must not leave a
 * windowless process holding the camera port and the single-instance lock.
 * Electron-free: the shell passes in its stop and exit.
 */
export interface QuitDrainOptions {
  /** Drains the station (answers frames in flight, closes cameras). */
  stop: () => Promise<void>;
  /** Longest wait for `stop`, ms; then the process exits anyway. */
  timeoutMs: number;
  /** Ends the process: 0 after a clean drain, 1 after a failed or timed-out one. */
  exit: (code: number) => void;
  /** One JSON log event (`quit_drain_failed`, `quit_drain_timeout`). */
  log: (event: Record<string, unknown>) => void;
}

export interface QuitDrain {
  /** Starts the drain once; later calls do nothing. */
  begin(): void;
  readonly started: boolean;
}

export function createQuitDrain(options: QuitDrainOptions): QuitDrain {
  let started = false;
  let done = false;
  const finish = (code: number) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    options.exit(code);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;

  return {
    get started() {
      return started;
    },
    begin() {
      if (started) return;
      started = true;
      timer = setTimeout(() => {
        options.log({
          level: 'error',
          event: 'quit_drain_timeout',
          code: 'quit_drain_timeout',
          timeout_ms: options.timeoutMs,
          message: `The station did not finish draining within ${options.timeoutMs} ms; exiting anyway.`,
        });
        finish(1);
      }, options.timeoutMs);
      // Called at once; a throw becomes a failed drain like a rejection.
      new Promise<void>((resolve) => resolve(options.stop())).then(
        () => finish(0),
        (err: unknown) => {
          options.log({
            level: 'error',
            event: 'quit_drain_failed',
            code: 'quit_drain_failed',
            message: err instanceof Error ? err.message : String(err),
          });
          finish(1);
        },
      );
    },
  };
}
