/**
 * The app's window: sandboxed, isolated, no Node, loading only the app's own
 * page. Every window is registered with the trusted senders for the gatekeeper.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow } from 'electron';
import type { StationEvent } from '../../shared/contract';
import { IpcChannel } from '../../shared/ipc-channels';
import { createTrustedSenders, type TrustedSenders } from './trusted-senders';

export interface AppWindows {
  readonly appUrl: string;
  readonly trusted: TrustedSenders;
  /** Opens the dashboard window (or focuses the existing one). */
  openMain(): BrowserWindow;
  focusMain(): void;
  /** Pushes a station event to every app window. */
  broadcast(event: StationEvent): void;
}

/** The dev server in `electron-vite dev`, else the built page next to this file. */
export function resolveAppUrl(isPackaged: boolean): string {
  const dev = process.env.ELECTRON_RENDERER_URL;
  if (!isPackaged && dev) return dev;
  return pathToFileURL(join(__dirname, '..', 'renderer', 'index.html')).toString();
}

export function createAppWindows(appUrl: string): AppWindows {
  const trusted = createTrustedSenders(appUrl);
  let main: BrowserWindow | null = null;

  function openMain(): BrowserWindow {
    if (main && !main.isDestroyed()) {
      focusMain();
      return main;
    }
    const window = new BrowserWindow({
      width: 1440,
      height: 920,
      minWidth: 720,
      minHeight: 480,
      show: false,
      backgroundColor: '#0d1117',
      title: 'Foregsyte Station',
      autoHideMenuBar: true,
      webPreferences: {
        preload: join(__dirname, '..', 'preload', 'index.js'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        // Middle-click must not open links in new windows.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    trusted.add(window.webContents);
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      if (main === window) main = null;
    });
    main = window;
    void window.loadURL(appUrl);
    return window;
  }

  function focusMain(): void {
    if (!main || main.isDestroyed()) return;
    if (main.isMinimized()) main.restore();
    main.show();
    main.focus();
  }

  return {
    appUrl,
    trusted,
    openMain,
    focusMain,
    broadcast(event) {
      for (const window of BrowserWindow.getAllWindows()) {
        const contents = window.webContents;
        if (!contents.isDestroyed() && trusted.has(contents.id)) {
          contents.send(IpcChannel.event, event);
        }
      }
    },
  };
}
