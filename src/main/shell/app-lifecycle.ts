/**
 * The desktop app's life: one instance (a second launch focuses the first
 * window), the station started on ready before the window opens, and drained
 * on quit before the process exits.
 */
import { join } from 'node:path';
import { app, ipcMain, session, shell } from 'electron';
import { createIpcGatekeeper } from './ipc-gatekeeper';
import { registerStationHandlers } from './ipc-handlers';
import { hardenApp, hardenSession } from './security';
import type { StationHost } from './station-host';
import { createAppWindows, resolveAppUrl } from './windows';

export function runDesktopApp(host: StationHost): void {
  // The app's folder is the station's data folder (the headless station uses the same
  // one), so one instance per data folder: a second launch focuses the first window.
  const dataDir = host.settings()?.dataDir;
  if (dataDir) app.setPath('userData', dataDir);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Chromium's caches stay out of the station's own files in the same folder.
  app.setPath('sessionData', join(app.getPath('userData'), 'window-session'));
  app.enableSandbox();

  const windows = createAppWindows(resolveAppUrl(app.isPackaged));
  hardenApp(app, windows.appUrl);
  app.on('second-instance', () => windows.focusMain());

  const gate = createIpcGatekeeper({
    ipcMain,
    isTrusted: (event) => windows.trusted.isTrusted(event),
    onRefused: (channel, refusal) =>
      process.stderr.write(
        `${JSON.stringify({ level: 'warn', event: 'ipc_refused', channel, code: refusal.code, message: refusal.message })}\n`,
      ),
  });
  registerStationHandlers(gate, { host, openPath: (path) => shell.openPath(path) });
  host.subscribe((event) => windows.broadcast(event));

  app
    .whenReady()
    .then(async () => {
      hardenSession(session.defaultSession, windows.appUrl);
      // Started first, so the window's first question (a start-up problem?) has its answer.
      await host.start();
      windows.openMain();
    })
    .catch((err: unknown) => {
      process.stderr.write(`Foregsyte Station could not open its window: ${String(err)}\n`);
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());

  let drain: Promise<void> | null = null;
  app.on('before-quit', (event) => {
    if (drain === null) {
      event.preventDefault();
      drain = host
        .stop()
        .catch((err: unknown) => {
          process.stderr.write(`Drain failed: ${String(err)}\n`);
        })
        .finally(() => {
          gate.dispose();
          app.quit();
        });
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
}
