/**
 * The HTTP routes of recordings and alerts (docs/protocol.md, station HTTP
 * endpoints). The router hands them each GET and POST under /api/recordings
 * and /api/alerts, after its own access checks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { AlertsSnapshot } from '../../shared/alerts';
import type { ActionResult } from '../../shared/contract';
import type { RecordedFramesPage, RecordingCamera } from '../../shared/recordings';
import { MAX_FRAMES_PAGE } from '../../shared/recordings';
import { RequestError, sendError, sendJson } from '../http/respond';
import { decodeSegment } from '../http/request-url';
import type { BrowseResult, RecordingBrowser } from './browse';
import { RECORDING_EXPORT, RECORDING_FRAME, sendRecordedFrame, sendRecordingExport } from './http';

/** What the station offers on recordings and alerts (the same over IPC). */
export interface ReviewApi {
  listRecordings(): Promise<RecordingCamera[]>;
  getRecordingFrames(
    cameraId: string,
    sessionId: string,
    offset: number,
    limit: number,
  ): Promise<BrowseResult<RecordedFramesPage>>;
  getRecordedFrame(cameraId: string, sessionId: string, file: string): Promise<Buffer | null>;
  deleteRecording(cameraId: string, sessionId: string): Promise<ActionResult>;
  getAlerts(): AlertsSnapshot;
  acknowledgeAlert(alertId: string): ActionResult;
  clearAlert(alertId: string): ActionResult;
  /** For the routes that stream files (frames, exports). */
  recordingBrowser(): RecordingBrowser;
}

const FRAMES = /^\/api\/recordings\/([^/]+)\/([^/]+)\/frames$/;
const DELETE = /^\/api\/recordings\/([^/]+)\/([^/]+)\/delete$/;
const ALERT_ACTION = /^\/api\/alerts\/([^/]+)\/(acknowledge|clear)$/;

function segments(match: RegExpMatchArray, count: number): string[] {
  return match.slice(1, count + 1).map((s) => {
    const value = decodeSegment(s);
    if (value === null) throw new RequestError(400, 'Malformed percent-escape in the path');
    return value;
  });
}

function count(url: URL, name: string, fallback: number): number {
  const text = url.searchParams.get(name);
  if (text === null) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new RequestError(400, `${name} must be a whole number ≥ 0`);
  return n;
}

const STATUS: Record<string, number> = {
  unknown_recording: 404,
  unknown_alert: 404,
  not_available: 501,
};
function sendResult(res: ServerResponse, result: ActionResult): void {
  sendJson(res, result.ok ? 200 : (STATUS[result.code] ?? 400), result);
}

/** Answers a GET it knows; false for any other path. */
export async function handleReviewGet(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  api: ReviewApi,
  logger: Logger,
): Promise<boolean> {
  const path = url.pathname;
  if (path === '/api/alerts') return (sendJson(res, 200, api.getAlerts()), true);
  if (path === '/api/recordings') return (sendJson(res, 200, await api.listRecordings()), true);
  let match: RegExpMatchArray | null;
  if ((match = path.match(FRAMES))) {
    const [cameraId, sessionId] = segments(match, 2) as [string, string];
    const page = await api.getRecordingFrames(
      cameraId,
      sessionId,
      count(url, 'offset', 0),
      Math.min(MAX_FRAMES_PAGE, count(url, 'limit', 1000)),
    );
    if (!page.ok) sendError(res, 404, page.code, page.message);
    else sendJson(res, 200, page.value);
    return true;
  }
  const deps = { browser: api.recordingBrowser(), logger };
  if ((match = path.match(RECORDING_FRAME))) {
    const [cameraId, sessionId, file] = segments(match, 3) as [string, string, string];
    await sendRecordedFrame(req, res, deps, { cameraId, sessionId, file });
    return true;
  }
  if ((match = path.match(RECORDING_EXPORT))) {
    const [cameraId, sessionId] = segments(match, 2) as [string, string];
    const kind = match[3] as 'zip' | 'mp4';
    await sendRecordingExport(req, res, url, deps, { cameraId, sessionId, kind });
    return true;
  }
  return false;
}

/** Answers a POST it knows (access already checked); false for any other path. */
export async function handleReviewPost(
  res: ServerResponse,
  url: URL,
  api: ReviewApi,
): Promise<boolean> {
  let match: RegExpMatchArray | null;
  if ((match = url.pathname.match(DELETE))) {
    const [cameraId, sessionId] = segments(match, 2) as [string, string];
    sendResult(res, await api.deleteRecording(cameraId, sessionId));
    return true;
  }
  if ((match = url.pathname.match(ALERT_ACTION))) {
    const [alertId] = segments(match, 1) as [string];
    sendResult(res, match[2] === 'clear' ? api.clearAlert(alertId) : api.acknowledgeAlert(alertId));
    return true;
  }
  return false;
}
