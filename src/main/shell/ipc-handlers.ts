/**
 * Every IPC channel of the window, each behind the gatekeeper with its
 * argument schema, both from the operation table: the core's operations go to
 * the serving station, the shell's own are answered here.
 */
import { z } from 'zod';
import type { ActionResult, OperationResult } from '../../shared/contract';
import { Inputs } from '../../shared/inputs';
import {
  IpcChannel,
  operationNames,
  operationSpec,
  type CoreOperation,
  type OperationArgs,
  type ShellOperation,
  type WindowOperation,
} from '../../shared/operations';
import { asIpcReply, callCore } from '../station/core-calls';
import type { IpcGatekeeper, Reply } from './ipc-gatekeeper';
import { saveRecordingExport, type ExportPathChooser } from './save-export';
import type { StationHost } from './station-host';

export interface HandlerDeps {
  host: StationHost;
  /** Opens a folder in the system's file manager; resolves to '' or an error message. */
  openPath: (path: string) => Promise<string>;
  /** The save dialog of a recording export (null: cancelled). */
  chooseExportPath: ExportPathChooser;
  /** Where each action from the window is logged, with who made it (the window, over IPC). */
  log?: (entry: Record<string, unknown>) => void;
}

type ShellHandlers = {
  [K in ShellOperation]: (
    ...args: OperationArgs<K>
  ) => Promise<ActionResult | OperationResult<unknown>>;
};

function notServing(host: StationHost): Reply {
  return {
    ok: false,
    code: 'not_available',
    message: host.problem()?.message ?? 'The station is not running.',
  };
}

/** The operation's arguments as one zod tuple, in the table's order. */
export function argsTuple(name: WindowOperation): z.ZodType<unknown[]> {
  const schemas: z.ZodType[] = operationSpec(name).args.map(([, shape]) => Inputs[shape]);
  return z.tuple(schemas as [z.ZodType, ...z.ZodType[]]);
}

function shellHandlers(deps: HandlerDeps): ShellHandlers {
  const { host, openPath } = deps;
  return {
    async openDataFolder() {
      const station = host.station();
      if (!station) return notServing(host);
      const error = await openPath(station.dataDir);
      return error
        ? { ok: false, code: 'not_available', message: `Cannot open ${station.dataDir}: ${error}` }
        : { ok: true };
    },
    // The window opens before the station serves: its first question waits for the start.
    async getStartupProblem() {
      await host.settled();
      return { ok: true, value: host.problem() };
    },
    restartOnPort: (port) => host.restartOnPort(port),
    saveRecordingExport: (cameraId, sessionId, kind, range) =>
      saveRecordingExport(deps, cameraId, sessionId, kind, range),
  };
}

export function registerStationHandlers(gate: IpcGatekeeper, deps: HandlerDeps): void {
  const { host } = deps;
  const own = shellHandlers(deps) as Record<string, (...args: unknown[]) => Promise<Reply>>;
  for (const name of operationNames) {
    if (!operationSpec(name).ipc) continue;
    const windowOp = name as WindowOperation;
    const channel = IpcChannel[windowOp];
    const shellOwn = own[name];
    if (shellOwn) {
      gate.handle(channel, argsTuple(windowOp), (...args) => shellOwn(...args));
      continue;
    }
    const coreOp = name as CoreOperation;
    const isAction = operationSpec(coreOp).reply.kind === 'action';
    gate.handle(channel, argsTuple(windowOp), async (...args) => {
      const station = host.station();
      if (!station) return notServing(host);
      const reply = asIpcReply(coreOp, await callCore(station, coreOp, args));
      if (isAction)
        deps.log?.({
          level: 'info',
          event: 'ipc_action',
          operation: name,
          via: 'ipc',
          ok: reply.ok,
        });
      return reply;
    });
  }
}
