/**
 * Reading the recordings `store` nodes wrote (`<data>/recordings/<camera>/<session>/`):
 * cameras and their sessions, a page of frames, one frame's file, and deleting a
 * session. Never writes anything but the delete; ids are checked before they
 * become paths, so a request cannot leave the recordings folder.
 */
import { open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionErrorCode } from '../../shared/contract';
import type {
  RecordedFrame,
  RecordedFramesPage,
  RecordingCamera,
  RecordingSession,
} from '../../shared/recordings';
import { MAX_FRAMES_PAGE } from '../../shared/recordings';
import { FRAME_FILE, SessionIndex } from './session-index';
import { stationCameraId, stationPipelineId, stationSessionId } from '../../shared/station-ids';
import { folderOf, idOfFolder } from './folders';

export type BrowseResult<T> =
  { ok: true; value: T } | { ok: false; code: ActionErrorCode; message: string };

const SESSION_ID = /^[A-Za-z0-9._-]{1,128}$/;
/** Indexes kept in memory (the sessions most recently opened). */
const INDEX_CACHE = 16;
/** Numeric leaves deeper than this are not charted. */
const MAX_DEPTH = 3;

export interface RecordingBrowser {
  readonly dir: string;
  list(): Promise<RecordingCamera[]>;
  /** The session's index, brought up to date. */
  session(cameraId: string, sessionId: string): Promise<BrowseResult<SessionIndex>>;
  page(
    cameraId: string,
    sessionId: string,
    offset: number,
    limit: number,
  ): Promise<BrowseResult<RecordedFramesPage>>;
  /** The path of a frame's JPEG, checked to exist. */
  framePath(cameraId: string, sessionId: string, file: string): Promise<BrowseResult<string>>;
  remove(cameraId: string, sessionId: string): Promise<BrowseResult<RecordingSession>>;
}

function unknown(
  cameraId: string,
  sessionId: string,
): { ok: false; code: 'unknown_recording'; message: string } {
  return {
    ok: false,
    code: 'unknown_recording',
    message: `No recording of camera ${cameraId}, session ${sessionId}`,
  };
}

