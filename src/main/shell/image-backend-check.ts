/**
 * Whether the desktop app may start its station with the image backend at hand.
 * On Linux, sharp's bundled libvips carries its own glib beside the one Electron
 * links, and the app dies (SIGSEGV) on the first decode: there the native
 * TurboJPEG decoder is required, and its absence is a start-up problem that
 * says how to fix it. Electron-free: the shell passes in what it knows.
 */
import type { StartupProblem } from '../../shared/contract';

export interface ImageBackendState {
  /** The decoder frames would go through. */
  name: 'turbojpeg' | 'sharp';
  /** Why the native decoder is not in use (not built, failed to load, turned off). */
  reason?: string;
}

export interface ImageBackendCheck {
  platform: NodeJS.Platform;
  /** An installed app (its own files), or a source checkout run with `npm start`. */
  packaged: boolean;
  backend: ImageBackendState;
}

const FROM_SOURCE = {
  steps:
    ' In the app’s folder, install TurboJPEG (Fedora: turbojpeg-devel), build the decoder and ' +
    'start again; meanwhile “npm run headless” serves the same dashboard in a browser.',
  fix: ['sudo apt-get install libturbojpeg0-dev', 'node scripts/build-native.mjs', 'npm start'],
};
const INSTALLED = {
  steps:
    ' Install the TurboJPEG library and start the app again; if this stays, reinstall the ' +
    'app’s .deb package.',
  fix: ['sudo apt-get install libturbojpeg0'],
};

/** null when the station may start; else the problem the window shows. */
export function imageBackendProblem(check: ImageBackendCheck): StartupProblem | null {
  if (check.platform !== 'linux' || check.backend.name === 'turbojpeg') return null;
  const why = check.backend.reason ? ` (${check.backend.reason})` : '';
  const { steps, fix } = check.packaged ? INSTALLED : FROM_SOURCE;
  return {
    code: 'image_backend_missing',
    message:
      `The native JPEG decoder is not available${why}. On Linux the desktop app needs it: ` +
      'the fallback decoder, sharp, crashes inside the app there, so the station did not start.' +
      steps,
    host: '',
    port: 0,
    fix,
  };
}
