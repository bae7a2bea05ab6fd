/**
 * The setting both desktop-entry tests start the Electron entry in: the fakes
 * reset, its station on 127.0.0.1, port 0, in a temporary data folder, with the
 * decoder STATION_DECODER names; stderr captured; all undone after the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, vi } from 'vitest';
import * as fake from './fake-electron';

export function desktopEntrySetup(prefix: string) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const restoreSignals = fake.signalListenerGuard();
  afterAll(() => {
    restoreSignals();
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    /** Stubs the environment; the returned spy holds what the app wrote to stderr. */
    prepare(decoder: 'sharp' | 'wasm') {
      fake.resetFakes();
      vi.stubEnv('STATION_DECODER', decoder);
      vi.stubEnv('STATION_DATA_DIR', dataDir);
      vi.stubEnv('STATION_HOST', '127.0.0.1');
      vi.stubEnv('STATION_PORT', '0');
      vi.stubEnv('STATION_CONFIG', '');
      return vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    },
  };
}
