/**
 * The Electron entry as wired (src/main/index.ts), with Electron replaced by the
 * recording fakes, on a PC without the native decoder (STATION_DECODER=wasm, the
 * loader's own switch): the station starts on the WebAssembly build of TurboJPEG,
 * the window reports no start-up problem, and a camera's frame is decoded and
 * measured through the desktop's own station.
 */
import { describe, expect, it, vi } from 'vitest';
import { IpcChannel } from '../../../src/shared/ipc-channels';
import { makeJpeg, TestCamera, type Message } from '../../helpers/station';
import { desktopEntrySetup } from './desktop-entry-setup';
import * as fake from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electronModule);

describe('desktop entry without the native decoder', () => {
  const setup = desktopEntrySetup('desktop-entry-wasm-');

  it('starts its station on the WebAssembly decoder and decodes frames', async () => {
    const stderr = setup.prepare('wasm');
    try {
      await import('../../../src/main/index');
      fake.makeReady();
      const [window] = await vi.waitFor(() => {
        expect(fake.windows.length).toBeGreaterThan(0);
        return fake.windows;
      });
      const problem = await fake.invokeFrom(window!, IpcChannel.getStartupProblem);
      expect(problem).toMatchObject({ ok: true, value: null });
      const snapshot = await vi.waitFor(async () => {
        const reply = await fake.invokeFrom(window!, IpcChannel.getSnapshot);
        expect(reply).toMatchObject({ ok: true });
        return reply.value as { station: { port: number } };
      });

      const url = `ws://127.0.0.1:${snapshot.station.port}/ws/video/stream?pipeline_id=bench&camera_id=desk-wasm`;
      const camera = new TestCamera(url);
      await camera.opened;
      camera.send(await makeJpeg(640, 480, 40));
      await camera.until((m) => m.some((x) => typeof x.frame_index === 'number'));
      const result = camera.replies()[0]!.result as Message;
      camera.close();
      expect(result.error, JSON.stringify(result)).toBeUndefined();
      expect(result.sharpness).toMatchObject({ width: 320, height: 240 });

      fake.app.quit();
      await vi.waitFor(() => expect(fake.calls).toContain('exit 0'));
    } finally {
      stderr.mockRestore();
    }
  });
});
