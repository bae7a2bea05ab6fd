/**
 * The Electron entry as wired (src/main/index.ts), with Electron replaced by the
 * recording fakes: on Linux with neither TurboJPEG decoder (here both turned
 * off with STATION_DECODER=sharp, the real loaders' own switch) the station does
 * not start on sharp, and the window shows why and how to fix it.
 */
import { describe, expect, it, vi } from 'vitest';
import { IpcChannel } from '../../../src/shared/ipc-channels';
import { desktopEntrySetup } from './desktop-entry-setup';
import * as fake from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe.runIf(process.platform === 'linux')('desktop entry on Linux', () => {
  const setup = desktopEntrySetup('desktop-entry-');

  it('with the frame path left to sharp: no station, the window explains the fix', async () => {
    const stderr = setup.prepare('sharp');
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
