/**
 * The HTTP routes of recordings that read the request themselves
 * (docs/protocol.md, station HTTP endpoints): pages of frames with optional
 * `offset` and `limit`, a frame's bytes with Range, and the exports.
 */
import type { Logger } from 'pino';
import type { StationApi } from '../../shared/contract';
import { httpStatusOf } from '../../shared/errors';
import { MAX_FRAMES_PAGE } from '../../shared/recordings';
import type { CustomHandlers } from '../http/router';
import { RequestError, sendError, sendJson } from '../http/respond';
import type { RecordingBrowser } from './browse';
import { sendRecordedFrame, sendRecordingExport } from './http';

function count(url: URL, name: string, fallback: number): number {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new RequestError(400, `${name} must be a whole number ≥ 0`);
  return n;
}

type RecordingHandlers = Pick<
  CustomHandlers,
  'getRecordingFrames' | 'getRecordedFrame' | 'exportRecording'
>;

export function recordingHandlers(
  api: StationApi & { recordingBrowser(): RecordingBrowser },
  logger: Logger,
): RecordingHandlers {
  const deps = () => ({ browser: api.recordingBrowser(), logger });
  return {
    async getRecordingFrames({ res, url }, { camera_id, session_id }) {
      const page = await api.getRecordingFrames(
        camera_id,
        session_id,
        count(url, 'offset', 0),
        Math.min(MAX_FRAMES_PAGE, count(url, 'limit', 1000)),
      );
      if (!page.ok) sendError(res, httpStatusOf(page.code), page.code, page.message);
      else sendJson(res, 200, page.value);
    },
    getRecordedFrame: ({ req, res }, { camera_id, session_id, file }) =>
      sendRecordedFrame(req, res, deps(), { cameraId: camera_id, sessionId: session_id, file }),
    exportRecording: ({ req, res, url }, { camera_id, session_id, kind }) =>
      sendRecordingExport(req, res, url, deps(), {
        cameraId: camera_id,
        sessionId: session_id,
        kind,
      }),
  };
}
