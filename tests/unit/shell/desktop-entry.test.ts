/**
 * The Electron entry as wired (src/main/index.ts), with Electron replaced by the
 * recording fakes: on Linux without the native decoder (here turned off with
 * STATION_DECODER=sharp, the real loader's own switch) the station does not
 * start, and the window shows why and how to fix it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IpcChannel } from '../../../src/shared/ipc-channels';
import * as fake from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe.runIf(process.platform === 'linux')('desktop entry on Linux', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'desktop-entry-'));
  const restoreSignals = fake.signalListenerGuard();
  afterAll(() => {
    restoreSignals();
    vi.unstubAllEnvs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('without the native decoder: no station, the window explains the fix', async () => {
    fake.resetFakes();
    vi.stubEnv('STATION_DECODER', 'sharp');
    vi.stubEnv('STATION_DATA_DIR', dataDir);
    vi.stubEnv('STATION_HOST', '127.0.0.1');
    vi.stubEnv('STATION_PORT', '0');
    vi.stubEnv('STATION_CONFIG', '');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await import('../../../src/main/index');
      fake.makeReady();
      await flush();
      const [window] = fake.windows;
      expect(window).toBeDefined();

      const reply = await fake.invokeFrom(window!, IpcChannel.getStartupProblem);
      expect(reply).toMatchObject({ ok: true, value: { code: 'image_backend_missing' } });
      const problem = reply.value as { message: string; fix: string[] };
      expect(problem.message).toContain('STATION_DECODER=sharp');
      expect(problem.fix.join('\n')).toContain('libturbojpeg0-dev');
      // No station serves: the window's other questions say why.
      expect(await fake.invokeFrom(window!, IpcChannel.getSnapshot)).toMatchObject({
        ok: false,
        code: 'not_available',
      });
      expect(stderr.mock.calls.map(([line]) => String(line)).join('')).toContain(
        'Foregsyte Station did not start: Neither the native JPEG decoder nor its WebAssembly build',
      );

      fake.app.quit();
      await vi.waitFor(() => expect(fake.calls).toContain('exit 0'));
    } finally {
      stderr.mockRestore();
    }
  });
});
