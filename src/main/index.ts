/** Electron entry: the station core inside the desktop app's shell (wiring only). */
import { app } from 'electron';
import { loadSettings } from './config/settings';
import { imageBackend } from './pipeline/image-backend';
import { runDesktopApp } from './shell/app-lifecycle';
import { imageBackendProblem } from './shell/image-backend-check';
import { createStationHost } from './shell/station-host';
import { createStation } from './station';

runDesktopApp(
  createStationHost({
    loadSettings: () => loadSettings({ env: process.env, configFile: process.env.STATION_CONFIG }),
    preflight: () =>
      imageBackendProblem({
        platform: process.platform,
        packaged: app.isPackaged,
        backend: imageBackend(),
      }),
    createStation,
    report: (line) => process.stderr.write(`${line}\n`),
  }),
);
