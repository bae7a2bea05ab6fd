/**
 * Where the Electron binary is, if it is installed. Reads node_modules/electron's
 * path.txt instead of requiring 'electron', which would try to download it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ELECTRON_DIR = resolve(__dirname, '..', '..', '..', 'node_modules', 'electron');

export function installedElectronBinary(): string | null {
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override
    ? join(override, relative || 'electron')
    : relative
      ? join(ELECTRON_DIR, 'dist', relative)
      : null;
  return candidate && existsSync(candidate) ? candidate : null;
}
