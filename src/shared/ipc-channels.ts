/** IPC channel names between the Electron shell and the preload, derived from the operation table. */
import type { OperationResult } from './contract';

export { IpcChannel, type IpcChannelName } from './operations';

/** What every invoke handler returns: errors cross as values, never as thrown messages. */
export type IpcReply<T> = OperationResult<T>;
