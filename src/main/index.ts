/** Electron entry: the station core inside the desktop app's shell (wiring only). */
import { loadSettings } from './config/settings';
import { runDesktopApp } from './shell/app-lifecycle';
import { createStationHost } from './shell/station-host';
import { createStation } from './station';

runDesktopApp(
  createStationHost({
    loadSettings: () => loadSettings({ env: process.env, configFile: process.env.STATION_CONFIG }),
    createStation,
    report: (line) => process.stderr.write(`${line}\n`),
  }),
);
