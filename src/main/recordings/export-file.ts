/**
 * A recorded session written to a file the operator chose, as ZIP or MP4: the
 * same producers the HTTP export streams, piped to `<path>.part` and renamed
 * when complete, so a failed or cut export never leaves a file that looks whole.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { RecordingBrowser, BrowseResult } from './browse';
import { mp4Session, recordedFps } from './mp4-export';
import { spanOfTimes, zipSession } from './zip-export';

export interface ExportToFileRequest {
  cameraId: string;
  sessionId: string;
  kind: 'zip' | 'mp4';
  /** Frames whose time is within [fromMs, toMs] (epoch ms; either end open when null or absent). */
  fromMs?: number | null;
  toMs?: number | null;
  /** Where the export goes; replaced if it exists. */
  path: string;
}

export interface ExportedFile {
  path: string;
  frames: number;
  bytes: number;
}

export async function exportRecordingToFile(
  browser: RecordingBrowser,
  request: ExportToFileRequest,
): Promise<BrowseResult<ExportedFile>> {
  const opened = await browser.session(request.cameraId, request.sessionId);
  if (!opened.ok) return opened;
  const index = opened.value;
  const span = spanOfTimes(index, request.fromMs ?? null, request.toMs ?? null);
  if (span.to <= span.from) {
    const where = request.fromMs != null || request.toMs != null ? ' in that time range' : '';
    return { ok: false, code: 'unknown_recording', message: `No recorded frames${where}` };
  }
  let failure: string | null = null;
  let source: NodeJS.ReadableStream;
  // An MP4 encode's outcome is known only once ffmpeg has exited.
  let encoded: Promise<void> = Promise.resolve();
  if (request.kind === 'zip') {
    source = zipSession(index, span);
  } else {
    const started = mp4Session(index, span, recordedFps(index, span), (detail) => {
      failure ??= detail;
    });
    if (!started.ok) return { ok: false, code: 'not_available', message: started.message };
    source = started.stream;
    encoded = new Promise((resolve) => started.child.once('close', () => resolve()));
  }
  const written = await writeToPart(source, request.path);
  await encoded;
  return finish(written ?? failure, request.path, span.to - span.from);
}

async function writeToPart(source: NodeJS.ReadableStream, path: string): Promise<string | null> {
  try {
    await pipeline(source, createWriteStream(`${path}.part`));
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

async function finish(
  problem: string | null,
  path: string,
  frames: number,
): Promise<BrowseResult<ExportedFile>> {
  const part = `${path}.part`;
  if (problem === null) {
    try {
      await rename(part, path);
      return { ok: true, value: { path, frames, bytes: (await stat(path)).size } };
    } catch (err) {
      problem = (err as Error).message;
    }
  }
  await rm(part, { force: true });
  return {
    ok: false,
    code: 'internal',
    message: `Could not write ${path}: ${problem}; check the folder is writable and has free space`,
  };
}
