/**
 * The window's only door to the station: one method per window operation of
 * the table (src/shared/operations.ts), each over its IPC channel, exposed as
 * `window.station`. ipcRenderer itself never crosses the bridge.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ActionResult, StationBridge, StationEvent } from '../shared/contract';
import type { IpcReply } from '../shared/ipc-channels';
import {
  IpcChannel,
  operationNames,
  operationSpec,
  type WindowOperation,
} from '../shared/operations';

/** An Error that keeps the code of a refused request. */
class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Actions answer their result, refusals included; other operations throw a refusal. */
async function invoke(name: WindowOperation, args: unknown[]): Promise<unknown> {
  const channel = IpcChannel[name];
  if (operationSpec(name).reply.kind === 'action') {
    try {
      return (await ipcRenderer.invoke(channel, ...args)) as ActionResult;
    } catch (err) {
      return { ok: false, code: 'internal', message: (err as Error).message };
    }
  }
  const reply = (await ipcRenderer.invoke(channel, ...args)) as IpcReply<unknown>;
  if (!reply.ok) throw new BridgeError(reply.code, reply.message);
  return reply.value;
}

const methods = Object.fromEntries(
  operationNames
    .filter((name) => operationSpec(name).ipc)
    .map((name) => [name, (...args: unknown[]) => invoke(name as WindowOperation, args)]),
);

const bridge = {
  ...methods,
  kind: 'ipc',
  subscribe(listener: (event: StationEvent) => void) {
    // One closure per subscription, removed by the function returned.
    const forward = (_event: IpcRendererEvent, stationEvent: StationEvent) =>
      listener(stationEvent);
    ipcRenderer.on(IpcChannel.event, forward);
    return () => {
      ipcRenderer.removeListener(IpcChannel.event, forward);
    };
  },
} as StationBridge;

contextBridge.exposeInMainWorld('station', bridge);
