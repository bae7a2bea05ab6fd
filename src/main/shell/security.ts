/**
 * Electron's security checklist applied to every web contents and the session:
 * no new windows, no navigation away from the app's page, no webviews, no
 * permissions beyond writing the clipboard, no remote requests.
 */
import type { App, Session, WebContents } from 'electron';

function isSamePage(url: string, appUrl: string): boolean {
  try {
    const target = new URL(url);
    const app = new URL(appUrl);
    return (
      target.protocol === app.protocol &&
      target.pathname === app.pathname &&
      target.host === app.host
    );
  } catch {
    return false;
  }
}

function hardenContents(contents: WebContents, appUrl: string): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    // A reload of the app's own page is the only navigation allowed.
    if (!isSamePage(url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isSamePage(url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function hardenApp(app: App, appUrl: string): void {
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, appUrl));
}

/** Call once the app is ready. */
export function hardenSession(session: Session, appUrl: string): void {
  const allowed = (permission: string) => permission === 'clipboard-sanitized-write';
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(allowed(permission)),
  );
  session.setPermissionCheckHandler((_contents, permission) => allowed(permission));
  const devOrigin = appUrl.startsWith('http') ? new URL(appUrl).origin : null;
  // No remote content: only the app's files (and the dev server in development).
  session.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (details, callback) => {
      const origin = new URL(details.url).origin;
      callback({
        cancel:
          devOrigin === null ||
          (origin !== devOrigin && origin !== devOrigin.replace(/^http/, 'ws')),
      });
    },
  );
}
