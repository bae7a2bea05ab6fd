import { describe, expect, it, vi } from 'vitest';
import type { ActionResult } from '../../../src/shared/contract';
import { IpcChannel } from '../../../src/shared/ipc-channels';
import { createIpcGatekeeper } from '../../../src/main/shell/ipc-gatekeeper';
import { registerStationHandlers } from '../../../src/main/shell/ipc-handlers';
import type { StationHost } from '../../../src/main/shell/station-host';
import { createFakeIpcMain, senderEvent } from '../../helpers/fake-ipc';

vi.mock('electron', () => {
  throw new Error('the handlers must not load electron at runtime');
});

/** A host whose station records the actions it is asked for. */
function recordingHost(serving: boolean) {
  const actions: string[] = [];
  const ok =
    (name: string) =>
    (...args: unknown[]): ActionResult => {
      actions.push(`${name}(${args.join(',')})`);
      return { ok: true };
    };
  const station = {
    dataDir: '/data',
    snapshot: () => ({ sessions: [] }),
    getThumbnail: (id: string) =>
      id === 'with-thumb' ? Buffer.from([0xff, 0xd8, 0xff, 0xd9]) : null,
    switchPipeline: ok('switch'),
    setDefaultPipeline: ok('default'),
    disconnectCamera: ok('disconnect'),
    dismissCamera: ok('dismiss'),
    addSource: ok('addSource'),
    removeSource: (...args: unknown[]) => Promise.resolve(ok('removeSource')(...args)),
    setSourceEnabled: (...args: unknown[]) => Promise.resolve(ok('enableSource')(...args)),
  };
  const host = {
    station: () => (serving ? station : null),
    problem: () =>
      serving
        ? null
        : { code: 'port_in_use', message: 'Port 8765 is in use', host: '0.0.0.0', port: 8765 },
    settled: () => Promise.resolve(),
    restartOnPort: (port: number) => {
      actions.push(`restart(${port})`);
      return Promise.resolve({ ok: true });
    },
  } as unknown as StationHost;
  return { host, actions };
}

function setup(serving = true) {
  const ipcMain = createFakeIpcMain();
  const { host, actions } = recordingHost(serving);
  const gate = createIpcGatekeeper({ ipcMain, isTrusted: (e) => e.sender.id === 1 });
  const opened: string[] = [];
  const logged: Record<string, unknown>[] = [];
  registerStationHandlers(gate, {
    host,
    log: (entry) => logged.push(entry),
    chooseExportPath: () => Promise.resolve(null),
    openPath: (path) => {
      opened.push(path);
      return Promise.resolve('');
    },
  });
  const app = senderEvent({ webContentsId: 1 });
  return { ipcMain, actions, opened, app, logged };
}

describe('station IPC handlers', () => {
  it('registers every invoke channel of the contract', () => {
    const { ipcMain } = setup();
    const invokeChannels = Object.values(IpcChannel).filter((c) => c !== IpcChannel.event);
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...invokeChannels].sort());
  });

  it('runs actions with valid arguments and wraps values', async () => {
    const { ipcMain, actions, opened, app, logged } = setup();
    expect(await ipcMain.invoke(IpcChannel.switchPipeline, app, 's1', 'inspect')).toEqual({
      ok: true,
    });
    expect(await ipcMain.invoke(IpcChannel.dismissCamera, app, 'cam-1.a_b')).toEqual({ ok: true });
    expect(await ipcMain.invoke(IpcChannel.openDataFolder, app)).toEqual({ ok: true });
    expect(await ipcMain.invoke(IpcChannel.getThumbnail, app, 'with-thumb')).toEqual({
      ok: true,
      value: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]),
    });
    expect(await ipcMain.invoke(IpcChannel.getThumbnail, app, 'none')).toEqual({
      ok: true,
      value: null,
    });
    expect(
      await ipcMain.invoke(IpcChannel.addSource, app, {
        url: 'rtsp://cam/1',
        camera_id: 'door',
        pipeline_id: null,
      }),
    ).toEqual({ ok: true });
    expect(await ipcMain.invoke(IpcChannel.setSourceEnabled, app, 'src-1', false)).toEqual({
      ok: true,
    });
    expect(actions).toEqual([
      'switch(s1,inspect)',
      'dismiss(cam-1.a_b)',
      'addSource([object Object])',
      'enableSource(src-1,false)',
    ]);
    expect(opened).toEqual(['/data']);
    // Each action is logged as the window's; reads are not.
    expect(logged.map((l) => l.operation)).toEqual([
      'switchPipeline',
      'dismissCamera',
      'addSource',
      'setSourceEnabled',
    ]);
    expect(logged[0]).toMatchObject({ event: 'ipc_action', via: 'ipc', ok: true });
  });

  it.each([
    [IpcChannel.dismissCamera, ['../../etc']],
    [IpcChannel.dismissCamera, ['x'.repeat(65)]],
    [IpcChannel.restartOnPort, [-1]],
    [IpcChannel.restartOnPort, [65536]],
    [IpcChannel.restartOnPort, ['8080']],
    [IpcChannel.restartOnPort, [80.5]],
    [IpcChannel.setDefaultPipeline, [null]],
    [IpcChannel.getSnapshot, ['unexpected']],
    [IpcChannel.addSource, [{ url: 'rtsp://cam/1', camera_id: 'bad id!' }]],
    [IpcChannel.addSource, [{ url: 'rtsp://cam/1', camera_id: 'cam', shell: 'rm -rf /' }]],
    [IpcChannel.addSource, [{ url: 'rtsp://cam/1', camera_id: 'cam', fps: -5 }]],
    [IpcChannel.setSourceEnabled, ['src-1', 'yes']],
  ])('refuses %s with %j', async (channel, args) => {
    const { ipcMain, actions, app } = setup();
    expect(await ipcMain.invoke(channel, app, ...args)).toMatchObject({
      ok: false,
      code: 'invalid_argument',
    });
    expect(actions).toEqual([]);
  });

  it('refuses a foreign sender before looking at the arguments', async () => {
    const { ipcMain, actions } = setup();
    const foreign = senderEvent({ webContentsId: 2 });
    expect(await ipcMain.invoke(IpcChannel.disconnectCamera, foreign, 's1')).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(actions).toEqual([]);
  });

  it('says why when the station is not serving, and offers the restart', async () => {
    const { ipcMain, actions, app } = setup(false);
    expect(await ipcMain.invoke(IpcChannel.getSnapshot, app)).toEqual({
      ok: false,
      code: 'not_available',
      message: 'Port 8765 is in use',
    });
    expect(await ipcMain.invoke(IpcChannel.getStartupProblem, app)).toMatchObject({
      ok: true,
      value: { code: 'port_in_use', port: 8765 },
    });
    expect(await ipcMain.invoke(IpcChannel.restartOnPort, app, 0)).toEqual({ ok: true });
    expect(actions).toEqual(['restart(0)']);
  });
});
