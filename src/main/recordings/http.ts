/**
 * The recordings' HTTP routes that stream bytes (docs/dashboard.md#recordings):
 * a frame's JPEG with `Range`, and a session exported as ZIP or MP4. The JSON
 * routes (list, pages, delete) go through the station's operations like any other.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { Logger } from 'pino';
import { httpStatusOf } from '../../shared/errors';
import { operations } from '../../shared/operations';
import { sendError } from '../http/respond';
import { routePattern } from '../http/routes';
import type { RecordingBrowser } from './browse';
import { mp4Session, recordedFps, MAX_EXPORT_FPS, MIN_EXPORT_FPS } from './mp4-export';
import { parseRange } from './range';
import { spanOfTimes, zipSession } from './zip-export';

export const RECORDING_FRAME = routePattern(operations.getRecordedFrame.http.path);
export const RECORDING_EXPORT = routePattern(operations.exportRecording.http.path);

export interface RecordingRouteDeps {
  browser: RecordingBrowser;
  logger: Logger;
}

/** `?from=` / `?to=` as ISO times; null when absent, undefined when unreadable. */
function timeParam(url: URL, name: string): number | null | undefined {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export async function sendRecordedFrame(
  req: IncomingMessage,
  res: ServerResponse,
  deps: RecordingRouteDeps,
  ids: { cameraId: string; sessionId: string; file: string },
): Promise<void> {
  const found = await deps.browser.framePath(ids.cameraId, ids.sessionId, ids.file);
  if (!found.ok) return sendError(res, httpStatusOf(found.code), found.code, found.message);
  const { size } = await stat(found.value);
  const range = parseRange(req.headers.range, size);
  const headers = {
    'Content-Type': 'image/jpeg',
    'Accept-Ranges': 'bytes',
    // A recorded frame never changes: the window may keep it.
    'Cache-Control': 'private, max-age=3600, immutable',
  };
  if (range.kind === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` });
    res.end();
    return;
  }
  const partial = range.kind === 'partial';
  const start = partial ? range.start : 0;
  const end = partial ? range.end : size - 1;
  res.writeHead(partial ? 206 : 200, {
    ...headers,
    'Content-Length': String(end - start + 1),
    ...(partial ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  streamTo(res, createReadStream(found.value, { start, end }), deps.logger, 'frame');
}

export async function sendRecordingExport(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: RecordingRouteDeps,
  ids: { cameraId: string; sessionId: string; kind: 'zip' | 'mp4' },
): Promise<void> {
  const from = timeParam(url, 'from');
  const to = timeParam(url, 'to');
  if (from === undefined || to === undefined) {
    return sendError(
      res,
      400,
      'invalid_argument',
      'from and to must be ISO 8601 times, e.g. 2026-01-05T10:00:00Z',
    );
  }
  const fpsText = url.searchParams.get('fps');
  const fpsAsked = fpsText === null ? null : Number(fpsText);
  if (fpsAsked !== null && !(fpsAsked >= MIN_EXPORT_FPS && fpsAsked <= MAX_EXPORT_FPS)) {
    return sendError(
      res,
      400,
      'invalid_argument',
      `fps must be a number from ${MIN_EXPORT_FPS} to ${MAX_EXPORT_FPS}`,
    );
  }
  const opened = await deps.browser.session(ids.cameraId, ids.sessionId);
  if (!opened.ok) return sendError(res, httpStatusOf(opened.code), opened.code, opened.message);
  const index = opened.value;
  const span = spanOfTimes(index, from, to);
  if (span.to <= span.from)
    return sendError(res, 404, 'unknown_recording', 'No recorded frames in that time range');
  const name = `${ids.cameraId}_${ids.sessionId}${from !== null || to !== null ? `_${span.from}-${span.to - 1}` : ''}`;
  const log = {
    camera_id: ids.cameraId,
    session_id: ids.sessionId,
    kind: ids.kind,
    frames: span.to - span.from,
  };
  if (ids.kind === 'zip') {
    res.writeHead(200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${name}.zip"`,
      'Cache-Control': 'no-store',
    });
    deps.logger.info({ event: 'recording_exported', ...log });
    if (req.method === 'HEAD') return void res.end();
    return streamTo(res, zipSession(index, span), deps.logger, 'zip');
  }
  const fps = fpsAsked ?? recordedFps(index, span);
  const started = mp4Session(index, span, fps, (detail) =>
    deps.logger.warn(
      { event: 'recording_export_failed', ...log, error: detail },
      `MP4 export failed: ${detail}`,
    ),
  );
  if (!started.ok) return sendError(res, 501, 'not_available', started.message);
  res.writeHead(200, {
    'Content-Type': 'video/mp4',
    'Content-Disposition': `attachment; filename="${name}.mp4"`,
    'Cache-Control': 'no-store',
  });
  deps.logger.info({ event: 'recording_exported', ...log, fps });
  res.on('close', () => {
    if (started.child.exitCode === null) started.child.kill('SIGKILL');
  });
  if (req.method === 'HEAD') return void res.end();
  streamTo(res, started.stream, deps.logger, 'mp4');
}

/** Pipes with backpressure; either side failing or closing ends both. */
function streamTo(
  res: ServerResponse,
  source: NodeJS.ReadableStream,
  logger: Logger,
  what: string,
): void {
  pipeline(source, res, (err) => {
    if (err && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      logger.warn({ event: 'recording_stream_failed', what, error: err.message });
    }
  });
}
