/**
 * The app window's size, look and title; the page it loads. Its webPreferences stay
 * inline at `new BrowserWindow` (windows.ts), where the security gate can read them.
 * Electron-free (plain values the shell hands on).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function mainWindowOptions() {
  return {
    width: 1440,
    height: 920,
    minWidth: 720,
    minHeight: 480,
    show: false,
    backgroundColor: '#0d1117',
    title: 'Foregsyte Station',
    autoHideMenuBar: true,
  };
}

/** The built preload, next to the main bundle (out/main → out/preload). */
export const PRELOAD = join(__dirname, '..', 'preload', 'index.js');

/** The dev server in `electron-vite dev`, else the built page next to the main bundle. */
export function resolveAppUrl(isPackaged: boolean, env: NodeJS.ProcessEnv = process.env): string {
  const dev = env.ELECTRON_RENDERER_URL;
  if (!isPackaged && dev) return dev;
  return pathToFileURL(join(__dirname, '..', 'renderer', 'index.html')).toString();
}
