/**
 * The app's window, loading only the app's own page. Every window is registered
 * with the trusted senders for the gatekeeper.
 */
import { BrowserWindow } from 'electron';
import type { StationEvent } from '../../shared/contract';
import { IpcChannel } from '../../shared/ipc-channels';
import { createTrustedSenders, type TrustedSenders } from './trusted-senders';
import { mainWindowOptions, PRELOAD } from './window-options';

export interface AppWindows {
  readonly appUrl: string;
  readonly trusted: TrustedSenders;
  /** Opens the dashboard window, or shows and focuses the existing one. */
  openMain(): BrowserWindow;
  /** Pushes a station event to every app window. */
  broadcast(event: StationEvent): void;
}

export function createAppWindows(appUrl: string): AppWindows {
  const trusted = createTrustedSenders(appUrl);
  let main: BrowserWindow | null = null;

  function openMain(): BrowserWindow {
    if (main && !main.isDestroyed()) {
      if (main.isMinimized()) main.restore();
      main.show();
      main.focus();
      return main;
    }
    const window = new BrowserWindow({
      ...mainWindowOptions(),
      // Sandboxed, isolated, no Node, nothing beyond the app's own page.
      webPreferences: {
        preload: PRELOAD,
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

  return {
    appUrl,
    trusted,
    openMain,
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
