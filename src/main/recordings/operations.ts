/**
 * What the station offers on recordings, the same over IPC and HTTP: the list,
 * pages of frames, one frame's bytes, and delete — an operator action, logged,
 * refused while the session is still being recorded.
 */
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { StationApi } from '../../shared/contract';
import { createRecordingBrowser, type RecordingBrowser } from './browse';

export interface RecordingOperationsOptions {
  /** `<dataDir>/recordings`: where the store nodes write. */
  dir: string;
  logger: Logger;
  /** Whether a session is connected now (its folder is still being written). */
  isLive: (sessionId: string) => boolean;
}

/** The recordings' operations of the contract, with the browser the HTTP routes stream from. */
export type RecordingOperations = Pick<
  StationApi,
  'listRecordings' | 'getRecordingFrames' | 'getRecordedFrame' | 'deleteRecording'
> & { readonly browser: RecordingBrowser };

export function createRecordingOperations(
  options: RecordingOperationsOptions,
): RecordingOperations {
  const browser = createRecordingBrowser(options.dir);
  const { logger } = options;
  return {
    browser,
    listRecordings: () => browser.list(),
    getRecordingFrames: (cameraId, sessionId, offset, limit) =>
      browser.page(cameraId, sessionId, offset, limit),
    async getRecordedFrame(cameraId, sessionId, file) {
      const found = await browser.framePath(cameraId, sessionId, file);
      return found.ok ? readFile(found.value).catch(() => null) : null;
    },
    async deleteRecording(cameraId, sessionId) {
      if (options.isLive(sessionId)) {
        return {
          ok: false,
          code: 'invalid_argument',
          message: `Session ${sessionId} of ${cameraId} is still recording; disconnect the camera or switch its pipeline first`,
        };
      }
      const removed = await browser.remove(cameraId, sessionId);
      if (!removed.ok) return removed;
      logger.info(
        {
          event: 'recording_deleted',
          camera_id: cameraId,
          session_id: sessionId,
          frames: removed.value.frames,
          bytes: removed.value.bytes,
        },
        `recording ${cameraId}/${sessionId} deleted (${removed.value.frames} frames)`,
      );
      return { ok: true };
    },
  };
}
