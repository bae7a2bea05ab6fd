/**
 * The one way IPC handlers are registered: every invoke is checked for its
 * sender (a window the app created) and its arguments (a zod tuple) before the
 * handler runs, and every failure crosses as `{ ok: false, code, message }`.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import type { ActionErrorCode } from '../../shared/contract';
import type { IpcChannelName } from '../../shared/ipc-channels';
import type { SenderEvent } from './trusted-senders';

export type Refusal = { ok: false; code: ActionErrorCode; message: string };

/** What handlers return: an ActionResult or an IpcReply. */
export type Reply = { ok: true; value?: unknown } | Refusal;

export interface GatekeeperOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  isTrusted: (event: SenderEvent) => boolean;
  /** Told of every refused call (logged by the shell). */
  onRefused?: (channel: IpcChannelName, refusal: Refusal) => void;
}

export interface IpcGatekeeper {
  handle<Args extends unknown[]>(
    channel: IpcChannelName,
    args: z.ZodType<Args>,
    handler: (...args: NoInfer<Args>) => Reply | Promise<Reply>,
  ): void;
  /** Removes every handler registered here. */
  dispose(): void;
}

export function createIpcGatekeeper(options: GatekeeperOptions): IpcGatekeeper {
  const channels = new Set<IpcChannelName>();

  function refuse(channel: IpcChannelName, code: ActionErrorCode, message: string): Refusal {
    const refusal: Refusal = { ok: false, code, message };
    options.onRefused?.(channel, refusal);
    return refusal;
  }

  return {
    handle(channel, argsSchema, handler) {
      if (channels.has(channel)) throw new Error(`IPC channel ${channel} has a handler already`);
      channels.add(channel);
      options.ipcMain.handle(
        channel,
        async (event: IpcMainInvokeEvent, ...raw: unknown[]): Promise<Reply> => {
          if (!options.isTrusted(event)) {
            return refuse(channel, 'forbidden', 'This page may not act on the station.');
          }
          const parsed = argsSchema.safeParse(raw);
          if (!parsed.success) {
            return refuse(channel, 'invalid_argument', z.prettifyError(parsed.error));
          }
          try {
            return await handler(...parsed.data);
          } catch (err) {
            return refuse(channel, 'internal', (err as Error).message);
          }
        },
      );
    },
    dispose() {
      for (const channel of channels) options.ipcMain.removeHandler(channel);
      channels.clear();
    },
  };
}
