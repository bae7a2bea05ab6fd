import type { ActionErrorCode } from './contract';

/** IPC channel names between the Electron shell and the preload. */
export const IpcChannel = {
  getSnapshot: 'station:get-snapshot',
  getThumbnail: 'station:get-thumbnail',
  switchPipeline: 'station:switch-pipeline',
  setDefaultPipeline: 'station:set-default-pipeline',
  disconnectCamera: 'station:disconnect-camera',
  dismissCamera: 'station:dismiss-camera',
  openDataFolder: 'station:open-data-folder',
  addSource: 'station:add-source',
  removeSource: 'station:remove-source',
  setSourceEnabled: 'station:set-source-enabled',
  getStartupProblem: 'station:get-startup-problem',
  restartOnPort: 'station:restart-on-port',
  listRecordings: 'station:list-recordings',
  getRecordingFrames: 'station:get-recording-frames',
  getRecordedFrame: 'station:get-recorded-frame',
  deleteRecording: 'station:delete-recording',
  getAlerts: 'station:get-alerts',
  acknowledgeAlert: 'station:acknowledge-alert',
  clearAlert: 'station:clear-alert',
  /** main → renderer push of StationEvent. */
  event: 'station:event',
} as const;
export type IpcChannelName = (typeof IpcChannel)[keyof typeof IpcChannel];

/** What every invoke handler returns: errors cross as values, never as thrown messages. */
export type IpcReply<T> =
  { ok: true; value: T } | { ok: false; code: ActionErrorCode; message: string };
