/**
 * Recording stand-ins for the parts of Electron the shell uses (the binary is
 * not everywhere). A test mocks `electron` with `electronModule`, drives the
 * app (ready, quit, second launch, a window closing) and reads `calls`.
 */
import { EventEmitter } from 'node:events';

export const calls: string[] = [];
export const windows: FakeWindow[] = [];
export const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
let ready: () => void = () => undefined;

class FakeWebContents extends EventEmitter {
  static nextId = 1;
  id = FakeWebContents.nextId++;
  destroyed = false;
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.openHandler = handler;
  }
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string) {
    calls.push(`send ${channel}`);
  }
}

export class FakeWindow extends EventEmitter {
  webContents = new FakeWebContents();
  url = '';
  destroyed = false;
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    super();
    windows.push(this);
    calls.push('new window');
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string) {
    this.url = url;
    calls.push(`loadURL ${url}`);
    return Promise.resolve();
  }
  isDestroyed() {
    return this.destroyed;
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
  /** What the user closing the window does. */
  close() {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.webContents.emit('destroyed');
    windows.splice(windows.indexOf(this), 1);
    this.emit('closed');
  }
  static getAllWindows() {
    return windows;
  }
}

export const app = Object.assign(new EventEmitter(), {
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

const ipcMain = {
  handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) =>
    handlers.set(channel, handler),
  removeHandler: (channel: string) => handlers.delete(channel),
};

type PermissionHandler = (c: unknown, p: string, cb: (ok: boolean) => void) => void;
export const session = {
  defaultSession: {
    permissionRequest: null as null | PermissionHandler,
    setPermissionRequestHandler(handler: PermissionHandler) {
      this.permissionRequest = handler;
    },
    setPermissionCheckHandler() {},
    flushStorageData() {
      calls.push('flushStorageData');
    },
    webRequest: {
      onBeforeRequest(_filter: unknown, _listener: unknown) {
        calls.push('onBeforeRequest');
      },
    },
  },
};

export const electronModule = {
  app,
  ipcMain,
  session,
  shell: { openPath: () => Promise.resolve('') },
  BrowserWindow: FakeWindow,
};

/** Resolves app.whenReady(). */
export const makeReady = () => ready();

/** Invokes an IPC channel as the app's window `window` would (a trusted sender). */
export async function invokeFrom(window: FakeWindow, channel: string, ...args: unknown[]) {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  const event = {
    sender: { id: window.webContents.id },
    senderFrame: { url: window.url, parent: null },
  };
  return (await handler(event, ...args)) as { ok: boolean; value?: unknown; code?: string };
}

/** Back to a fresh app: no calls, windows, handlers or listeners. */
export function resetFakes(): void {
  calls.length = 0;
  windows.length = 0;
  handlers.clear();
  app.removeAllListeners();
  app.lock = true;
}

/** Removes the signal listeners a test added (runDesktopApp listens for SIGINT/SIGTERM). */
export function signalListenerGuard(): () => void {
  const before = {
    SIGINT: process.listenerCount('SIGINT'),
    SIGTERM: process.listenerCount('SIGTERM'),
  };
  return () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal).slice(before[signal])) {
        process.removeListener(signal, listener);
      }
    }
  };
}