export function createRecordingBrowser(dir: string): RecordingBrowser {
  const cache = new Map<string, SessionIndex>();

  function indexFor(sessionDir: string): SessionIndex {
    let index = cache.get(sessionDir);
    if (index) {
      cache.delete(sessionDir);
    } else {
      index = new SessionIndex(sessionDir);
      if (cache.size >= INDEX_CACHE) cache.delete(cache.keys().next().value!);
    }
    cache.set(sessionDir, index);
    return index;
  }

  function sessionDir(cameraId: string, sessionId: string): string | null {
    const camera = folderOf(cameraId);
    if (!camera || !SESSION_ID.test(sessionId) || /^\.+$/.test(sessionId)) return null;
    return join(dir, camera, sessionId);
  }

  async function open_(cameraId: string, sessionId: string): Promise<BrowseResult<SessionIndex>> {
    const folder = sessionDir(cameraId, sessionId);
    if (!folder) return unknown(cameraId, sessionId);
    const index = indexFor(folder);
    try {
      await index.refresh();
    } catch {
      cache.delete(folder);
      return unknown(cameraId, sessionId);
    }
    return { ok: true, value: index };
  }

  function summary(cameraId: string, sessionId: string, index: SessionIndex): RecordingSession {
    const first = index.line(0);
    const last = index.line(index.size - 1);
    const iso = (t: number | undefined) =>
      t === undefined || Number.isNaN(t) ? null : new Date(t).toISOString();
    return {
      camera_id: stationCameraId(cameraId),
      session_id: stationSessionId(sessionId),
      started_at: iso(first?.time),
      ended_at: iso(last?.time),
      frames: index.size,
      bytes: index.bytes,
      pipeline: index.firstPipeline && {
        id: stationPipelineId(index.firstPipeline.id),
        version: index.firstPipeline.version,
      },
    };
  }

  async function sessionsOf(cameraId: string, folder: string): Promise<RecordingSession[]> {
    const out: RecordingSession[] = [];
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const opened = await open_(cameraId, entry.name);
      if (opened.ok) out.push(summary(cameraId, entry.name, opened.value));
    }
    return out.sort((a, b) => (b.started_at ?? '').localeCompare(a.started_at ?? ''));
  }

  return {
    dir,
    async list() {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return [];
      }
      const cameras: RecordingCamera[] = [];
      for (const entry of entries) {
        const cameraId = entry.isDirectory() ? idOfFolder(entry.name) : null;
        if (!cameraId) continue;
        const sessions = await sessionsOf(cameraId, join(dir, entry.name)).catch(() => []);
        if (sessions.length) cameras.push({ camera_id: stationCameraId(cameraId), sessions });
      }
      return cameras.sort((a, b) => a.camera_id.localeCompare(b.camera_id));
    },
    session: open_,
    async page(cameraId, sessionId, offset, limit) {
      const opened = await open_(cameraId, sessionId);
      if (!opened.ok) return opened;
      const index = opened.value;
      const from = Math.min(Math.max(0, Math.floor(offset)), index.size);
      const to = Math.min(
        index.size,
        from + Math.min(MAX_FRAMES_PAGE, Math.max(0, Math.floor(limit))),
      );
      const frames = await readFrames(index, from, to);
      return {
        ok: true,
        value: {
          camera_id: stationCameraId(cameraId),
          session_id: stationSessionId(sessionId),
          total: index.size,
          offset: from,
          frames,
        },
      };
    },
    async framePath(cameraId, sessionId, file) {
      const folder = sessionDir(cameraId, sessionId);
      if (!folder || !FRAME_FILE.test(file)) {
        return {
          ok: false,
          code: 'unknown_recording',
          message: `No frame ${file} in this recording`,
        };
      }
      const path = join(folder, file);
      const found = await stat(path).then(
        (s) => s.isFile(),
        () => false,
      );
      return found
        ? { ok: true, value: path }
        : { ok: false, code: 'unknown_recording', message: `No frame ${file} in this recording` };
    },
    async remove(cameraId, sessionId) {
      const opened = await open_(cameraId, sessionId);
      if (!opened.ok) return opened;
      const index = opened.value;
      const removed = summary(cameraId, sessionId, index);
      await rm(index.dir, { recursive: true, force: true });
      cache.delete(index.dir);
      return { ok: true, value: removed };
    },
  };
}

/** Lines [from, to) with their numeric results flattened for charts. */
async function readFrames(index: SessionIndex, from: number, to: number): Promise<RecordedFrame[]> {
  const { start, stop } = index.span(from, to);
  if (stop <= start) return [];
  const handle = await open(index.results, 'r');
  let text: string;
  try {
    const buffer = Buffer.alloc(stop - start);
    await handle.read(buffer, 0, buffer.length, start);
    text = buffer.toString('utf8');
  } finally {
    await handle.close();
  }
  const frames: RecordedFrame[] = [];
  let position = from;
  for (const raw of text.split('\n')) {
    if (position >= to) break;
    let line: { frame_index?: unknown; file?: unknown; time?: unknown; result?: unknown };
    try {
      line = JSON.parse(raw) as typeof line;
    } catch {
      continue;
    }
    const indexed = index.line(position);
    if (!indexed || line.frame_index !== indexed.frameIndex) continue;
    const values: Record<string, number> = {};
    flatten(line.result, '', 0, values);
    frames.push({
      position,
      frame_index: indexed.frameIndex,
      file: indexed.file,
      time: typeof line.time === 'string' ? line.time : '',
      values,
    });
    position++;
  }
  return frames;
}

function flatten(value: unknown, prefix: string, depth: number, out: Record<string, number>): void {
  if (typeof value === 'number' && Number.isFinite(value) && prefix) {
    out[prefix] = value;
    return;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || depth >= MAX_DEPTH) return;
  for (const [key, child] of Object.entries(value)) {
    flatten(child, prefix ? `${prefix}.${key}` : key, depth + 1, out);
  }
}
