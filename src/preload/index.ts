/**
 * The window's only door to the station: one typed method per operation over
 * IPC, exposed as `window.station`. ipcRenderer itself never crosses the bridge.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type {
  ActionResult,
  StartupProblem,
  StationBridge,
  StationEvent,
  StationSnapshot,
} from '../shared/contract';
import type { AlertsSnapshot } from '../shared/alerts';
import { IpcChannel, type IpcChannelName, type IpcReply } from '../shared/ipc-channels';
import type { RecordedFramesPage, RecordingCamera } from '../shared/recordings';

/** An Error that keeps the code of a refused request. */
class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function invokeValue<T>(channel: IpcChannelName, ...args: unknown[]): Promise<T> {
  const reply = (await ipcRenderer.invoke(channel, ...args)) as IpcReply<T>;
  if (!reply.ok) throw new BridgeError(reply.code, reply.message);
  return reply.value;
}

async function invokeAction(channel: IpcChannelName, ...args: unknown[]): Promise<ActionResult> {
  try {
    return (await ipcRenderer.invoke(channel, ...args)) as ActionResult;
  } catch (err) {
    return { ok: false, code: 'internal', message: (err as Error).message };
  }
}

const bridge: StationBridge = {
  kind: 'ipc',
  getSnapshot: () => invokeValue<StationSnapshot>(IpcChannel.getSnapshot),
  subscribe(listener) {
    // One closure per subscription, removed by the function returned.
    const forward = (_event: IpcRendererEvent, stationEvent: StationEvent) =>
      listener(stationEvent);
    ipcRenderer.on(IpcChannel.event, forward);
    return () => {
      ipcRenderer.removeListener(IpcChannel.event, forward);
    };
  },
  getThumbnail: (sessionId) => invokeValue<Uint8Array | null>(IpcChannel.getThumbnail, sessionId),
  switchPipeline: (sessionId, pipelineId) =>
    invokeAction(IpcChannel.switchPipeline, sessionId, pipelineId),
  setDefaultPipeline: (pipelineId) => invokeAction(IpcChannel.setDefaultPipeline, pipelineId),
  disconnectCamera: (sessionId) => invokeAction(IpcChannel.disconnectCamera, sessionId),
  dismissCamera: (cameraId) => invokeAction(IpcChannel.dismissCamera, cameraId),
  openDataFolder: () => invokeAction(IpcChannel.openDataFolder),
  addSource: (source) => invokeAction(IpcChannel.addSource, source),
  removeSource: (sourceId) => invokeAction(IpcChannel.removeSource, sourceId),
  setSourceEnabled: (sourceId, enabled) =>
    invokeAction(IpcChannel.setSourceEnabled, sourceId, enabled),
  getStartupProblem: () => invokeValue<StartupProblem | null>(IpcChannel.getStartupProblem),
  restartOnPort: (port) => invokeAction(IpcChannel.restartOnPort, port),
  listRecordings: () => invokeValue<RecordingCamera[]>(IpcChannel.listRecordings),
  getRecordingFrames: (cameraId, sessionId, offset, limit) =>
    invokeValue<RecordedFramesPage>(
      IpcChannel.getRecordingFrames,
      cameraId,
      sessionId,
      offset,
      limit,
    ),
  getRecordedFrame: (cameraId, sessionId, file) =>
    invokeValue<Uint8Array | null>(IpcChannel.getRecordedFrame, cameraId, sessionId, file),
  deleteRecording: (cameraId, sessionId) =>
    invokeAction(IpcChannel.deleteRecording, cameraId, sessionId),
  getAlerts: () => invokeValue<AlertsSnapshot>(IpcChannel.getAlerts),
  acknowledgeAlert: (alertId) => invokeAction(IpcChannel.acknowledgeAlert, alertId),
  clearAlert: (alertId) => invokeAction(IpcChannel.clearAlert, alertId),
};

contextBridge.exposeInMainWorld('station', bridge);
