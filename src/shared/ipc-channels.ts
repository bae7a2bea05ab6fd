/** IPC channel names between the Electron shell and the preload. */
export const IpcChannel = {
  getSnapshot: 'station:get-snapshot',
  getThumbnail: 'station:get-thumbnail',
  switchPipeline: 'station:switch-pipeline',
  setDefaultPipeline: 'station:set-default-pipeline',
  disconnectCamera: 'station:disconnect-camera',
  dismissCamera: 'station:dismiss-camera',
  openDataFolder: 'station:open-data-folder',
  /** main → renderer push of StationEvent. */
  event: 'station:event',
} as const;
export type IpcChannelName = (typeof IpcChannel)[keyof typeof IpcChannel];
