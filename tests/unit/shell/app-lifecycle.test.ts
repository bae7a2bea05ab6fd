/**
 * The desktop app's wiring, with Electron replaced by recording fakes (the
 * binary is not everywhere): lock, start order, window options, hardening,
 * drain on quit. tests/e2e/electron-app.spec.ts runs the real thing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StationHost } from '../../../src/main/shell/station-host';
import { IpcChannel } from '../../../src/shared/ipc-channels';

const fake = vi.hoisted(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { EventEmitter: Emitter } = require('node:events') as typeof import('node:events');
  const calls: string[] = [];
  const windows: FakeWindow[] = [];
  let ready: () => void = () => undefined;

  class FakeWebContents extends Emitter {
    static nextId = 1;
    id = FakeWebContents.nextId++;
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.openHandler = handler;
    }
    isDestroyed() {
      return false;
    }
    send(channel: string) {
      calls.push(`send ${channel}`);
    }
  }
  class FakeWindow extends Emitter {
    webContents = new FakeWebContents();
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      calls.push(`loadURL ${url}`);
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    show() {
      calls.push('show');
    }
    focus() {
      calls.push('focus');
    }
    restore() {}
    static getAllWindows() {
      return windows;
    }
  }
  const app = Object.assign(new Emitter(), {
    lock: true,
    isPackaged: false,
    paths: new Map<string, string>([['userData', '/default/userData']]),
    setPath(name: string, value: string) {
      calls.push(`setPath ${name} ${value}`);
      app.paths.set(name, value);
    },
    getPath(name: string) {
      return app.paths.get(name) ?? '';
    },
    requestSingleInstanceLock() {
      calls.push('lock');
      return app.lock;
    },
    enableSandbox() {
      calls.push('enableSandbox');
    },
    quit() {
      calls.push('quit');
      const event = {
        defaultPrevented: false,
        preventDefault: () => (event.defaultPrevented = true),
      };
      app.emit('before-quit', event);
      if (!event.defaultPrevented) calls.push('exited');
    },
    exit(code: number) {
      calls.push(`exit ${code}`);
    },
    whenReady() {
      return new Promise<void>((resolve) => (ready = resolve));
    },
  });
  const handlers = new Map<string, unknown>();
  const ipcMain = {
    handle: (channel: string, handler: unknown) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  };
  const session = {
    defaultSession: {
      permissionRequest: null as
        null | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
      setPermissionRequestHandler(
        handler: (c: unknown, p: string, cb: (ok: boolean) => void) => void,
      ) {
        this.permissionRequest = handler;
      },
      setPermissionCheckHandler() {},
      webRequest: {
        onBeforeRequest(_filter: unknown, _listener: unknown) {
          calls.push('onBeforeRequest');
        },
      },
    },
  };
  return {
    calls,
    windows,
    app,
    ipcMain,
    handlers,
    session,
    BrowserWindow: FakeWindow,
    shell: { openPath: () => Promise.resolve('') },
    makeReady: () => ready(),
  };
});

vi.mock('electron', () => ({
  app: fake.app,
  ipcMain: fake.ipcMain,
  session: fake.session,
  shell: fake.shell,
  BrowserWindow: fake.BrowserWindow,
}));

const { runDesktopApp } = await import('../../../src/main/shell/app-lifecycle');

function recordingHost(): StationHost {
  return {
    settings: () => ({ dataDir: '/lab/station-data' }) as ReturnType<StationHost['settings']>,
    start: () => {
      fake.calls.push('station start');
      return Promise.resolve();
    },
    stop: () => {
      fake.calls.push('station stop');
      return Promise.resolve();
    },
    restartOnPort: () => Promise.resolve({ ok: true }),
    station: () => null,
    problem: () => null,
    subscribe: () => () => undefined,
  };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('desktop app lifecycle', () => {
  let signalListeners: { int: number; term: number };
  beforeEach(() => {
    fake.calls.length = 0;
    fake.windows.length = 0;
    fake.handlers.clear();
    fake.app.removeAllListeners();
    fake.app.lock = true;
    signalListeners = {
      int: process.listenerCount('SIGINT'),
      term: process.listenerCount('SIGTERM'),
    };
  });
  afterEach(() => {
    // runDesktopApp listens for signals: leave the test process as it was.
    for (const [signal, before] of [
      ['SIGINT', signalListeners.int],
      ['SIGTERM', signalListeners.term],
    ] as const) {
      const listeners = process.listeners(signal);
      for (const listener of listeners.slice(before)) process.removeListener(signal, listener);
    }
  });

  it('a second instance quits at once, without starting a station', () => {
    fake.app.lock = false;
    runDesktopApp(recordingHost());
    expect(fake.calls).toEqual(['setPath userData /lab/station-data', 'lock', 'quit', 'exited']);
    expect(fake.handlers.size).toBe(0);
  });

  it('locks the data folder, starts the station before the window, drains on quit', async () => {
    runDesktopApp(recordingHost());
    // The lock is taken on the station's data folder, and every renderer is sandboxed.
    expect(fake.calls.slice(0, 4)).toEqual([
      'setPath userData /lab/station-data',
      'lock',
      'setPath sessionData /lab/station-data/window-session',
      'enableSandbox',
    ]);
    const invokeChannels = Object.values(IpcChannel).filter((c) => c !== IpcChannel.event);
    expect([...fake.handlers.keys()].sort()).toEqual([...invokeChannels].sort());

    fake.makeReady();
    await flush();
    const started = fake.calls.indexOf('station start');
    const loaded = fake.calls.findIndex((c) => c.startsWith('loadURL '));
    expect(started).toBeGreaterThan(-1);
    expect(loaded).toBeGreaterThan(started);
    expect(fake.calls[loaded]).toMatch(/^loadURL file:\/\/.*\/renderer\/index\.html$/);

    const [window] = fake.windows;
    expect(window?.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });

    // A second launch focuses this window.
    fake.app.emit('second-instance');
    expect(fake.calls).toContain('focus');

    // Quitting waits for the drain, then quits for real.
    fake.calls.length = 0;
    fake.app.quit();
    expect(fake.calls).toEqual(['quit', 'station stop']);
    await flush();
    expect(fake.calls).toEqual(['quit', 'station stop', 'quit', 'exited']);
    expect(fake.handlers.size).toBe(0);
  });

  it('denies new windows, navigation elsewhere and permissions', async () => {
    runDesktopApp(recordingHost());
    fake.makeReady();
    await flush();
    const contents = fake.windows[0]!.webContents;
    expect(contents.openHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });

    const navigate = (url: string) => {
      const event = { prevented: false, preventDefault: () => (event.prevented = true) };
      contents.emit('will-navigate', event, url);
      return event.prevented;
    };
    const page = fake.calls.find((c) => c.startsWith('loadURL '))!.slice('loadURL '.length);
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(page)).toBe(false);

    const answers: Array<[string, boolean]> = [];
    for (const permission of ['media', 'geolocation', 'clipboard-sanitized-write']) {
      fake.session.defaultSession.permissionRequest?.({}, permission, (ok) =>
        answers.push([permission, ok]),
      );
    }
    expect(answers).toEqual([
      ['media', false],
      ['geolocation', false],
      ['clipboard-sanitized-write', true],
    ]);
    expect(fake.calls).toContain('onBeforeRequest');
  });
});
