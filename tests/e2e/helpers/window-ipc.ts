/**
 * The desktop window's IPC path without the Electron binary: the built preload
 * (out/preload/index.js) runs in Chromium on the station's own page, with a
 * stand-in `electron` module whose ipcRenderer reaches, over a Playwright
 * binding, the shell's real gatekeeper, trusted-sender check and handlers on a
 * stand-in ipcMain, serving a real station started in this process. Only the
 * Electron module is replaced; the page, the preload, the handlers and the
 * station are the real ones.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Frame, Page } from '@playwright/test';
import { loadSettings } from '../../../src/main/config/settings';
import { createIpcGatekeeper, type Refusal } from '../../../src/main/shell/ipc-gatekeeper';
import { registerStationHandlers } from '../../../src/main/shell/ipc-handlers';
import { createStationHost, type StationHost } from '../../../src/main/shell/station-host';
import { createTrustedSenders } from '../../../src/main/shell/trusted-senders';
import { createStation, type Station } from '../../../src/main/station';
import { IpcChannel } from '../../../src/shared/ipc-channels';
import { createFakeIpcMain, fakeWebContents } from '../../helpers/fake-ipc';

const ROOT = resolve(__dirname, '..', '..', '..');
const PRELOAD = join(ROOT, 'out', 'preload', 'index.js');

/** One invoke as it reached ipcMain: the channel and the arguments, in order. */
export interface InvokeRecord {
  channel: string;
  args: unknown[];
}

export interface WindowIpc {
  host: StationHost;
  station: Station;
  /** The page the app's windows load (the trusted senders' app URL). */
  appUrl: string;
  dataDir: string;
  invokes: InvokeRecord[];
  refusals: { channel: string; refusal: Refusal }[];
  logged: Record<string, unknown>[];
  /** What the next save dialogs answer, in turn (null: cancelled); none left: cancelled. */
  savePaths: (string | null)[];
  askedToSave: string[];
  /** Loads the app's page in `page` as an app window (trusted) or as a window the app did not create. */
  open(page: Page, options?: { trusted?: boolean; url?: string }): Promise<void>;
  stop(): Promise<void>;
}

/** Uint8Arrays cross the binding as base64 (Electron's structured clone keeps them as they are). */
function encode(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? { $bytes: Buffer.from(v).toString('base64') } : v,
  );
}
function decode(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) =>
    v && typeof v === 'object' && typeof (v as { $bytes?: unknown }).$bytes === 'string'
      ? new Uint8Array(Buffer.from((v as { $bytes: string }).$bytes, 'base64'))
      : v,
  );
}

/**
 * Runs in the page before its scripts: the stand-in `electron` module, then the
 * preload bundle given it as `require('electron')`, as Electron's sandbox does.
 */
function preloadScript(): string {
  const standIn = `
    const listeners = new Map();
    const toBase64 = (bytes) => {
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    };
    const encode = (value) => JSON.stringify(value, (_k, v) =>
      v instanceof Uint8Array ? { $bytes: toBase64(v) } : v);
    const decode = (text) => JSON.parse(text, (_k, v) =>
      v && typeof v === 'object' && typeof v.$bytes === 'string'
        ? Uint8Array.from(atob(v.$bytes), (c) => c.charCodeAt(0)) : v);
    const invokeMain = globalThis.__electronInvoke;
    const ipcRenderer = {
      async invoke(channel, ...args) { return decode(await invokeMain(channel, encode(args))); },
      on(channel, listener) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel).add(listener);
        return ipcRenderer;
      },
      removeListener(channel, listener) { listeners.get(channel)?.delete(listener); return ipcRenderer; },
    };
    globalThis.__electronPush = (channel, text) => {
      for (const listener of listeners.get(channel) ?? []) listener({ sender: null }, decode(text));
    };
    const contextBridge = {
      exposeInMainWorld(key, api) {
        Object.defineProperty(globalThis, key, { value: Object.freeze({ ...api }) });
      },
    };
    const require = (name) => {
      if (name !== 'electron') throw new Error('a sandboxed preload may require only electron, not ' + name);
      return { contextBridge, ipcRenderer };
    };`;
  return `(() => {${standIn}\n(function (require) {\n${readFileSync(PRELOAD, 'utf8')}\n})(require);\n})();`;
}

export async function startWindowIpc(): Promise<WindowIpc> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foregsyte-window-ipc-'));
  const env = { STATION_HOST: '127.0.0.1', STATION_PORT: '0', STATION_DATA_DIR: dataDir };
  const host = createStationHost({
    loadSettings: () => loadSettings({ env: { ...env, STATION_LOG_LEVEL: 'warn' } }),
    createStation: (options) =>
      createStation({ ...options, rendererDir: join(ROOT, 'out', 'renderer') }),
  });
  await host.start();
  const station = host.station();
  if (!station) throw new Error(`the station did not start: ${host.problem()?.message}`);
  const appUrl = `http://127.0.0.1:${station.info().port}/`;

  const ipcMain = createFakeIpcMain();
  const trusted = createTrustedSenders(appUrl);
  const ipc: WindowIpc = {
    host,
    station,
    appUrl,
    dataDir,
    invokes: [],
    refusals: [],
    logged: [],
    savePaths: [],
    askedToSave: [],
    open,
    stop,
  };
  const gate = createIpcGatekeeper({
    ipcMain,
    isTrusted: (event) => trusted.isTrusted(event),
    onRefused: (channel, refusal) => ipc.refusals.push({ channel, refusal }),
  });
  registerStationHandlers(gate, {
    host,
    openPath: () => Promise.resolve(''),
    log: (entry) => ipc.logged.push(entry),
    chooseExportPath: (name) => {
      ipc.askedToSave.push(name);
      return Promise.resolve(ipc.savePaths.shift() ?? null);
    },
  });

  // Each page is one webContents; the events go to the trusted ones, as windows.broadcast does.
  const pages = new Map<Page, number>();
  const unsubscribe = host.subscribe((event) => {
    for (const [page, id] of pages) {
      if (!trusted.has(id) || page.isClosed()) continue;
      page
        .evaluate(
          ([channel, text]) => {
            const push = (globalThis as { __electronPush?: (c: string, t: string) => void })
              .__electronPush;
            push?.(channel, text);
          },
          [IpcChannel.event, encode(event)] as const,
        )
        .catch(() => undefined);
    }
  });

  async function open(page: Page, options: { trusted?: boolean; url?: string } = {}) {
    const id = pages.size + 1;
    pages.set(page, id);
    if (options.trusted ?? true) trusted.add(fakeWebContents(id));
    await page.exposeBinding(
      '__electronInvoke',
      async (source: { frame: Frame }, channel: string, argsText: string) => {
        const args = decode(argsText) as unknown[];
        ipc.invokes.push({ channel, args });
        const frame = source.frame;
        const event = {
          sender: { id },
          senderFrame: { url: frame.url(), parent: frame.parentFrame() },
        };
        return encode(await ipcMain.invoke(channel, event, ...args));
      },
    );
    await page.addInitScript({ content: preloadScript() });
    await page.goto(options.url ?? appUrl);
  }

  async function stop() {
    unsubscribe();
    gate.dispose();
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  return ipc;
}
