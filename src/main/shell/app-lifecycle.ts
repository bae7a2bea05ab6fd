/**
 * The desktop app's life: one instance (a second launch shows the window), the
 * window opened at once (it shows "starting" until the station serves), and a
 * quit that drains the station within a bound, then exits.
 */
import { join } from 'node:path';
import { app, ipcMain, session, shell } from 'electron';
import { createIpcGatekeeper } from './ipc-gatekeeper';
import { registerStationHandlers } from './ipc-handlers';
import { createQuitDrain } from './quit-drain';
import { chooseExportPath } from './save-dialog';
import { hardenApp, hardenSession } from './security';
import type { StationHost } from './station-host';
import { resolveAppUrl } from './window-options';
import { createAppWindows } from './windows';

const log = (event: Record<string, unknown>) => process.stderr.write(`${JSON.stringify(event)}\n`);

export function runDesktopApp(host: StationHost): void {
  // The app's folder is the station's data folder (the headless station uses the same
  // one), so one instance per data folder: a second launch shows the first one's window.
  const settings = host.settings();
  if (settings) app.setPath('userData', settings.dataDir);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Chromium's caches stay out of the station's own files in the same folder.
  app.setPath('sessionData', join(app.getPath('userData'), 'window-session'));
  app.enableSandbox();

  const windows = createAppWindows(resolveAppUrl(app.isPackaged));
  hardenApp(app, windows.appUrl);
  const gate = createIpcGatekeeper({
    ipcMain,
    isTrusted: (event) => windows.trusted.isTrusted(event),
    onRefused: (channel, refusal) =>
      log({
        level: 'warn',
        event: 'ipc_refused',
        channel,
        code: refusal.code,
        message: refusal.message,
      }),
  });
  registerStationHandlers(gate, {
    host,
    openPath: (path) => shell.openPath(path),
    chooseExportPath,
    log,
  });
  host.subscribe((event) => windows.broadcast(event));

  const drain = createQuitDrain({
    stop: () => host.stop(),
    timeoutMs: settings?.quitTimeoutMs ?? 5000,
    log,
    exit: (code) => {
      gate.dispose();
      if (ready) session.defaultSession.flushStorageData();
      app.exit(code);
    },
  });
  let ready = false;
  // Opens the window when there is none (it closed, or never opened), else focuses it.
  app.on('second-instance', () => {
    if (ready && !drain.started) windows.openMain();
  });

  app
    .whenReady()
    .then(() => {
      ready = true;
      hardenSession(session.defaultSession, windows.appUrl);
      // At once: the page asks for a start-up problem, which waits for the start.
      windows.openMain();
      return host.start();
    })
    .catch((err: unknown) => {
      log({ level: 'fatal', event: 'window_failed', message: String(err) });
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    event.preventDefault();
    drain.begin();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());
}
