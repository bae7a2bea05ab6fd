/**
 * Which IPC senders the app trusts: the top frame of a window the app created,
 * showing the app's own page. Electron-free, so it is unit-tested.
 */
/** The parts of an invoke event the check reads (Electron's event has them; a test builds them). */
export interface SenderEvent {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export interface TrustedSenders {
  /** Registers a window's webContents; forgotten when it is destroyed. */
  add(webContents: { id: number; once(event: 'destroyed', listener: () => void): unknown }): void;
  has(webContentsId: number): boolean;
  /** True for the top frame of an app window whose URL is the app's page. */
  isTrusted(event: SenderEvent): boolean;
}

/**
 * `appUrl`: the page the windows load, a file:// URL in production or the dev
 * server's URL. Only its origin and path count (a query or fragment may vary).
 */
export function createTrustedSenders(appUrl: string): TrustedSenders {
  const app = new URL(appUrl);
  const ids = new Set<number>();

  function isAppPage(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol !== app.protocol) return false;
    // file:// URLs have the origin "null": compare the path, which must be the page itself.
    if (app.protocol === 'file:') return parsed.pathname === app.pathname;
    return parsed.origin === app.origin;
  }

  return {
    add(webContents) {
      ids.add(webContents.id);
      webContents.once('destroyed', () => ids.delete(webContents.id));
    },
    has: (id) => ids.has(id),
    isTrusted(event) {
      const frame = event.senderFrame;
      if (!frame || !ids.has(event.sender.id)) return false;
      // Subframes (an injected iframe) never act, even inside an app window.
      if (frame.parent !== null) return false;
      return isAppPage(frame.url);
    },
  };
}
