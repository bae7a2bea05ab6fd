/** A stand-in for ipcMain and invoke events: records handlers, invokes them by hand. */
import type { IpcMainInvokeEvent } from 'electron';
import type { SenderEvent } from '../../src/main/shell/trusted-senders';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown;

export function createFakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle(channel: string, handler: Handler) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
    invoke(channel: string, event: SenderEvent, ...args: unknown[]): Promise<unknown> {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      return Promise.resolve(handler(event as IpcMainInvokeEvent, ...args));
    },
  };
}

export const APP_URL = 'file:///opt/foregsyte/resources/app/out/renderer/index.html';

interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

/** An invoke event as Electron builds it, from a given webContents id and frame. */
export function senderEvent(options: {
  webContentsId: number;
  url?: string;
  subframe?: boolean;
  noFrame?: boolean;
}): SenderEvent {
  const top: FakeFrame = { url: options.url ?? APP_URL, parent: null };
  const frame: FakeFrame | null = options.noFrame
    ? null
    : options.subframe
      ? { url: options.url ?? APP_URL, parent: top }
      : top;
  return { sender: { id: options.webContentsId }, senderFrame: frame };
}

/** A webContents that can be registered and destroyed. */
export function fakeWebContents(id: number) {
  let onDestroyed: (() => void) | null = null;
  return {
    id,
    once(_event: 'destroyed', listener: () => void) {
      onDestroyed = listener;
      return this;
    },
    destroy() {
      onDestroyed?.();
    },
  };
}
