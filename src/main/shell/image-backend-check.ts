/**
 * Whether the desktop app may start its station with the image backend at hand.
 * The native TurboJPEG decoder or its WebAssembly build decodes frames without
 * sharp, on every platform. On Linux, sharp's bundled libvips carries its own
 * glib beside the one Electron links, and the app dies (SIGSEGV) on the first
 * decode: there a frame path left to sharp alone is a start-up problem that
 * says how to fix it. Electron-free: the shell passes in what it knows.
 */
import type { StartupProblem } from '../../shared/contract';
import type { ImageBackend } from '../pipeline/image-backend';

export interface ImageBackendCheck {
  platform: NodeJS.Platform;
  /** An installed app (its own files), or a source checkout run with `npm start`. */
  packaged: boolean;
  /** What would decode frames (pipeline/image-backend.ts), and why not the native decoder. */
  backend: Pick<ImageBackend, 'backend' | 'reason'>;
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

/** Windows and macOS, where neither decoder loads: sharp's platform package is missing. */
const REINSTALL = {
  steps: ' Reinstall the app; from a source checkout, npm ci installs sharp for this platform.',
  fix: ['npm ci'],
};

function remedy(check: ImageBackendCheck): { steps: string; fix: string[] } {
  if (check.platform !== 'linux') return check.packaged ? { ...REINSTALL, fix: [] } : REINSTALL;
  return check.packaged ? INSTALLED : FROM_SOURCE;
}

/** null when the station may start; else the problem the window shows. */
export function imageBackendProblem(check: ImageBackendCheck): StartupProblem | null {
  const { backend } = check.backend;
  // Neither TurboJPEG build needs sharp; sharp itself may decode except on Linux.
  if (backend === 'turbojpeg' || backend === 'wasm') return null;
  if (backend === 'sharp' && check.platform !== 'linux') return null;
  const why = check.backend.reason ? ` (${check.backend.reason})` : '';
  const { steps, fix } = remedy(check);
  return {
    code: 'image_backend_missing',
    message:
      `Neither the native JPEG decoder nor its WebAssembly build is available${why}. ` +
      (check.platform === 'linux'
        ? 'On Linux the desktop app needs one of them: the last fallback, sharp, crashes inside the app there, so the station did not start.'
        : 'Neither is the last fallback, sharp, so the station did not start.') +
      steps,
    host: '',
    port: 0,
    fix,
  };
}
